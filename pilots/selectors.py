"""Scoped querysets: every pilot page starts from one of these (league.policies decides the scope)."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Q, QuerySet

from league import policies
from league.models import subtree_end

from .models import Briefing, Phase, PilotProgram, PilotUnit, Report, ReportingSchedule, ReportSlot, today


def programs_for(user, action: str = "view") -> QuerySet[PilotProgram]:
    """Programs run inside the user's scope, or with a pilot unit inside it (a street sees its program)."""
    runs = policies.scope_q(user, action, "organization__path")
    qs = PilotProgram.objects.select_related("organization")
    if runs is None:
        return qs
    if not policies.scope_paths(user, action):
        return qs.none()
    # Two index-friendly conditions (runner in scope, or a unit in scope) rather than one OR across the
    # runner's and the units' joins, which PostgreSQL can only answer by scanning every unit (130 ms). The
    # units are found by the organization path they keep (PilotUnit.path: an index range, 0.5 ms for a
    # province of the national dataset), not by joining every unit to its organization (9 ms).
    with_units = PilotUnit.objects.filter(policies.scope_q(user, action, "path")).values("program_id")
    return qs.filter(runs | Q(pk__in=with_units))


def units_for(user, action: str = "view") -> QuerySet[PilotUnit]:
    return policies.scoped(PilotUnit.objects.select_related("organization", "program"), user, action)


def slots_for(user, action: str = "view") -> QuerySet[ReportSlot]:
    return ReportSlot.objects.for_user(user, action)


def reports_for(user, action: str = "view") -> QuerySet[Report]:
    return Report.objects.for_user(user, action)


def briefings_for(user, program: PilotProgram | None = None) -> QuerySet[Briefing]:
    """Published briefings of programs the user can see; drafts only for those who manage the publisher.

    `program`: that program's only, for a program the caller read through programs_for(user): it is one the
    user sees, so its published briefings are, without asking the database again which programs those are."""
    qs = Briefing.objects.select_related("program", "organization")
    if program is None:
        published = Q(published_at__isnull=False, program__in=programs_for(user).values("pk"))
    else:
        qs, published = qs.filter(program=program), Q(published_at__isnull=False)
    manage = policies.scope_q(user, "manage", "organization__path")
    if manage is None:  # platform admins
        return qs
    return qs.filter(published | manage)


def organizations_in_scope(user, action: str) -> QuerySet:
    """The ids of the organizations where `user` may take `action` (policies.organizations_for), as a subquery
    that reads an index range of paths on SQLite too: SQLite's LIKE 'prefix%' (case-insensitive) cannot use
    the path index and scans every organization (1 ms per 5,000), so each subtree root also gets the range
    [path, subtree_end(path)) — the same rows."""
    organizations = policies.organizations_for(user, action)
    split = policies.scope_split(user, action)
    if split is not None and connection.vendor == "sqlite":
        roots, singles = split
        ranges = Q(path__in=singles) if singles else Q(pk__in=[])
        for path in roots:
            ranges |= Q(path__gte=path, path__lt=subtree_end(path))
        organizations = organizations.filter(ranges)
    return organizations.values("pk")


def by_organizations_in_scope(queryset: QuerySet, user, action: str, field: str = "organization") -> QuerySet:
    """`queryset` restricted to the rows of organizations in the user's scope for `action`: the same rows as
    policies.scoped(queryset, user, action, f"{field}__path"), as one condition on the organization's id, so the
    database walks those organizations' rows (their foreign key index), not every row of the country joined to
    its organization's path."""
    if policies.scope_paths(user, action) is None:
        return queryset
    return queryset.filter(**{f"{field}__in": organizations_in_scope(user, action)})


def outstanding_slots_for(user, *, on=None):
    """Slots the user must file: period open, nothing filed (none, draft or returned); most urgent first."""
    on = on or today()
    if connection.vendor == "sqlite":
        slots = by_organizations_in_scope(ReportSlot.objects.all(), user, "file")
    else:  # the path of the organization the query joins anyway (its name, the order): the same rows, without
        # a subquery of ids, which PostgreSQL took 1.4 ms to plan for a street's home (0.5 ms this way)
        slots = policies.scoped(ReportSlot.objects.all(), user, "file")
    return (
        slots.opened(on)
        .outstanding()
        .select_related("organization", "program", "schedule", "report")
        .order_by("deadline", "organization__path")
    )


