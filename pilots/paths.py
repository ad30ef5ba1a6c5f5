"""The organization paths that pilot units and reports keep (PilotUnit.path, Report.path), and the period start
reports keep of their slots (Report.period_start): compared with the organizations' own paths and the slots'
periods, and rewritten from them — after a bulk load that forgot them or a repair in SQL.
Moves keep them by themselves: on_organization_moved, connected by pilots.apps, runs in the move's transaction."""

from __future__ import annotations

from django.db import transaction
from django.db.models import OuterRef, Subquery

from league.models import Organization, moved_path

from .models import PilotUnit, Report, ReportSlot


def on_organization_moved(sender, *, organization, old_path: str, new_path: str, **kwargs) -> None:
    """The pilot units and reports of a moved subtree take its new paths (league's organization_moved)."""
    for model in (PilotUnit, Report):
        model.objects.filter(path__startswith=old_path).update(path=moved_path(old_path, new_path))


def _expected():
    """(queryset of the kept rows, the field, the value each should keep) per kept column."""
    unit_path = Subquery(Organization.objects.filter(pk=OuterRef("organization_id")).values("path")[:1])
    slot = ReportSlot.objects.filter(pk=OuterRef("slot_id"))
    return {
        "pilot units": (PilotUnit.objects.all(), "path", unit_path),
        "reports": (Report.objects.all(), "path", Subquery(slot.values("organization__path")[:1])),
        "report periods": (Report.objects.all(), "period_start", Subquery(slot.values("period_start")[:1])),
    }


def wrong() -> dict[str, int]:
    """How many pilot units and reports keep a path (or reports a period start) other than their slot's."""
    return {name: qs.exclude(**{field: kept}).count() for name, (qs, field, kept) in _expected().items()}


@transaction.atomic
def rebuild() -> dict[str, int]:
    """Rewrite the kept paths and periods that differ from their source; returns how many rows of each changed."""
    return {
        name: qs.exclude(**{field: kept}).update(**{field: kept})
        for name, (qs, field, kept) in _expected().items()
    }
