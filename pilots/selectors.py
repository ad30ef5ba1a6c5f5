"""Scoped querysets: every pilot page starts from one of these (league.policies decides the scope)."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Q, QuerySet

from league import policies
from league.models import LineupRule, Organization, path_order, subtree_end
from league.pagination import CappedPaginator
from league.sqltext import per_vendor, scope_conditions, scope_sql

from .models import (
    Briefing,
    Phase,
    PilotProgram,
    PilotUnit,
    Report,
    ReportingSchedule,
    ReportSlot,
    ReportState,
    today,
)


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


def briefings_for(
    user, program: PilotProgram | None = None, *, program_ids: list[int] | None = None
) -> QuerySet[Briefing]:
    """Published briefings of programs the user can see; drafts only for those who manage the publisher.

    `program`: that program's only, for a program the caller read through programs_for(user): it is one the
    user sees, so its published briefings are, without asking the database again which programs those are.
    `program_ids`: the ids of the programs the user sees, when the caller has read them (program_choices), for
    the same rows without programs_for(user) as a subquery."""
    qs = Briefing.objects.select_related("program", "organization")
    if program is None:
        programs = programs_for(user).values("pk") if program_ids is None else program_ids
        published = Q(published_at__isnull=False, program__in=programs)
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


# What the program page shows of a program (not its figure fields), of the organization running it (its name, and
# the path can() reads), of a phase and of a schedule, in their models' field order (Model.from_db's); the lineup
# rule whole (its units' lineups are judged by it).
_PAGE_FIELDS = {
    PilotProgram: (
        "id",
        "organization_id",
        "name",
        "kind",
        "description",
        "starts_on",
        "ends_on",
        "lineup_rule_id",
    ),
    Organization: ("id", "name", "path"),
    Phase: ("id", "program_id", "name", "order", "starts_on", "ends_on"),
    ReportingSchedule: ("id", "program_id", "frequency", "reporting_level", "due_weekday", "grace_days"),
}


@per_vendor
def _program_page_sql() -> str:
    """The program, its organization and lineup rule, joined to its phases and schedules as one UNION ALL
    (kind, id, program, name, order, first day, last day, frequency, level, weekday, grace, sort day): one row
    per phase (kind 0) by order, first day and id, then per schedule (kind 1) by id; one row of NULLs after
    the program's columns when it has neither."""
    qn = connection.ops.quote_name

    def col(model, name, alias=None):
        column = qn(model._meta.get_field(name).column)
        return f"{alias}.{column}" if alias else column

    p, s = Phase, ReportingSchedule
    calendar = (
        f"SELECT 0 AS kind, {col(p, 'id')} AS id, {col(p, 'program')} AS program, {col(p, 'name')} AS name,"
        f" {col(p, 'order')} AS ord, {col(p, 'starts_on')} AS starts, {col(p, 'ends_on')} AS ends,"
        " NULL AS frequency, NULL AS level, NULL AS weekday, NULL AS grace,"
        f" {col(p, 'starts_on')} AS day FROM {qn(p._meta.db_table)} WHERE {col(p, 'program')} = %s"
        f" UNION ALL SELECT 1, {col(s, 'id')}, {col(s, 'program')}, NULL, NULL, NULL, NULL,"
        f" {col(s, 'frequency')}, {col(s, 'reporting_level')}, {col(s, 'due_weekday')}, {col(s, 'grace_days')},"
        f" NULL FROM {qn(s._meta.db_table)} WHERE {col(s, 'program')} = %s"
    )
    columns = [col(PilotProgram, f.removesuffix("_id"), "p") for f in _PAGE_FIELDS[PilotProgram]]
    columns += [col(Organization, f, "o") for f in _PAGE_FIELDS[Organization]]
    columns += [col(LineupRule, f.name, "r") for f in LineupRule._meta.concrete_fields]
    columns += [f"c.{name}" for name in ("kind", "id", "program", "name", "ord", "starts", "ends", "frequency",
                                         "level", "weekday", "grace")]  # fmt: skip
    sql = (
        f"SELECT {', '.join(columns)} FROM {qn(PilotProgram._meta.db_table)} p"
        f" INNER JOIN {qn(Organization._meta.db_table)} o ON o.{qn('id')} = p.{col(PilotProgram, 'organization')}"
        f" LEFT OUTER JOIN {qn(LineupRule._meta.db_table)} r ON r.{qn('id')} = p.{col(PilotProgram, 'lineup_rule')}"
        f" LEFT OUTER JOIN ({calendar}) c ON 1 = 1"
        f" WHERE p.{qn('id')} = %s ORDER BY c.kind, c.ord, c.day, c.id"
    )
    return sql


