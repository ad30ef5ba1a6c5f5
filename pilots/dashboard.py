"""Numbers of the pilots dashboard and program page, computed live from the slots (a report filed a second
ago counts). Each figure is one aggregate query, so the query count never grows with units or reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from .models import FILED_STATES, OUTSTANDING_STATES, Milestone, ReportSlot, ReportState, ReportTally, today

FILED = Q(report__state__in=FILED_STATES)
NOT_FILED = Q(report__isnull=True) | Q(report__state__in=OUTSTANDING_STATES)


def slot_counts(on: dt.date) -> dict:
    """Aggregates over a slot queryset: expected (opened), filed, on time, late, missing (past deadline),
    pending (not filed, deadline ahead), returned, accepted."""
    return {
        "expected": Count("id"),
        "filed": Count("id", filter=FILED),
        "on_time": Count("id", filter=FILED & Q(report__late=False)),
        "late": Count("id", filter=FILED & Q(report__late=True)),
        "missing": Count("id", filter=NOT_FILED & Q(deadline__lt=on)),
        "pending": Count("id", filter=NOT_FILED & Q(deadline__gte=on)),
        "returned": Count("id", filter=Q(report__state=ReportState.RETURNED)),
        "accepted": Count("id", filter=Q(report__state=ReportState.ACCEPTED)),
    }


def rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class PeriodRow:
    period_start: dt.date
    expected: int
    filed: int
    on_time: int
    late: int
    missing: int
    pending: int
    returned: int
    accepted: int

    @property
    def completion(self) -> float | None:
        return rate(self.filed, self.expected)

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.on_time, self.expected)


COUNT_FIELDS = ("expected", "filed", "on_time", "late", "missing", "pending", "returned", "accepted")


@dataclass
class Cell:
    status: str  # accepted / submitted / late / returned / draft / missing / pending
    report_id: int | None


@dataclass
class Matrix:
    periods: list[dt.date]
    rows: list[tuple] = field(default_factory=list)  # (organization, [Cell | None per period])


def periods_table(slots: QuerySet[ReportSlot], on: dt.date) -> list[PeriodRow]:
    rows = (
        slots.opened(on)
        .order_by()
        .values("period_start")
        .annotate(**slot_counts(on))
        .order_by("period_start")
    )
    return [PeriodRow(**r) for r in rows]


def _sum(expression, condition: Q | None = None):
    return Coalesce(Sum(expression, filter=condition), 0)


def tally_counts(on: dt.date) -> dict:
    """The same figures as `slot_counts`, summed from the report counters (pilots/models_tally.py)."""
    not_filed = F("slots") - F("filed_on_time") - F("filed_late")
    return {
        "expected": _sum("slots"),
        "filed": _sum(F("filed_on_time") + F("filed_late")),
        "on_time": _sum("filed_on_time"),
        "late": _sum("filed_late"),
        "missing": _sum(not_filed, Q(deadline__lt=on)),
        "pending": _sum(not_filed, Q(deadline__gte=on)),
        "returned": _sum("returned"),
        "accepted": _sum("accepted"),
    }


def periods_from_tallies(
    tallies: QuerySet[ReportTally], on: dt.date, own_slots: QuerySet[ReportSlot] | None = None
) -> list[PeriodRow]:
    """`periods_table` from the counters: one indexed query over a few rows per period, whatever the size
    of the subtree (the tally rows must be those of the topmost organizations: see tallies.visible), plus
    `own_slots` counted live and added (the own slots of organizations seen alone, whose tally rows would
    count their whole subtree: one more query over an instructor's few units)."""
    rows = (
        tallies.filter(period_start__lte=on)
        .order_by()
        .values("period_start")
        .annotate(**tally_counts(on))
        .order_by("period_start")
    )
    periods = {r["period_start"]: PeriodRow(**r) for r in rows}
    for live in periods_table(own_slots, on) if own_slots is not None else ():
        row = periods.get(live.period_start)
        if row is None:
            periods[live.period_start] = live
        else:
            for name in COUNT_FIELDS:
                setattr(row, name, getattr(row, name) + getattr(live, name))
    return [periods[p] for p in sorted(periods)]


def totals(rows: list[PeriodRow]) -> PeriodRow | None:
    if not rows:
        return None
    return PeriodRow(
        period_start=rows[0].period_start, **{k: sum(getattr(r, k) for r in rows) for k in COUNT_FIELDS}
    )


def cell_status(state: str | None, late: bool | None, deadline: dt.date, on: dt.date) -> str:
    if state in FILED_STATES:
        return "late" if late else state
    if state == ReportState.RETURNED:
        return "returned"
    if deadline < on:
        return "missing"
    return "draft" if state == ReportState.DRAFT else "pending"


def matrix(slots: QuerySet[ReportSlot], organizations: list, periods: list[dt.date], on: dt.date) -> Matrix:
    """Units × periods for the given page of organizations (one query)."""
    cells: dict[tuple[int, dt.date], Cell] = {}
    rows = (
        slots.opened(on)
        .filter(organization__in=[o.pk for o in organizations])
        .values_list(
            "organization_id", "period_start", "report__state", "report__late", "deadline", "report__id"
        )
    )
    for org_id, start, state, late, deadline, report_id in rows:
        cells[(org_id, start)] = Cell(cell_status(state, late, deadline, on), report_id)
    result = Matrix(periods=periods)
    for org in organizations:
        result.rows.append((org, [cells.get((org.pk, p)) for p in periods]))
    return result


def milestone_summary(milestones: QuerySet[Milestone], on: dt.date | None = None) -> dict:
    on = on or today()
    return milestones.aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(done_on__isnull=False)),
        done_late=Count("id", filter=Q(done_on__isnull=False) & Q(done_on__gt=F("due_on"))),
        overdue=Count("id", filter=Q(done_on__isnull=True, due_on__lt=on)),
    )


