"""Figures of grassroots work for any organization's subtree, at a constant number of queries.

These are the inputs other features take (the assessment scheme, the reminder sweep):

    missing_theme_days(month, within=org)  -> Organization queryset: branches without this month's theme day
    theme_day_rate(org, month)             -> ThemeDayRate: branches, held, all seven items, attendance
    theme_day_period_rate(org, first, last) -> ThemeDayPeriod: theme days held over months, for assessment
    per_capita_funding(org, year)          -> FundingFigure: youth fund per young person, streets below 3 yuan
    theme_day_rollup(org, month)           -> one ThemeDayRate per child of org (for the roll-up table)

A "branch" is a grassroots-level organization with no units under it (团支部 and the like); a street's
branches are the branches of its subtree. Every function reads the subtree by materialized path, so its
query count does not grow with the tree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count, DecimalField, Exists, F, OuterRef, Q, Sum, Value
from django.db.models.functions import Substr

from league.models import PATH_SEP, PATH_WIDTH, Level, Organization, id_join_sql, subtree_sql

from .models import (
    CoverageGap,
    Handover,
    HomeActivity,
    Lecture,
    ProjectActivity,
    ThemeDay,
    TransferRate,
    YouthFunding,
    YouthHome,
    YouthOfficer,
    min_fund_per_youth,
)

SEGMENT = PATH_WIDTH + len(PATH_SEP)


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def branches_within(organization: Organization | None):
    """Branches (grassroots leaf units) in the subtree of `organization`, itself included (None: all)."""
    has_children = Organization.objects.filter(parent=OuterRef("pk"))
    branches = Organization.objects.filter(level=Level.GRASSROOTS)
    if organization is not None:
        branches = branches.filter(path__startswith=organization.path)
    return branches.exclude(Exists(has_children))


def missing_theme_days(month: datetime.date, within: Organization | None):
    """Branches under `within` (None: the whole tree) that have not recorded the theme day of `month` (a
    chainable queryset, for lists and for the reminder sweep: pilots.reminders.select_theme_days)."""
    held = ThemeDay.objects.filter(organization=OuterRef("pk"), month=first_of_month(month))
    return branches_within(within).exclude(Exists(held)).order_by("path")


@dataclass
class ThemeDayRate:
    organization: Organization
    month: datetime.date
    branches: int = 0
    held: int = 0
    complete: int = 0
    present: int = 0
    total: int = 0

    @property
    def rate(self) -> Decimal | None:
        """Percentage of branches that held the month's theme day."""
        return _percent(self.held, self.branches)

    @property
    def complete_rate(self) -> Decimal | None:
        """Percentage of branches that held it with all the fixed items done."""
        return _percent(self.complete, self.branches)

    @property
    def attendance_rate(self) -> Decimal | None:
        """Members present over members of the branches that held it."""
        return _percent(self.present, self.total)

    @property
    def missing(self) -> int:
        return self.branches - self.held


def _subtree(alias: str, organization: Organization) -> tuple[str, list]:
    """SQL (and its parameters) for "`alias` is `organization` or under it" (league.models.subtree_sql: a
    province's 6,500 branches read as an index range, 0.9 → 0.7 ms on PostgreSQL)."""
    return subtree_sql(f"{alias}.path", organization.path)


def theme_day_rate(organization: Organization, month: datetime.date) -> ThemeDayRate:
    """The theme-day figures of `organization`'s subtree for `month` (one query). For the assessment
    scheme: `theme_day_rate(org, month).rate` is the percentage of branches that held it."""
    month = first_of_month(month)
    sql, params = _theme_day_select(organization, month)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return _theme_day_rate(organization, month, cursor.fetchone())


def theme_day_rates(organizations: list[Organization], month: datetime.date) -> list[ThemeDayRate]:
    """theme_day_rate() of each of `organizations`, in their order, in one statement (one SELECT of each, joined
    by UNION ALL): the home page's theme-day panel shows an admin's three national roots in one round trip."""
    if not organizations:
        return []
    month = first_of_month(month)
    selects, params = [], []
    for index, organization in enumerate(organizations):
        sql, select_params = _theme_day_select(organization, month)
        selects.append(sql.replace("SELECT ", f"SELECT {index:d}, ", 1))
        params += select_params
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects) + " ORDER BY 1", params)
        rows = cursor.fetchall()
    return [
        _theme_day_rate(organization, month, row[1:])
        for organization, row in zip(organizations, rows, strict=True)
    ]