def _day(value):
    return (
        dt.date.fromisoformat(value) if isinstance(value, str) else value
    )  # SQLite: a UNION's dates are text


def program_for_page(program_id: int) -> tuple[PilotProgram, list[Phase], list[ReportingSchedule]] | None:
    """`PilotProgram.objects.select_related("organization", "lineup_rule").get(pk=program_id)` with its
    `phases.all()` and `schedules.all()` (in their models' order: phases by order and first day, schedules by id),
    in one statement written once per database vendor, each row holding only what the program page shows (the
    other fields deferred); None if there is no such program. Whether the user may see it is the caller's
    question. The program page read these in three queries, whose building cost more CPU than their rows
    (tests/pilots/test_program_calendar.py compares them with the ORM's)."""
    key = int(program_id)
    with connection.cursor() as cursor:
        cursor.execute(_program_page_sql(), [key, key, key])
        rows = cursor.fetchall()
    if not rows:
        return None
    alias, n_program, n_organization = (
        connection.alias,
        len(_PAGE_FIELDS[PilotProgram]),
        len(_PAGE_FIELDS[Organization]),
    )
    rule_fields = [f.attname for f in LineupRule._meta.concrete_fields]
    head = rows[0]
    values = list(head[:n_program])
    values[5], values[6] = _day(values[5]), _day(values[6])
    program = PilotProgram.from_db(alias, _PAGE_FIELDS[PilotProgram], values)
    organization = Organization.from_db(
        alias, _PAGE_FIELDS[Organization], head[n_program : n_program + n_organization]
    )
    rule_values = head[n_program + n_organization : n_program + n_organization + len(rule_fields)]
    rule = None if rule_values[0] is None else LineupRule.from_db(alias, rule_fields, rule_values)
    PilotProgram._meta.get_field("organization").set_cached_value(program, organization)
    PilotProgram._meta.get_field("lineup_rule").set_cached_value(program, rule)
    phases, schedules = [], []
    for row in rows:
        kind, pk, owner, name, order, starts, ends, frequency, level, weekday, grace = row[-11:]
        if kind == 0:
            values = (pk, owner, name, order, _day(starts), _day(ends))
            phases.append(Phase.from_db(alias, _PAGE_FIELDS[Phase], values))
        elif kind == 1:
            values = (pk, owner, frequency, level, weekday, grace)
            schedules.append(ReportingSchedule.from_db(alias, _PAGE_FIELDS[ReportingSchedule], values))
    return program, phases, schedules


_BRIEFING_FIELDS = ("id", "title", "number", "total_number", "published_at")


@per_vendor
def _latest_briefings_sql() -> str:
    qn, meta = connection.ops.quote_name, Briefing._meta
    columns = ", ".join(f"b.{qn(meta.get_field(f).column)}" for f in _BRIEFING_FIELDS)
    return (
        f"SELECT {columns} FROM {qn(meta.db_table)} b INNER JOIN {qn(Organization._meta.db_table)} o"
        f" ON o.{qn('id')} = b.{qn(meta.get_field('organization').column)}"
        f" WHERE b.{qn(meta.get_field('program').column)} = %s AND {{scope}}"
        f" ORDER BY b.{qn(meta.get_field('published_at').column)} DESC, b.{qn('id')} DESC LIMIT %s"
    )