# The figures of a program page's unit rows (pilots_tags.unit_rows), written as SQL: the two ORM aggregates
# they replace (milestones by unit, slot_counts by organization) cost ~2.5 ms of CPU to build per request,
# this ~0.3 ms, and one round trip instead of two. Portable (SQLite and PostgreSQL); each filtered count is
# the Q of the ORM aggregate it replaces (tests/pilots/test_unit_figures.py compares them on both).
_UNIT_FIGURES_SQL = """
SELECT 0, m.unit_id, COUNT(*),
       COUNT(CASE WHEN m.done_on IS NOT NULL THEN 1 END),
       COUNT(CASE WHEN m.done_on > m.due_on OR (m.done_on IS NULL AND m.due_on < %s) THEN 1 END),
       0, 0
  FROM pilots_milestone m
 WHERE m.unit_id IN ({units})
 GROUP BY m.unit_id
UNION ALL
SELECT 1, s.organization_id, COUNT(*),
       COUNT(CASE WHEN r.state IN (%s, %s) THEN 1 END),
       COUNT(CASE WHEN r.state IN (%s, %s) AND NOT r.late THEN 1 END),
       COUNT(CASE WHEN r.state IN (%s, %s) AND r.late THEN 1 END),
       COUNT(CASE WHEN (r.id IS NULL OR r.state IN (%s, %s)) AND s.deadline < %s THEN 1 END)
  FROM pilots_reportslot s
  LEFT JOIN pilots_report r ON r.slot_id = s.id
 WHERE s.program_id = %s AND s.organization_id IN ({organizations}) AND s.period_start <= %s
 GROUP BY s.organization_id
"""


def unit_figures(
    program_id: int, units: list[tuple[int, int]], on: dt.date
) -> tuple[dict[int, dict], dict[int, dict]]:
    """What the program page shows of its units, `units` being (unit id, organization id) pairs: per unit id
    its milestones (total, done, late: done after the due date or not done and past it), and per organization
    id its slots of the program opened by `on` (expected, filed, on_time, late, missing), as slot_counts
    counts them. One query."""
    if not units:
        return {}, {}
    unit_ids = [int(u) for u, _ in units]
    org_ids = list(dict.fromkeys(int(o) for _, o in units))
    connection = connections[ReportSlot.objects.db]
    day = connection.ops.adapt_datefield_value(on)
    filed, outstanding = [str(s) for s in FILED_STATES], [str(s) for s in OUTSTANDING_STATES]
    sql = _UNIT_FIGURES_SQL.format(units=", ".join(["%s"] * len(unit_ids)),
                                   organizations=", ".join(["%s"] * len(org_ids)))  # fmt: skip
    params = [day, *unit_ids, *filed, *filed, *filed, *outstanding, day, int(program_id), *org_ids, day]
    milestones: dict[int, dict] = {}
    reports: dict[int, dict] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, key, a, b, c, d, e in cursor.fetchall():
            if kind == 0:
                milestones[key] = {"unit_id": key, "total": a, "done": b, "late": c}
            else:
                reports[key] = {"organization_id": key, "expected": a, "filed": b, "on_time": c, "late": d,
                                "missing": e}  # fmt: skip
    return milestones, reports


