"""The organization's audit page: who changed what under it, when and from which IP.

Every model with `history = HistoricalRecords()` (django-simple-history) in the project's apps is
included automatically: its rows are tied to an organization by following foreign keys to Organization
(`organization__path`, `program__organization__path`, ...). A model where that is ambiguous or too deep
sets `audit_path_field = "..."` (a lookup to an Organization path); a catalog that belongs to no
organization sets `audit_platform_wide = True` (or is listed in PLATFORM_WIDE). The IP comes from league/history.py.
tests/security/test_audit.py fails for a historical model that cannot be placed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db import models
from django.db.models import Q

from . import policies
from .history import client_ip
from .models import HistoryOrigin, Organization

__all__ = ["Entry", "audited_models", "client_ip", "entries", "path_field_of"]

# --- the audit page ---------------------------------------------------------------------------------


# Catalogs that belong to no organization (edited by platform admins; their history is in the admin).
PLATFORM_WIDE = {"league.membercategory"}


def audited_models() -> list[type[models.Model]]:
    """Models with history (simple_history) in our apps that belong to organizations, in a stable order."""
    found = []
    for model in apps.get_models():
        manager_attr = getattr(model._meta, "simple_history_manager_attribute", None)
        if not manager_attr or model.__module__.split(".")[0] not in {"league", "pilots", "elections"}:
            continue
        if model._meta.label_lower in PLATFORM_WIDE or getattr(model, "audit_platform_wide", False):
            continue
        found.append(model)
    return sorted(found, key=lambda m: m._meta.label)


def path_field_of(model, depth: int = 4) -> str | None:
    """A lookup from `model` to its organization's path, found by following foreign keys (breadth first).

    Historical models keep the foreign keys of their model, so the same lookup works on their rows.
    """
    if getattr(model, "audit_path_field", None):
        return model.audit_path_field
    if issubclass(model, Organization):
        return "path"
    for allow_null in (False, True):  # a link every row has beats one some rows lack
        frontier = [(model, "")]
        for _ in range(depth):
            following = []
            for current, prefix in frontier:
                fks = [
                    f
                    for f in current._meta.concrete_fields
                    if (f.many_to_one or f.one_to_one) and f.related_model and (allow_null or not f.null)
                ]
                fks.sort(key=lambda f: f.name != "organization")  # the obvious link first
                for f in fks:
                    if f.related_model is Organization:
                        return f"{prefix}{f.name}__path"
                    if f.related_model is not current:
                        following.append((f.related_model, f"{prefix}{f.name}__"))
            frontier = following
    return None


@dataclass
class Entry:
    when: datetime
    who: object
    ip: str | None
    kind: str  # "+", "~", "-"
    model_label: str
    object_label: str
    reason: str


def _label(row) -> str:
    """A name without touching related rows (no query per entry)."""
    for attr in ("name", "title", "code"):
        value = getattr(row, attr, None)
        if value:
            return str(value)
    return f"#{row.id}"


def entries(*, user, organization, limit: int = 200, model_label: str | None = None) -> list[Entry]:
    """The latest changes to rows of `organization`'s subtree that `user` may manage, newest first.

    One query per audited model whatever the data size; at most `limit` entries.
    """
    policies.require(user, "manage", organization)
    result: list[Entry] = []
    for model in audited_models():
        if model_label and model._meta.label_lower != model_label:
            continue
        history = getattr(model, model._meta.simple_history_manager_attribute).model
        field = path_field_of(model)
        if field is None:
            continue
        rows = (
            policies.scoped(history.objects.all(), user, "manage", path_field=field)
            .filter(**{f"{field}__startswith": organization.path})
            .select_related("history_user")
            .order_by("-history_date", "-history_id")[:limit]
        )
        for row in rows:
            result.append(
                Entry(
                    when=row.history_date,
                    who=row.history_user,
                    ip=(history._meta.label_lower, row.history_id),
                    kind=row.history_type,
                    model_label=str(model._meta.verbose_name),
                    object_label=_label(row),
                    reason=row.history_change_reason or "",
                )
            )
    result.sort(key=lambda e: e.when, reverse=True)
    result = result[:limit]
    _attach_ips(result)
    return result


def _attach_ips(result: list[Entry]) -> None:
    """One query for the addresses of all entries shown."""
    wanted: dict[str, list[int]] = {}
    for entry in result:
        label, history_id = entry.ip
        wanted.setdefault(label, []).append(history_id)
    condition = Q(pk__in=[])
    for label, ids in wanted.items():
        condition |= Q(history_model=label, history_id__in=ids)
    found = (
        {(o.history_model, o.history_id): o.ip_address for o in HistoryOrigin.objects.filter(condition)}
        if wanted
        else {}
    )
    for entry in result:
        entry.ip = found.get(entry.ip)