def latest_briefings(user, program_id: int, limit: int = 5) -> list[Briefing]:
    """`briefings_for(user, program).only("title", "published_at", "number", "total_number")[:limit]` (the
    program's published briefings, and its drafts where the user manages the publisher; newest first, as
    Briefing's ordering), as SQL written once per database vendor but for the user's scope, which is written
    from its paths as the ORM writes it (a LIKE per subtree, an IN for single organizations). The program must be
    one the user sees (read through programs_for, or checked as the program page does). Building the ORM's query
    cost ~0.6 ms of CPU per program page (tests/pilots/test_program_calendar.py compares the rows)."""
    qn = connection.ops.quote_name
    sql = _latest_briefings_sql()
    split = policies.scope_split(user, "manage")
    params: list = [int(program_id)]
    if split is None:  # platform admins: drafts too
        scope = "1 = 1"
    else:
        published = f"b.{qn(Briefing._meta.get_field('published_at').column)} IS NOT NULL"
        conditions, scope_params = scope_conditions(f"o.{qn('path')}", split)
        scope = f"({' OR '.join([published, *conditions])})"
        params += scope_params
    params.append(int(limit))
    with connection.cursor() as cursor:
        cursor.execute(sql.format(scope=scope), params)
        rows = cursor.fetchall()
    if not rows:
        return []
    # The database's values converted as the ORM converts them (SQLite's naive datetimes made aware), without a
    # raw queryset's column mapping (~0.3 ms of CPU a page).
    column = Briefing._meta.get_field("published_at").get_col(Briefing._meta.db_table)
    converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
    briefings = []
    for *values, published_at in rows:
        for converter in converters:
            published_at = converter(published_at, column, connection)
        briefings.append(Briefing.from_db(connection.alias, _BRIEFING_FIELDS, (*values, published_at)))
    return briefings


# What a row of the program page's units shows: the unit, its organization's id and name, and the level and path its
# lineup is judged by.
UNIT_ROW = ("pk", "organization_id", "organization__name", "organization__level", "organization__path")


@per_vendor
def _program_units_sql(scoped: bool) -> str:
    """A page of the program's units in scope (UNIT_ROW, ordered by their organization's path) with their capped
    count beside each row, counted by the path each unit keeps (an index range of unit_path_program): one row of
    NULLs but the count when the page is empty. Each part has a {scope} condition on the unit's path to write per
    user (`scoped`), else none. A scoped page sorts the units in scope by the path each keeps (its organization's:
    pilots.paths) and only then reads the page's organizations by id: ordered by the organizations' paths,
    PostgreSQL walked their path index from the first path to skip those before the scope (0.5 ms for the first of
    30 provinces, 70 ms for the last), and with the units' ranges and the join together it hashed a sequential scan
    of every organization (45 ms). Every unit (a platform admin's) is read in the order of the organizations' path
    index."""
    qn, unit, org = connection.ops.quote_name, PilotUnit._meta, Organization._meta
    table, program = qn(unit.db_table), qn(unit.get_field("program").column)
    org_id, name, level, path = (qn(org.get_field(f).column) for f in ("id", "name", "level", "path"))
    unit_id, unit_org = qn(unit.pk.column), qn(unit.get_field("organization").column)
    unit_path, orgs = qn(unit.get_field("path").column), qn(org.db_table)
    if scoped:
        page = (
            f"SELECT u.{unit_id}, u.{unit_org}, o.{name}, o.{level}, o.{path}"
            f" FROM (SELECT v.{unit_id}, v.{unit_org}, v.{unit_path} FROM {table} v"
            f" WHERE v.{program} = %s{{scope}} ORDER BY v.{unit_path} LIMIT %s OFFSET %s) u"
            f" INNER JOIN {orgs} o ON o.{org_id} = u.{unit_org}"
        )
    else:
        page = (
            f"SELECT u.{unit_id}, u.{unit_org}, o.{name}, o.{level}, o.{path}"
            f" FROM {table} u INNER JOIN {orgs} o ON o.{org_id} = u.{unit_org}"
            f" WHERE u.{program} = %s ORDER BY o.{path} LIMIT %s OFFSET %s"
        )
    return (
        f"SELECT p.{unit_id}, p.{unit_org}, p.{name}, p.{level}, p.{path}, n.counted"
        f" FROM (SELECT COUNT(*) AS counted FROM (SELECT 1 FROM {table} c WHERE c.{program} = %s{{counted}}"
        f" LIMIT %s) c) n LEFT OUTER JOIN ({page}) p ON 1 = 1 ORDER BY p.{path}"
    )