def _theme_day_select(organization: Organization, month: datetime.date) -> tuple[str, list]:
    """SELECT of (branches, held, complete, present, total) for the subtree and month, with its parameters:
    branches_within(org).count() and the month's theme days in one statement, without the ORM's compilation
    (the same rows as the ORM's queries; tests/grassroots compare the figures). A branch is counted by the
    number of units under it that the database keeps (Organization.child_count), over the partial index of
    branches: no look-up of each grassroots unit's children (6,500 for a province of the national dataset)."""
    qn = connection.ops.quote_name
    orgs, days = qn(Organization._meta.db_table), qn(ThemeDay._meta.db_table)
    branches, branches_params = _subtree("b", organization)
    within, within_params = _subtree("o", organization)
    sql = (
        f"SELECT (SELECT COUNT(*) FROM {orgs} b WHERE b.level = %s AND b.child_count = 0 AND {branches}),"
        " COUNT(t.id), COUNT(CASE WHEN t.all_items_done THEN 1 END), SUM(t.members_present),"
        f" SUM(t.members_total) FROM {days} t INNER JOIN {orgs} o ON {id_join_sql('o.id', 't.organization_id')}"
        f" WHERE {within} AND t.month = %s"
    )
    params = [
        Level.GRASSROOTS.value,
        *branches_params,
        *within_params,
        connection.ops.adapt_datefield_value(month),
    ]
    return sql, params


def _theme_day_rate(organization: Organization, month: datetime.date, row) -> ThemeDayRate:
    branches, held, complete, present, total = row
    return ThemeDayRate(
        organization, month, branches or 0, held or 0, complete or 0, present or 0, total or 0
    )


@dataclass
class ThemeDayPeriod:
    """Theme days over whole months: `held` of `branches` × `months` expected."""

    organization: Organization
    first_month: datetime.date
    last_month: datetime.date
    months: int
    branches: int
    held: int

    @property
    def expected(self) -> int:
        return self.branches * self.months

    @property
    def rate(self) -> Decimal | None:
        return _percent(self.held, self.expected)


def theme_day_period_rate(organization: Organization, first_month: datetime.date, last_month: datetime.date):
    """Theme days held by the branches of `organization`'s subtree from `first_month` to `last_month`
    (inclusive) against one per branch and month (two queries). For the assessment scheme's proposal."""
    first_month, last_month = first_of_month(first_month), first_of_month(last_month)
    months = max(0, (last_month.year - first_month.year) * 12 + last_month.month - first_month.month + 1)
    held = (
        ThemeDay.objects.within(organization)
        .filter(month__gte=first_month, month__lte=last_month, organization__in=branches_within(organization))
        .count()
    )
    return ThemeDayPeriod(
        organization, first_month, last_month, months, branches_within(organization).count(), held
    )


def theme_day_rollup(organization: Organization, month: datetime.date, children=None) -> list[ThemeDayRate]:
    """One ThemeDayRate per child of `organization` (three queries whatever the size of the tree)."""
    month = first_of_month(month)
    length = len(organization.path) + SEGMENT
    children = list(children if children is not None else organization.children.order_by("name"))
    branch_counts = dict(
        branches_within(organization)
        .exclude(pk=organization.pk)
        .annotate(prefix=Substr("path", 1, length))
        .order_by()
        .values_list("prefix")
        .annotate(n=Count("id"))
    )
    rows = (
        ThemeDay.objects.within(organization)
        .for_month(month)
        .exclude(organization=organization)
        .annotate(prefix=Substr("organization__path", 1, length))
        .order_by()
        .values("prefix")
        .annotate(
            held=Count("id"),
            complete=Count("id", filter=Q(all_items_done=True)),
            present=Sum("members_present"),
            total=Sum("members_total"),
        )
    )
    by_prefix = {row["prefix"]: row for row in rows}
    result = []
    for child in children:
        row = by_prefix.get(child.path, {})
        result.append(
            ThemeDayRate(
                organization=child,
                month=month,
                branches=branch_counts.get(child.path, 0),
                held=row.get("held") or 0,
                complete=row.get("complete") or 0,
                present=row.get("present") or 0,
                total=row.get("total") or 0,
            )
        )
    return result


@dataclass
class FundingFigure:
    organization: Organization
    year: int
    amount: Decimal = Decimal(0)
    population: int = 0
    streets: int = 0
    below_count: int = 0
    below: list = field(default_factory=list)
    minimum: Decimal = field(default_factory=min_fund_per_youth)

    @property
    def per_capita(self) -> Decimal | None:
        if not self.population:
            return None
        return (self.amount / self.population).quantize(Decimal("0.01"))

    @property
    def below_minimum(self) -> bool:
        return self.below_count > 0


