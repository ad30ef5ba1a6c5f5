"""Every write attributed: who, when, from which IP, kept by django-simple-history.

A model adopts it with

    from league.audit import AuditedHistory
    class Report(models.Model):
        audit_path_field = "program__organization__path"   # how its rows reach an organization's path
        history = AuditedHistory()

AuditedHistory is HistoricalRecords whose rows carry `ip_address` (taken from the request by
HistoryRequestMiddleware's context, as simple_history's `history_user` is); `audit_path_field` lets the
organization's audit page (/orgs/<id>/audit/) find the rows of its subtree, scoped like everything else.
tests/security/test_audit.py fails for a historical model that lacks either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db import models

from . import policies
from .history import AuditedHistory, IPAddressHistoricalModel, client_ip

__all__ = ["AuditedHistory", "Entry", "IPAddressHistoricalModel", "audited_models", "client_ip", "entries"]

# --- the audit page ---------------------------------------------------------------------------------


def audited_models() -> list[type[models.Model]]:
    """Models with history (simple_history) in our apps, in a stable order."""
    found = []
    for model in apps.get_models():
        manager_attr = getattr(model._meta, "simple_history_manager_attribute", None)
        if manager_attr and model.__module__.split(".")[0] in {"league", "pilots", "elections"}:
            found.append(model)
    return sorted(found, key=lambda m: m._meta.label)


def history_path_field(model) -> str:
    """The path lookup on the historical model (it keeps the foreign keys, so lookups traverse them)."""
    return model.audit_path_field


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
        field = history_path_field(model)
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
                    ip=getattr(row, "ip_address", None),
                    kind=row.history_type,
                    model_label=str(model._meta.verbose_name),
                    object_label=_label(row),
                    reason=row.history_change_reason or "",
                )
            )
    result.sort(key=lambda e: e.when, reverse=True)
    return result[:limit]