def program_units_page(user, program_id: int, per_page: int, number):
    """The program page's page of units: the same page, rows (UNIT_ROW tuples) and count as
    `CappedPaginator(units_for(user).filter(program=program_id).order_by("organization__path")
    .values_list(*UNIT_ROW), per_page, page=number, count_rows=<the program's units in the user's scope by the
    path each keeps>).get_page(number)`, from SQL written once per database vendor but for the user's scope: the
    page asked for and the count in one statement (a page out of range: then the page Paginator.get_page gives,
    the last). Building the ORM's two queries cost ~1.2 ms of CPU per program page
    (tests/pilots/test_program_units.py compares them)."""
    paginator = CappedPaginator([], per_page, page=number)
    limit = (paginator.asked + paginator.ahead) * per_page
    split = policies.scope_split(user, "view")
    if split == ([], []):  # no scope: no rows, no query (as the ORM's pk__in=[])
        paginator.count, paginator.capped = 0, False
        return paginator.get_page(number)
    qn, key = connection.ops.quote_name, int(program_id)
    unit_path = qn(PilotUnit._meta.get_field("path").column)
    if split is None:  # platform admins: every unit
        scope = counted = ""
        scope_params = counted_params = []
    else:  # one range of unit_path_program per subtree
        conditions, scope_params = scope_conditions(f"v.{unit_path}", split)
        scope = f" AND ({' OR '.join(conditions)})"
        conditions, counted_params = scope_conditions(f"c.{unit_path}", split)
        counted = f" AND ({' OR '.join(conditions)})"
    sql = _program_units_sql(split is not None).format(counted=counted, scope=scope)

    def rows_of(page_number: int) -> list[tuple]:
        params = [key, *counted_params, limit + 1, key, *scope_params, per_page, (page_number - 1) * per_page]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    try:  # the page asked for as Paginator.validate_number reads it (not an integer: the first)
        if isinstance(number, float) and not number.is_integer():
            raise ValueError
        first = max(int(number), 1)
    except (TypeError, ValueError):
        first = 1
    rows = rows_of(first)
    n = rows[0][-1]
    paginator.count, paginator.capped = min(n, limit), n > limit  # the cached property, set
    page = paginator.get_page(number)
    if page.number != first:  # out of range (or below 1): the last page
        rows = rows_of(page.number)
    page.object_list = [row[:-1] for row in rows if row[0] is not None]
    return page


@per_vendor
def _program_choices_sql() -> str:
    """The ids and names of the programs run in a scope or with a unit in it, in PilotProgram's order (newest
    start first, then name), with a {scope} condition to write per user (none for platform admins)."""
    qn, program, org = connection.ops.quote_name, PilotProgram._meta, Organization._meta
    return (
        f"SELECT p.{qn(program.pk.column)}, p.{qn(program.get_field('name').column)}"
        f" FROM {qn(program.db_table)} p INNER JOIN {qn(org.db_table)} o"
        f" ON o.{qn(org.pk.column)} = p.{qn(program.get_field('organization').column)}{{scope}}"
        f" ORDER BY p.{qn(program.get_field('starts_on').column)} DESC, p.{qn(program.get_field('name').column)} ASC"
    )


def program_choices(user) -> list[tuple[int, str]]:
    """`programs_for(user).values_list("pk", "name")` (the programs run inside the user's scope or with a pilot
    unit inside it, in PilotProgram's order): the program select of a list's filter and the programs whose
    briefings the user may read, as SQL written once per database vendor but for the user's scope. Building the
    ORM's query cost ~1 ms of CPU per briefing list (tests/pilots/test_program_units.py compares the rows)."""
    split = policies.scope_split(user, "view")
    if split == ([], []):  # no scope: none, no query (as programs_for's none())
        return []
    qn, params, scope = connection.ops.quote_name, [], ""
    if split is not None:
        unit = PilotUnit._meta
        runs, params = scope_conditions(f"o.{qn('path')}", split)
        with_units, unit_params = scope_conditions(f"u.{qn(unit.get_field('path').column)}", split)
        params += unit_params
        scope = (
            f" WHERE ({' OR '.join(runs)} OR p.{qn(PilotProgram._meta.pk.column)} IN"
            f" (SELECT u.{qn(unit.get_field('program').column)} FROM {qn(unit.db_table)} u"
            f" WHERE {' OR '.join(with_units)}))"
        )
    with connection.cursor() as cursor:
        cursor.execute(_program_choices_sql().format(scope=scope), params)
        return cursor.fetchall()