class UnitRows:
    """The organizations with a slot among a dashboard's, in path order (the matrix's rows), for CappedPaginator:
    `count_upto(n)` and a slice, one statement for both when the page was told (count_with_page) and has rows (else
    one each). They are

        Organization.objects.filter(pk__in=slots.values("organization_id")).order_by("path").only("name")

    for `slots` the user's slots of the program filtered as the dashboard filters them (schedule, subtree, level,
    months), written as SQL where each subtree (the user's scope, the subtree asked for) is the range of paths the
    organizations' path indexes read (league.models.subtree_sql). The page sorts the few organizations of that
    range and only then takes its rows: ordered by path with LIMIT and a LIKE, PostgreSQL walked the path index
    from the country's first path to the scope's (the dashboard of the last of 30 provinces read 230,000
    organizations: 600 ms, the first one's 5 ms), and counted them by a sequential scan in the table's order; now
    each province of 7,911 organizations reads its own (~10-20 ms for the page and its count, wherever its paths).
    `scope` is policies.scope_split's; None (everywhere) is a platform admin's with a subtree asked for (the whole
    country's dashboard keeps the ORM's walk of the path index, which is what it reads)."""

    def __init__(self, scope: tuple[list[str], list[str]] | None, *, program_id: int, schedule_id: int | None = None,
                 root_path: str | None = None, level: str = "", start: dt.date | None = None,
                 end: dt.date | None = None) -> None:  # fmt: skip
        from league.models import Organization, subtree_sql
        from league.sqltext import scope_sql

        connection = connections[ReportSlot.objects.db]
        qn, org, slot = connection.ops.quote_name, Organization._meta, ReportSlot._meta
        self.connection = connection
        path = f"o.{qn(org.get_field('path').column)}"
        where, params = scope_sql(path, scope)
        where, params = [where] if where else [], list(params)
        if root_path is not None:
            sql, bounds = subtree_sql(path, root_path)
            where.append(sql)
            params += bounds
        if level:
            where.append(f"o.{qn(org.get_field('level').column)} = %s")
            params.append(str(level))
        column = {name: f"s.{qn(slot.get_field(name).column)}" for name in
                  ("organization", "program", "schedule", "period_start")}  # fmt: skip
        has_slot = [f"{column['organization']} = o.{qn(org.pk.column)}", f"{column['program']} = %s"]
        params.append(int(program_id))
        if schedule_id is not None:
            has_slot.append(f"{column['schedule']} = %s")
            params.append(int(schedule_id))
        for operator, day in ((">=", start), ("<=", end)):
            if day is not None:
                has_slot.append(f"{column['period_start']} {operator} %s")
                params.append(connection.ops.adapt_datefield_value(day))
        where.append(f"EXISTS (SELECT 1 FROM {qn(slot.db_table)} s WHERE {' AND '.join(has_slot)})")
        self.rows = f"FROM {qn(org.db_table)} o WHERE {' AND '.join(where)}"
        self.columns = (
            f"o.{qn(org.pk.column)} AS id, o.{qn(org.get_field('name').column)} AS name, {path} AS path"
        )
        self.params = params
        self.first, self.per_page, self.total, self.read = None, 0, None, None

    def count_with_page(self, number: int, per_page: int) -> None:
        """Count the rows with page `number` (as CappedPaginator reads the page asked for), in one statement."""
        self.first, self.per_page = (number - 1) * per_page, per_page

    def count_upto(self, n: int) -> int:
        """The number of rows, up to n: read with the page told (count_with_page: its rows and their number in one
        statement, the paginator's slice then taking the rows read), else counted alone (none told, or no rows
        there: a page past the end, or none at all)."""
        if self.first is not None and self.read is None:
            self.read = self._page(self.first, self.first + self.per_page, counted=True)
            self.total = self.read[0][2] if self.read else None
        if self.total is not None:
            return min(self.total, n)
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 {self.rows} LIMIT %s) c", [*self.params, int(n)])
            return cursor.fetchone()[0]

    def _page(self, bottom: int, top: int, counted: bool = False) -> list[tuple]:
        # On PostgreSQL, OFFSET 0 keeps the rows of the range a subquery of their own, sorted after (SQLite's
        # planner has no walk to avoid, and no OFFSET without LIMIT).
        fence = " OFFSET 0" if self.connection.vendor == "postgresql" else ""
        total = ", COUNT(*) OVER ()" if counted else ""
        sql = (f"SELECT u.id, u.name{total} FROM (SELECT {self.columns} {self.rows}{fence}) u"
               " ORDER BY u.path LIMIT %s OFFSET %s")  # fmt: skip
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*self.params, int(top - bottom), int(bottom)])
            return cursor.fetchall()

    def __len__(self) -> int:  # Paginator asks count(), which CappedPaginator answers by count_upto
        return self.count_upto(2**31 - 1)

    def __getitem__(self, page: slice) -> list:
        from league.models import Organization

        bottom, top = page.start or 0, page.stop
        if self.read is not None and bottom == self.first and top <= self.first + self.per_page:
            rows = [row[:2] for row in self.read[: top - bottom]]  # read with the count
        else:
            rows = self._page(bottom, top)
        return [Organization.from_db(self.connection.alias, ["id", "name"], row) for row in rows]
