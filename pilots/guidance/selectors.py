"""Scoped querysets for guidance and pairs (league.policies + assignment-based narrowing)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from league import policies

from .models import InstructorAssignment, Pair, PairAgreement, Visit, VisitAttachment
from .policies import guidance_units_for


def visits_for(user) -> QuerySet[Visit]:
    return Visit.objects.filter(unit__in=guidance_units_for(user).values("pk")).select_related(
        "unit__organization", "unit__program", "instructor")  # fmt: skip


def visit_files_for(user) -> QuerySet[VisitAttachment]:
    return VisitAttachment.objects.filter(visit__in=visits_for(user).values("pk"))


def assignments_for(user) -> QuerySet[InstructorAssignment]:
    return InstructorAssignment.objects.filter(unit__in=guidance_units_for(user).values("pk")).select_related(
        "unit__organization", "unit__program__organization", "instructor")  # fmt: skip


def pairs_for(user) -> QuerySet[Pair]:
    """Pairs where either side lies in the user's view scope."""
    qs = Pair.objects.select_related("organ", "unit__organization", "program__organization")
    unit_side = policies.scope_q(user, "view", "unit__organization__path")
    if unit_side is None:
        return qs
    organ_side = policies.scope_q(user, "view", "organ__path")
    return qs.filter(pk__in=Pair.objects.filter(unit_side | organ_side).values("pk"))


def agreements_for(user) -> QuerySet[PairAgreement]:
    return PairAgreement.objects.filter(pair__in=pairs_for(user).values("pk")).select_related("pair__program")


__all__ = ["Q", "agreements_for", "assignments_for", "pairs_for", "visit_files_for", "visits_for"]