# The report list: what a row shows (pilots_tags.REPORT_ROW_COLUMNS), by table alias and field.
_LIST_COLUMNS = (("r", Report, "id"), ("r", Report, "state"), ("r", Report, "late"), ("r", Report, "submitted_at"),
                 ("s", ReportSlot, "period_start"), ("s", ReportSlot, "period_end"), ("o", Organization, "name"),
                 ("p", PilotProgram, "name"))  # fmt: skip


# The report list's order, and the export's: newest period first, then in tree order (the paths each report keeps
# of its slot's organization), then by id.
REPORT_LIST_ORDER = ("-period_start", "path", "pk")


def next_month(first: dt.date) -> dt.date:
    """The first day of the month after the one `first` begins."""
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


@per_vendor
def _report_list_sql() -> dict:
    """The report list's statements as SQL: its rows (with `{where}` for the conditions, then LIMIT and OFFSET)
    and its capped count (`{joins}` and `{where}`, then LIMIT); the joins the count may need; each condition
    the list's filters and the scope put, with `{}` where a path test goes; the converters of the rows' columns
    (SQLite's text dates, integer booleans…), as the ORM would apply them."""
    qn, ops = connection.ops.quote_name, connection.ops
    r, s, o, p = Report._meta, ReportSlot._meta, Organization._meta, PilotProgram._meta

    def col(alias, meta, name):
        return f"{alias}.{qn(meta.get_field(name).column)}"

    pk = qn("id")
    slot_join = f" INNER JOIN {qn(s.db_table)} s ON s.{pk} = {col('r', r, 'slot')}"
    org_join = f" INNER JOIN {qn(o.db_table)} o ON o.{pk} = {col('s', s, 'organization')}"
    columns = ", ".join(col(alias, model._meta, name) for alias, model, name in _LIST_COLUMNS)
    rows = (
        f"SELECT {columns} FROM {qn(r.db_table)} r{slot_join}{org_join}"
        f" INNER JOIN {qn(p.db_table)} p ON p.{pk} = {col('s', s, 'program')}{{where}}"
        f" ORDER BY {col('r', r, 'period_start')} DESC, {path_order(col('r', r, 'path'))}, r.{pk} ASC"
        " LIMIT %s OFFSET %s"
    )
    count = f"SELECT COUNT(*) FROM (SELECT r.{pk} FROM {qn(r.db_table)} r{{joins}}{{where}} LIMIT %s) c"
    name = ops.lookup_cast("icontains", "CharField") % col("o", o, "name")
    conditions = {
        "program": ("s", f"{col('s', s, 'program')} = %s"),
        "state": ("r", f"{col('r', r, 'state')} = %s"),
        # A period's start as each report keeps it (its slot's): the range of the list's index to read.
        "month": ("s", f"{col('r', r, 'period_start')} < %s AND {col('s', s, 'period_end')} >= %s"),
        "since": ("s", f"{col('s', s, 'period_end')} >= %s"),
        "until": ("r", f"{col('r', r, 'period_start')} < %s"),
        "late": ("r", f"{col('r', r, 'late')} = %s"),
        "level": ("o", f"{col('o', o, 'level')} = %s"),
        "q": ("o", f"{name} {connection.operators['icontains'] % '%s'}"),
    }
    return {
        "rows": rows,
        "count": count,
        "joins": {"s": slot_join, "o": slot_join + org_join},
        "conditions": conditions,
        "path": col("r", r, "path"),
        "converters": _converters(_LIST_COLUMNS),
    }


