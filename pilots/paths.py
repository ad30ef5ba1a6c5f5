"""The organization paths that pilot units and reports keep (PilotUnit.path, Report.path): compared with the
organizations' own paths, and rewritten from them — after a bulk load that forgot them or a repair in SQL.
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
    """(queryset of the kept rows, the path each should keep) per model."""
    unit_path = Subquery(Organization.objects.filter(pk=OuterRef("organization_id")).values("path")[:1])
    report_path = Subquery(ReportSlot.objects.filter(pk=OuterRef("slot_id")).values("organization__path")[:1])
    return {
        "pilot units": (PilotUnit.objects.all(), unit_path),
        "reports": (Report.objects.all(), report_path),
    }


def wrong() -> dict[str, int]:
    """How many pilot units and reports keep a path other than their organization's."""
    return {name: qs.exclude(path=expected).count() for name, (qs, expected) in _expected().items()}


@transaction.atomic
def rebuild() -> dict[str, int]:
    """Rewrite the kept paths that differ from their organization's; returns how many rows of each changed."""
    return {
        name: qs.exclude(path=expected).update(path=expected) for name, (qs, expected) in _expected().items()
    }