def review_queue_for(user) -> QuerySet[Report]:
    """Submitted reports the user may review (those of organizations below their own), oldest first.

    Scoped by the path each report keeps (Report.path), not its slot's organization's: the partial index
    report_queue then holds the queue of a subtree in its order (a range of ~2,000 entries for a province of the
    national dataset instead of the country's submitted reports, each joined to its organization)."""
    qs = policies.scoped(Report.objects.awaiting_review(), user, "review", path_field="path")
    paths = policies.scope_paths(user, "review")
    if paths:
        qs = qs.exclude(path__in=paths)
    return qs.select_related("slot__organization", "slot__program", "slot__schedule", "submitted_by")


# What the program page shows of a phase and of a schedule, in their models' field order (Model.from_db's).
_CALENDAR_FIELDS = {
    Phase: ("id", "program_id", "name", "order", "starts_on", "ends_on"),
    ReportingSchedule: ("id", "program_id", "frequency", "reporting_level", "due_weekday", "grace_days"),
}
_CALENDAR_SQL: dict[str, str] = {}


def _calendar_sql() -> str:
    """Both tables in one UNION ALL: (kind, id, program, name, order, starts_on, ends_on, frequency, level,
    weekday, grace, sort day), phases (kind 0) by order, first day and id, then schedules (kind 1) by id."""
    sql = _CALENDAR_SQL.get(connection.vendor)
    if sql is None:
        qn = connection.ops.quote_name

        def col(model, name):
            return qn(model._meta.get_field(name).column)

        p, s = Phase, ReportingSchedule
        sql = (
            f"SELECT 0, {col(p, 'id')}, {col(p, 'program')}, {col(p, 'name')}, {col(p, 'order')},"
            f" {col(p, 'starts_on')}, {col(p, 'ends_on')}, NULL, NULL, NULL, NULL, {col(p, 'starts_on')}"
            f" FROM {qn(p._meta.db_table)} WHERE {col(p, 'program')} = %s"
            f" UNION ALL SELECT 1, {col(s, 'id')}, {col(s, 'program')}, NULL, NULL, NULL, NULL,"
            f" {col(s, 'frequency')}, {col(s, 'reporting_level')}, {col(s, 'due_weekday')}, {col(s, 'grace_days')},"
            f" NULL FROM {qn(s._meta.db_table)} WHERE {col(s, 'program')} = %s"
            " ORDER BY 1, 5, 12, 2"
        )
        _CALENDAR_SQL[connection.vendor] = sql
    return sql


def _day(value):
    return (
        dt.date.fromisoformat(value) if isinstance(value, str) else value
    )  # SQLite: a UNION's dates are text


def phases_and_schedules(program_id: int) -> tuple[list[Phase], list[ReportingSchedule]]:
    """`program.phases.all()` and `program.schedules.all()` (in their models' order: phases by order and first
    day, schedules by id) in one statement written once per database vendor, each row holding only what the
    program page shows (the other fields deferred). The program page read them in two prefetch queries, whose
    building cost more CPU than the rows (tests/pilots/test_program_calendar.py compares them)."""
    phases, schedules = [], []
    with connection.cursor() as cursor:
        cursor.execute(_calendar_sql(), [int(program_id), int(program_id)])
        for (
            kind,
            pk,
            program,
            name,
            order,
            starts,
            ends,
            frequency,
            level,
            weekday,
            grace,
            _,
        ) in cursor.fetchall():
            if kind == 0:
                values = (pk, program, name, order, _day(starts), _day(ends))
                phases.append(Phase.from_db(connection.alias, _CALENDAR_FIELDS[Phase], values))
            else:
                values = (pk, program, frequency, level, weekday, grace)
                schedules.append(ReportingSchedule.from_db(connection.alias, _CALENDAR_FIELDS[ReportingSchedule],
                                                           values))  # fmt: skip
    return phases, schedules