class ReportListRows:
    """The report list's rows (REPORT_ROW_COLUMNS tuples, newest period first, then in tree order and by id)
    for `user`'s `action` scope and the list's filters (ReportFilter's cleaned data): the rows of

        ReportFilter(...).qs.order_by(*REPORT_LIST_ORDER).values_list(*REPORT_ROW_COLUMNS)

    read as SQL written once, not built by the ORM on every request (~1 ms of CPU for a page of fifty and its
    count). The scope and the order are on what each report keeps of its slot (Report.period_start, and
    Report.path, its organization's), so the index report_period_path gives a page in order with the scope
    checked in the index (a page of the last of 30 provinces: ~2 ms, where walking the slots of the latest
    periods by organization id took 45). Sliced, it reads that page; count_upto(n) counts up to n rows, joining
    only what the conditions need: none when they are on the report alone (~0.2 ms where the joins took ~1.3 ms
    for a province). tests/pilots/test_report_list_sql.py compares both with the ORM for filters, scopes and
    pages."""

    def __init__(self, user, filters: dict | None = None, action: str = "view"):
        sql = _report_list_sql()
        self._sql = sql
        conditions, params, tables = [], [], set()
        scope = policies.scope_split(user, action)
        self.empty = False
        for name, value in (filters or {}).items():
            if value in (None, "", [], (), {}):  # django-filter's EMPTY_VALUES: no condition
                continue
            table, condition = sql["conditions"][name]
            if name == "program":
                value = [value.pk]
            elif name == "month":
                try:
                    start = dt.datetime.strptime(value.strip(), "%Y-%m").date()
                except ValueError:  # ReportFilter.filter_month: a month it cannot read lists nothing
                    self.empty = True
                    continue
                value = [next_month(start), start]
            elif name == "until":
                value = [next_month(value)]
            elif name == "q":
                value = [f"%{connection.ops.prep_for_like_query(value)}%"]
            else:
                value = [value]
            conditions.append(f"({condition})")
            params += value
            tables.add(table)
        # The scope, on the path each report keeps (Report.path, its organization's: the indexes report_path and
        # report_period_path read a subtree's range).
        scoped, scope_params = "", []
        if scope is not None:
            roots, singles = scope
            if not roots and not singles:
                self.empty = True
            else:
                scoped, scope_params = scope_sql(sql["path"], scope)
        parts = [scoped, *conditions] if scoped else conditions
        self._where = f" WHERE {' AND '.join(parts)}" if parts else ""
        self._params = [*scope_params, *params]
        self._count_joins = "" if tables <= {"r"} else sql["joins"]["o" if "o" in tables else "s"]

    def count_upto(self, limit: int) -> int:
        if self.empty:
            return 0
        statement = self._sql["count"].replace("{joins}", self._count_joins).replace("{where}", self._where)
        with connection.cursor() as cursor:
            cursor.execute(statement, [*self._params, limit])
            return cursor.fetchone()[0]

    def __getitem__(self, page: slice) -> list[tuple]:
        start, stop = page.start or 0, page.stop
        if self.empty or stop <= start:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                self._sql["rows"].replace("{where}", self._where), [*self._params, stop - start, start]
            )
            rows = cursor.fetchall()
        return _convert(rows, self._sql["converters"])


def _converters(columns) -> list | None:
    """The converters the ORM applies to each of `columns` ((alias, model, field name) each) read from this
    database (SQLite's text dates and integer booleans…); None when no column needs one (PostgreSQL here)."""
    from django.db.models.expressions import Col

    converters = []
    for alias, model, field_name in columns:
        expression = Col(alias, model._meta.get_field(field_name))
        found = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
        converters.append((expression, found))
    return converters if any(found for _, found in converters) else None


def _convert(rows: list[tuple], converters: list | None) -> list[tuple]:
    if converters is None:
        return rows
    out = []
    for row in rows:
        values = list(row)
        for i, (expression, found) in enumerate(converters):
            for convert in found:
                values[i] = convert(values[i], expression, connection)
        out.append(tuple(values))
    return out


