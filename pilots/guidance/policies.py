"""Who sees and logs guidance: league.policies' `view` scope, which narrows instructors to their units.

A membership with the instructor role gives `guide` over a subtree, but `view` only over the pilot units
assigned to the instructor (league.policies), so an instructor sees the guidance records (visits,
problems, the five ones) of those units only, like their reports and unit pages, and logs a visit only
for a unit whose assignment covers the visit's date. Other roles (staff, secretaries, admins) see the
guidance of every pilot unit in their `view` subtree, as elsewhere.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from league import policies

from ..models import PilotUnit
from ..selectors import units_for
from .models import InstructorAssignment


def guidance_units_for(user) -> QuerySet[PilotUnit]:
    """Pilot units whose guidance records `user` may read."""
    return units_for(user, "view")


def assigned_units(user, on: dt.date | None = None) -> QuerySet[PilotUnit]:
    """Units assigned to `user` as instructor (on a day, if given), inside their `guide` subtree."""
    assignments = InstructorAssignment.objects.filter(instructor=user)
    if on is not None:
        assignments = assignments.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on), starts_on__lte=on)
    return policies.scoped(
        PilotUnit.objects.filter(pk__in=assignments.values("unit_id")), user, "guide"
    ).select_related("organization", "program")


def is_instructor_of(user, unit: PilotUnit) -> bool:
    return assigned_units(user).filter(pk=unit.pk).exists()


def can_manage_guidance(user, unit_or_program) -> bool:
    program = getattr(unit_or_program, "program", unit_or_program)
    return policies.can(user, "manage", program.organization)
