"""Scoped querysets for funds. Staff of the fund's organization see it all; a pilot unit sees the funds of
its programs (balance and its own applications), never another unit's applications."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from league import policies

from ..selectors import programs_for
from .models import ApplicationStatus, Fund, LedgerEntry, ProjectApplication


def funds_for(user) -> QuerySet[Fund]:
    qs = Fund.objects.select_related("organization", "program")
    own = policies.scope_q(user, "view", "organization__path")
    if own is None:
        return qs
    return qs.filter(own | Q(program__in=programs_for(user).values("pk")))


def can_see_ledger(user, fund: Fund) -> bool:
    return policies.can(user, "view", fund.organization)


def applications_for(user) -> QuerySet[ProjectApplication]:
    qs = ProjectApplication.objects.select_related(
        "fund__organization", "organization", "applied_by", "decided_by"
    )
    fund_side = policies.scope_q(user, "view", "fund__organization__path")
    if fund_side is None:
        return qs
    return qs.filter(fund_side | policies.scope_q(user, "view", "organization__path"))


def pending_applications_managed_by(user) -> QuerySet[ProjectApplication]:
    """Submitted applications to the funds whose organization the user manages (the funds' home panel).

    Every role that manages also views its subtree (league.policies.ROLE_ACTIONS), so these are all in
    applications_for(user); asked by the managed funds alone, not by that OR across the fund's and the
    applicant's organizations, which PostgreSQL answers by walking every organization of the country (30-60
    ms nationally; the funds are few, each one's organization is one index probe)."""
    qs = ProjectApplication.objects.select_related(
        "fund__organization", "organization", "applied_by", "decided_by"
    )
    if policies.scope_paths(user, "manage") is not None:  # None: a platform admin, every fund
        qs = qs.filter(fund__in=policies.scoped(Fund.objects.all(), user, "manage").values("pk"))
    return qs.filter(status=ApplicationStatus.SUBMITTED)


def entries_for(user) -> QuerySet[LedgerEntry]:
    """Ledger entries of funds whose organization the user may see."""
    return policies.scoped(LedgerEntry.objects.select_related("fund__organization", "organization", "created_by",
                                                              "application"), user, "view",
                           path_field="fund__organization__path")  # fmt: skip
