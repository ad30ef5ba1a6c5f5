"""Scoped querysets for funds. Staff of the fund's organization see it all; a pilot unit sees the funds of
its programs (balance and its own applications), never another unit's applications."""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, QuerySet

from league import policies
from league.models import Organization
from league.sqltext import owner_in_scope_sql, per_vendor, scope_sql

from ..models import PilotProgram, PilotUnit
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


@per_vendor
def _fund_list_sql() -> tuple[str, str]:
    """The count and the rows of fund_list_rows, with `{where}` where the scope's condition goes."""
    qn = connection.ops.quote_name
    f, o, p = Fund._meta, Organization._meta, PilotProgram._meta
    e, a, u = LedgerEntry._meta, ProjectApplication._meta, PilotUnit._meta

    def col(alias, meta, name):
        return f"{alias}.{qn(meta.get_field(name).column)}"

    pk = qn("id")
    joins = (
        f" FROM {qn(f.db_table)} f INNER JOIN {qn(o.db_table)} o ON o.{pk} = {col('f', f, 'organization')}"
        f" LEFT OUTER JOIN {qn(p.db_table)} p ON p.{pk} = {col('f', f, 'program')}"
    )
    # SQLite keeps decimals as numbers of any kind: the ORM casts each decimal expression (SQLiteNumericMixin)
    cast = "CAST({} AS NUMERIC)" if connection.vendor == "sqlite" else "{}"
    total = cast.format(f"SUM({col('e', e, 'amount')})")
    balance = cast.format(
        f"COALESCE((SELECT {total} FROM {qn(e.db_table)} e WHERE {col('e', e, 'fund')} = f.{pk}), {cast.format('%s')})"
    )
    pending = (
        f"(SELECT COUNT(*) FROM {qn(a.db_table)} a"
        f" WHERE {col('a', a, 'fund')} = f.{pk} AND {col('a', a, 'status')} = %s)"
    )
    columns = [col("f", f, "id"), col("f", f, "name"), col("f", f, "organization"), col("o", o, "name"),
               col("o", o, "path"), col("f", f, "program"), col("p", p, "name"), balance, pending]  # fmt: skip
    rows = (
        f"SELECT {', '.join(columns)}{joins}{{where}}"
        f" ORDER BY {col('o', o, 'path')} ASC, {col('f', f, 'name')} ASC LIMIT %s OFFSET %s"
    )
    count = f"SELECT COUNT(*) FROM {qn(f.db_table)} f INNER JOIN {qn(o.db_table)} o ON o.{pk} = {col('f', f, 'organization')}{{where}}"  # fmt: skip
    # funds_for's second condition: a program run inside the scope ({runs}) or with a unit inside it ({units})
    programs = (
        f"{col('f', f, 'program')} IN (SELECT r.{pk} FROM {qn(p.db_table)} r WHERE {{runs}}"
        f" UNION SELECT {col('u', u, 'program')} FROM {qn(u.db_table)} u WHERE {{units}})"
    )
    return count, rows, programs


def fund_list_rows(user):
    """The funds list's rows: `with_figures(funds_for(user)).order_by("organization__path", "name")` read as SQL
    written once (league.pagination.SqlRows), not built by the ORM on every list: funds_for's condition (the
    fund's organization in the scope, or its program in programs_for(user)) cost ~1.4 ms to plan as the ORM
    writes it, an OR over nested subqueries. Each row is a Fund with its `organization` (id, name, path) and
    `program` (id, name, or None), `balance` and `pending_n` as with_figures gives them
    (tests/pilots/guidance/test_fund_list.py compares them with the ORM's)."""
    from league.pagination import SqlRows

    from .models import ZERO
    from .stats import _FIGURES

    count, rows, programs = _fund_list_sql()
    qn = connection.ops.quote_name
    scope = policies.scope_split(user, "view")
    where, params = "", []
    if scope is not None:
        own, own_params = scope_sql(f"o.{qn('path')}", scope)
        if scope[0] or scope[1]:
            # a program's organization read by its id (joined, PostgreSQL walked every organization in id order
            # for the last of 30 provinces: 75 ms, the first 0.1)
            runs, runs_params = owner_in_scope_sql(
                f"r.{qn(PilotProgram._meta.get_field('organization').column)}", scope
            )
            units, units_params = scope_sql(f"u.{qn(PilotUnit._meta.get_field('path').column)}", scope)
            in_programs = programs.format(runs=runs, units=units)
            where = f" WHERE ({own} OR {in_programs})"
            params = [*own_params, *runs_params, *units_params]
        else:
            where = f" WHERE {own}"
    pending_status = ApplicationStatus.SUBMITTED.value
    # The ORM's converters of with_figures' balance (SQLite sums decimals as floats, or integers)
    figure = _FIGURES["balance"]
    converters = connection.ops.get_db_converters(figure) + figure.get_db_converters(connection)

    def money(value):
        for convert in converters:
            value = convert(value, figure, connection)
        return value

    def build(row):
        fund_id, name, org_id, org_name, org_path, program_id, program_name, balance, pending_n = row
        fund = Fund(id=fund_id, name=name, organization_id=org_id, program_id=program_id)
        fund.organization = Organization(id=org_id, name=org_name, path=org_path)
        fund.program = None if program_id is None else PilotProgram(id=program_id, name=program_name)
        fund.balance, fund.pending_n = money(balance), pending_n
        return fund

    return SqlRows(count.format(where=where), rows.format(where=where), [ZERO, pending_status, *params], build,
                   count_params=params)  # fmt: skip