# The review queue: what a row shows (pilots_tags.REVIEW_ROW_COLUMNS, the progress's head), by alias and field.
_QUEUE_COLUMNS = (("r", Report, "id"), ("r", Report, "state"), ("r", Report, "late"), ("r", Report, "version"),
                  ("r", Report, "submitted_at"), ("r", Report, "progress"), ("s", ReportSlot, "period_start"),
                  ("s", ReportSlot, "period_end"), ("o", Organization, "name"), ("p", PilotProgram, "name"))  # fmt: skip


@per_vendor
def _review_queue_sql() -> dict:
    """The review queue's statements as SQL: its rows (`{where}` for the scope's conditions, then the state, the
    length of the progress's head, LIMIT and OFFSET) and its capped count (the same conditions on the report
    table alone, then LIMIT); the report's path column; the converters of the rows' columns."""
    qn = connection.ops.quote_name
    r, s, o, p = Report._meta, ReportSlot._meta, Organization._meta, PilotProgram._meta

    def col(alias, meta, name):
        return f"{alias}.{qn(meta.get_field(name).column)}"

    pk, progress = qn("id"), col("r", r, "progress")
    columns = [col(alias, model._meta, name) for alias, model, name in _QUEUE_COLUMNS]
    columns[5] = f"SUBSTR({progress}, 1, %s)"  # the head a row shows (Substr), as the ORM reads it
    waiting = f"{col('r', r, 'state')} = %s{{where}}"
    submitted_at = col("r", r, "submitted_at")
    rows = (
        f"SELECT {', '.join(columns)} FROM {qn(r.db_table)} r"
        f" INNER JOIN {qn(s.db_table)} s ON s.{pk} = {col('r', r, 'slot')}"
        f" INNER JOIN {qn(o.db_table)} o ON o.{pk} = {col('s', s, 'organization')}"
        f" INNER JOIN {qn(p.db_table)} p ON p.{pk} = {col('s', s, 'program')}"
        f" WHERE {waiting} ORDER BY {submitted_at} ASC, r.{pk} ASC LIMIT %s OFFSET %s"
    )
    count = f"SELECT COUNT(*) FROM (SELECT r.{pk} FROM {qn(r.db_table)} r WHERE {waiting} LIMIT %s) c"
    return {
        "rows": rows,
        "count": count,
        "path": col("r", r, "path"),
        "converters": _converters(_QUEUE_COLUMNS),
    }


class ReviewQueueRows:
    """The review queue's rows (REVIEW_ROW_COLUMNS tuples with the progress's first `head` characters), oldest
    submission first: the rows of

        review_queue_for(user).annotate(progress_head=Substr("progress", 1, head)).values_list(...)

    read as SQL written once rather than built by the ORM on every request. Sliced, it reads that page;
    count_upto(n) counts up to n reports on the report table alone, which the partial index report_queue
    answers (tests/pilots/test_report_list_sql.py compares both with the ORM)."""

    def __init__(self, user, head: int):
        sql = self._sql = _review_queue_sql()
        conditions, params = [], []
        scope = policies.scope_split(user, "review")
        if scope is not None:
            roots, singles = scope
            within, params = scope_sql(sql["path"], scope)
            conditions.append(within)
            own = sorted(roots + singles)  # review_queue_for leaves out the reports of the user's own
            if own:
                conditions.append(f"{sql['path']} NOT IN ({', '.join(['%s'] * len(own))})")
                params += own
        self._where = "".join(f" AND {c}" for c in conditions)
        self._params = [ReportState.SUBMITTED.value, *params]
        self._head = head

    def count_upto(self, limit: int) -> int:
        with connection.cursor() as cursor:
            cursor.execute(self._sql["count"].replace("{where}", self._where), [*self._params, limit])
            return cursor.fetchone()[0]

    def __getitem__(self, page: slice) -> list[tuple]:
        start, stop = page.start or 0, page.stop
        if stop <= start:
            return []
        with connection.cursor() as cursor:
            cursor.execute(self._sql["rows"].replace("{where}", self._where),
                           [self._head, *self._params, stop - start, start])  # fmt: skip
            rows = cursor.fetchall()
        return _convert(rows, self._sql["converters"])
