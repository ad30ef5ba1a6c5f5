"""Who sees and logs guidance: league.policies' subtree rule, narrowed by assignment for instructors.

A membership with the instructor role gives `guide` over a subtree, but an instructor sees the guidance
records (visits, problems, the five ones) only of the pilot units assigned to them, and logs a visit only
for a unit whose assignment covers the visit's date. Other roles (staff, secretaries, admins) see the
guidance of every pilot unit in their `view` subtree, as elsewhere.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from league import policies
from league.models import Role

from ..models import PilotUnit
from .models import InstructorAssignment


def _subtree_paths(user) -> list[str] | None:
    """`view` paths from roles other than instructor (None: everywhere)."""
    if policies.is_platform_admin(user):
        return None
    return sorted({path for role, path, _ in policies.memberships(user)
                   if role != Role.INSTRUCTOR and "view" in policies.ROLE_ACTIONS[role]})  # fmt: skip


def guidance_units_for(user) -> QuerySet[PilotUnit]:
    """Pilot units whose guidance records `user` may read."""
    qs = PilotUnit.objects.select_related("organization", "program")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    paths = _subtree_paths(user)
    if paths is None:
        return qs
    condition = Q(pk__in=assigned_units(user).values("pk"))
    for path in paths:
        condition |= Q(organization__path__startswith=path)
    return qs.filter(condition)


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
