"""Scoped querysets for funds. Staff of the fund's organization see it all; a pilot unit sees the funds of
its programs (balance and its own applications), never another unit's applications."""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, QuerySet

from league import policies
from league.models import Organization
from league.sqltext import per_vendor, scope_sql

from ..models import PilotProgram
from ..selectors import programs_for
from .models import ApplicationStatus, Fund, LedgerEntry, ProjectApplication
from .services import FUND_HOLDER_LEVELS


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


@per_vendor
def _form_options_sql() -> tuple[str, str]:
    """The statements of fund_form_options, with `{scope}` where the condition on the organization's path goes."""
    qn, org, program = connection.ops.quote_name, Organization._meta, PilotProgram._meta
    o = {name: qn(org.get_field(name).column) for name in ("id", "name", "level", "path")}
    p = {name: qn(program.get_field(name).column) for name in ("id", "name", "organization", "starts_on")}
    levels = ", ".join(["%s"] * len(FUND_HOLDER_LEVELS))
    organizations = (
        f"SELECT o.{o['id']}, o.{o['name']} FROM {qn(org.db_table)} o"
        f" WHERE o.{o['level']} IN ({levels}){{scope}} ORDER BY o.{o['path']}"
    )
    programs = (
        f"SELECT p.{p['id']}, p.{p['name']} FROM {qn(program.db_table)} p"
        f" INNER JOIN {qn(org.db_table)} o ON o.{o['id']} = p.{p['organization']}"
        f" WHERE o.{o['level']} IN ({levels}){{scope}} ORDER BY p.{p['starts_on']} DESC, p.{p['name']}, p.{p['id']}"
    )
    return organizations, programs


def fund_form_options(user) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(id, name) of the committees the user manages that may hold a fund, by path, and of the programs they run,
    newest first (PilotProgram's order, then by id): the options of the fund form's two selects, the rows of
    `organizations_for(user, "manage").filter(level__in=FUND_HOLDER_LEVELS).order_by("path")` and of
    `scoped(PilotProgram.objects.filter(organization__level__in=FUND_HOLDER_LEVELS), user, "manage")`, as SQL
    written once rather than the ORM's two queries built on every funds list (tests/pilots/test_fund_options.py
    compares them)."""
    path = f"o.{connection.ops.quote_name(Organization._meta.get_field('path').column)}"
    within, params = scope_sql(path, policies.scope_split(user, "manage"))
    scope = f" AND {within}" if within else ""
    levels = [str(level) for level in FUND_HOLDER_LEVELS]
    with connection.cursor() as cursor:
        out = []
        for text in _form_options_sql():
            cursor.execute(text.format(scope=scope), [*levels, *params])
            out.append(cursor.fetchall())
    return out[0], out[1]