def per_capita_funding(organization: Organization, year: int, rows: int = 0) -> FundingFigure:
    """Youth fund per young person over the streets of `organization`'s subtree for `year` (one query,
    two with `rows`). `below_count` counts the streets whose own figure is under the minimum (default 3
    yuan, setting GRASSROOTS_MIN_FUND_PER_YOUTH); `below` lists up to `rows` of them.
    For the assessment scheme: `.per_capita` and `.below_minimum`."""
    minimum = min_fund_per_youth()
    funds = YouthFunding.objects.filter(organization__path__startswith=organization.path, year=year)
    under = Q(amount_yuan__lt=F("youth_population") * minimum)
    totals = funds.order_by().aggregate(
        amount=Sum("amount_yuan"),
        population=Sum("youth_population"),
        n=Count("id"),
        below=Count("id", filter=under),
    )
    below = []
    if rows and totals["below"]:
        below = list(funds.filter(under).select_related("organization").order_by("organization__path")[:rows])
    return FundingFigure(
        organization=organization,
        year=year,
        amount=totals["amount"] or Decimal(0),
        population=totals["population"] or 0,
        streets=totals["n"] or 0,
        below_count=totals["below"] or 0,
        below=below,
        minimum=minimum,
    )


def organization_figures(
    organization: Organization, month: datetime.date
) -> tuple[ThemeDayRate, FundingFigure]:
    """`theme_day_rate(organization, month)` and `per_capita_funding(organization, month.year)` in one plain
    SQL statement: the same figures without the ORM's work of building three queries — for the
    organization page's panel, shown on every visit (tests/grassroots/test_rollups.py compares them)."""
    month, minimum = first_of_month(month), min_fund_per_youth()
    qn, ops = connection.ops.quote_name, connection.ops
    orgs, funds = qn(Organization._meta.db_table), qn(YouthFunding._meta.db_table)
    theme_days, theme_day_params = _theme_day_select(organization, month)
    within, within_params = _subtree("o", organization)
    sql = (
        f"SELECT td.*, fd.* FROM ({theme_days}) td,"
        " (SELECT SUM(f.amount_yuan), SUM(f.youth_population), COUNT(f.id),"
        " COUNT(CASE WHEN f.amount_yuan < f.youth_population * CAST(%s AS NUMERIC) THEN 1 END)"
        f" FROM {funds} f INNER JOIN {orgs} o ON {id_join_sql('o.id', 'f.organization_id')}"
        f" WHERE {within} AND f.year = %s) fd"
    )
    params = [*theme_day_params, ops.adapt_decimalfield_value(minimum), *within_params, month.year]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    amount, population, n, below = row[5:]
    decimal = Value(
        None, output_field=DecimalField()
    )  # the backend's conversion of a decimal sum, as the ORM's
    for convert in ops.get_db_converters(decimal):
        amount = convert(amount, decimal, connection)
    rate = _theme_day_rate(organization, month, row[:5])
    funding = FundingFigure(
        organization=organization,
        year=month.year,
        amount=amount or Decimal(0),
        population=population or 0,
        streets=n or 0,
        below_count=below or 0,
        minimum=minimum,
    )
    return rate, funding


def work_summary(organization: Organization, month: datetime.date) -> dict:
    """Counts of the other records over the subtree, for the organization page (constant queries)."""
    month = first_of_month(month)
    path = organization.path
    year_start = month.replace(month=1)
    lectures = (
        Lecture.objects.filter(organization__path__startswith=path, held_on__gte=year_start)
        .order_by()
        .aggregate(
            year=Count("id"),
            month=Count("id", filter=Q(held_on__gte=month, held_on__lt=_next_month(month))),
            audience=Sum("audience"),
        )
    )
    homes = dict(
        YouthHome.objects.filter(organization__path__startswith=path)
        .order_by()
        .values_list("tier")
        .annotate(n=Count("id"))
    )
    home_activities = (
        HomeActivity.objects.filter(home__organization__path__startswith=path, held_on__gte=year_start)
        .order_by()
        .aggregate(n=Count("id"), people=Sum("participants"))
    )
    projects = (
        ProjectActivity.objects.filter(project__organization__path__startswith=path)
        .order_by()
        .aggregate(n=Count("id"), volunteers=Sum("volunteers"), served=Sum("served"))
    )
    officers = YouthOfficer.objects.filter(organization__path__startswith=path)
    gaps = (
        CoverageGap.objects.filter(organization__path__startswith=path)
        .order_by()
        .aggregate(
            open=Count("id", filter=Q(closed_on__isnull=True)),
            closed=Count("id", filter=Q(closed_on__isnull=False)),
        )
    )
    return {
        "lectures": lectures,
        "homes": homes,
        "home_activities": home_activities,
        "projects": projects,
        "officers_serving": officers.serving().count(),
        "officers_counting": officers.counting().count(),
        "handovers_pending": Handover.objects.filter(
            organization__path__startswith=path, signed_at__isnull=True
        ).count(),
        "gaps": gaps,
    }


def transfer_rates_within(organization: Organization, year: int):
    """学社衔接 figures of the cities in the subtree (and above it, the organization's own) for `year`."""
    return (
        TransferRate.objects.filter(organization__path__startswith=organization.path, year=year)
        .select_related("organization")
        .order_by("organization__path")
    )


def _next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
