"""Scoped querysets: every pilot page starts from one of these (league.policies decides the scope)."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Q, QuerySet

from league import policies
from league.models import LineupRule, Organization, subtree_end
from league.pagination import CappedPaginator
from league.sqltext import per_vendor

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
        conditions, scope_params = _path_conditions(split, f"o.{qn('path')}")
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


def _path_conditions(split: tuple[list[str], list[str]], column: str) -> tuple[list[str], list]:
    """A scope's (subtree roots, single organizations) as conditions on the path `column`, as the ORM writes
    policies.scope_q's (a LIKE 'root%' per subtree root, one IN for the single organizations), with their
    parameters; to be joined with OR."""
    path = connection.ops.lookup_cast("startswith", "CharField") % column
    like = connection.operators["startswith"] % "%s"
    roots, singles = split
    conditions = [f"{path} {like}" for _ in roots]
    params: list = [f"{connection.ops.prep_for_like_query(root)}%" for root in roots]
    if singles:
        conditions.append(f"{column} IN ({', '.join(['%s'] * len(singles))})")
        params += singles
    return conditions, params


# What a row of the program page's units shows: the unit, its organization's id and name, and the level and path its
# lineup is judged by.
UNIT_ROW = ("pk", "organization_id", "organization__name", "organization__level", "organization__path")


@per_vendor
def _program_units_sql() -> str:
    """A page of the program's units in scope (UNIT_ROW, ordered by their organization's path) with their capped
    count beside each row, counted by the path each unit keeps (an index range of unit_path_program): one row of
    NULLs but the count when the page is empty. Each part has a {scope} condition on its path to write per user."""
    qn, unit, org = connection.ops.quote_name, PilotUnit._meta, Organization._meta
    table, program = qn(unit.db_table), qn(unit.get_field("program").column)
    org_id, name, level, path = (qn(org.get_field(f).column) for f in ("id", "name", "level", "path"))
    unit_id, unit_org = qn(unit.pk.column), qn(unit.get_field("organization").column)
    return (
        f"SELECT p.{unit_id}, p.{unit_org}, p.{name}, p.{level}, p.{path}, n.counted"
        f" FROM (SELECT COUNT(*) AS counted FROM (SELECT 1 FROM {table} c WHERE c.{program} = %s{{counted}}"
        " LIMIT %s) c) n"
        f" LEFT OUTER JOIN (SELECT u.{unit_id}, u.{unit_org}, o.{name}, o.{level}, o.{path}"
        f" FROM {table} u INNER JOIN {qn(org.db_table)} o ON o.{org_id} = u.{unit_org}"
        f" WHERE u.{program} = %s{{scope}} ORDER BY o.{path} LIMIT %s OFFSET %s) p ON 1 = 1 ORDER BY p.{path}"
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
    if split is None:  # platform admins: every unit
        scope = counted = ""
        scope_params = counted_params = []
    else:
        conditions, scope_params = _path_conditions(split, f"o.{qn('path')}")
        scope = f" AND ({' OR '.join(conditions)})"
        conditions, counted_params = _path_conditions(
            split, f"c.{qn(PilotUnit._meta.get_field('path').column)}"
        )
        counted = f" AND ({' OR '.join(conditions)})"
    sql = _program_units_sql().format(counted=counted, scope=scope)

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
        runs, params = _path_conditions(split, f"o.{qn('path')}")
        with_units, unit_params = _path_conditions(split, f"u.{qn(unit.get_field('path').column)}")
        params += unit_params
        scope = (
            f" WHERE ({' OR '.join(runs)} OR p.{qn(PilotProgram._meta.pk.column)} IN"
            f" (SELECT u.{qn(unit.get_field('program').column)} FROM {qn(unit.db_table)} u"
            f" WHERE {' OR '.join(with_units)}))"
        )
    with connection.cursor() as cursor:
        cursor.execute(_program_choices_sql().format(scope=scope), params)
        return cursor.fetchall()
