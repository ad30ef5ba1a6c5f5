"""Panels this app adds to the home and organization pages (see league/panels.py)."""

from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from league import policies
from league.models import Organization
from league.panels import Panel, writes
from league.rowhtml import esc, number
from league.rowurls import fixed_url, url_for_id
from league.sqltext import per_vendor, scope_sql

from .models import OUTSTANDING_STATES, PilotProgram, PilotUnit, Report, ReportSlot, ReportState, today

REVIEW_COUNT_CAP = 500
# What pilots/_file_list.html shows of a slot (its program's figure fields and its report's text are never
# decoded for the home page).
HOME_SLOT_FIELDS = ("period_start", "period_end", "deadline", "organization__name", "program__name",
                    "report__state", "report__return_reason", "report__return_comment")  # fmt: skip
# What pilots/_home_review.html shows of the oldest reports awaiting review.
HOME_REVIEW_FIELDS = ("slot__period_start", "slot__period_end", "slot__organization__name")


HOME_SLOT_COUNT = 8
HOME_REVIEW_COUNT = 5  # the oldest reports awaiting review that the panel lists


# The slot's columns national_slots reads (with its program's and organization's names, and its report's state).
NATIONAL_SLOT_COLUMNS = ("id", "program", "organization", "period_start", "period_end", "deadline")


@per_vendor
def _national_slots_sql() -> tuple[str, str]:
    """The statements of national_slots (the deadlines, the slots), written once per database vendor."""
    qn = connection.ops.quote_name
    slot, report, org = ReportSlot._meta, Report._meta, Organization._meta
    program = slot.get_field("program").related_model._meta
    s = {name: qn(slot.get_field(name).column) for name in NATIONAL_SLOT_COLUMNS}
    r = {name: qn(report.get_field(name).column) for name in ("id", "slot", "state", "return_reason",
                                                              "return_comment")}  # fmt: skip
    slots = f"{qn(slot.db_table)} s LEFT OUTER JOIN {qn(report.db_table)} r ON r.{r['slot']} = s.{s['id']}"
    outstanding = f"s.{s['period_start']} <= %s AND (r.{r['id']} IS NULL OR r.{r['state']} IN (%s, %s))"
    deadlines = (
        f"SELECT s.{s['deadline']} FROM {slots} WHERE {outstanding} ORDER BY s.{s['deadline']} LIMIT %s"
    )
    columns = ", ".join(
        [f"s.{s[name]}" for name in NATIONAL_SLOT_COLUMNS]
        + [f"p.{qn(program.get_field('name').column)}", f"o.{qn(org.get_field('name').column)}"]
        + [f"r.{r[name]}" for name in ("id", "state", "return_reason", "return_comment")]
    )
    rows = (
        f"SELECT {columns} FROM {slots}"
        f" INNER JOIN {qn(program.db_table)} p ON p.{qn(program.pk.column)} = s.{s['program']}"
        f" INNER JOIN {qn(org.db_table)} o ON o.{qn(org.pk.column)} = s.{s['organization']}"
        f" WHERE {outstanding} AND s.{s['deadline']} <= %s"
        f" ORDER BY s.{s['deadline']}, o.{qn(org.get_field('path').column)} LIMIT %s"
    )
    return (deadlines, rows)


def national_slots(on) -> list[ReportSlot]:
    """The HOME_SLOT_COUNT most urgent slots of the country (a platform admin's "Reports to file"), each with
    its program's and organization's names and its report's state and return reason: the rows of
    `outstanding_slots_for(admin, on=on)[:HOME_SLOT_COUNT]` with `.only(HOME_SLOT_FIELDS)`, read in one statement
    written as SQL rather than the ORM's queries built on every admin's home (~1 ms of CPU)
    (tests/pilots/test_home_file_panel.py compares them).

    Read within the deadlines up to the eighth slot's (or the last one's, with fewer): PostgreSQL otherwise
    sorts whole deadline groups of the country by path in parallel workers (60 ms) to find eight rows; the
    eighth deadline is an index walk of a few dozen slots, and the bounded query reads only those (0.3 ms).
    The bound is a value sent with the second statement, not a subquery of it, whose unknown value the planner
    met with a parallel plan (+13 ms)."""
    deadlines_sql, rows_sql = _national_slots_sql()
    outstanding = [on, *OUTSTANDING_STATES]
    with connection.cursor() as cursor:
        cursor.execute(deadlines_sql, [*outstanding, HOME_SLOT_COUNT])
        deadlines = cursor.fetchall()
        if not deadlines:
            return []
        cursor.execute(rows_sql, [*outstanding, deadlines[-1][0], HOME_SLOT_COUNT])
        rows = cursor.fetchall()
    db, slots = connection.alias, []
    cached = ReportSlot.report.related.set_cached_value
    slot_fields = ["id", "program_id", "organization_id", "period_start", "period_end", "deadline"]
    report_fields = ["id", "slot_id", "state", "return_reason", "return_comment"]
    for row in rows:
        slot = ReportSlot.from_db(db, slot_fields, row[:6])
        slot.program = PilotProgram.from_db(db, ["id", "name"], [row[1], row[6]])
        slot.organization = Organization.from_db(db, ["id", "name"], [row[2], row[7]])
        if row[8] is None:
            cached(slot, None)
        else:
            report = Report.from_db(db, report_fields, [row[8], row[0], *row[9:]])
            cached(slot, report)
            Report.slot.field.set_cached_value(report, slot)
        slots.append(slot)
    return slots


def home_panels(request):
    from .selectors import outstanding_slots_for

    user, panels = request.user, []
    file_paths = policies.scope_paths(user, "file")
    if file_paths != []:
        on = today()
        if file_paths is None:
            slots = national_slots(on)
        else:
            slots = list(
                outstanding_slots_for(user, on=on)
                .select_related(None)
                .select_related("organization", "program", "report")
                .only(*HOME_SLOT_FIELDS)[:HOME_SLOT_COUNT]
            )
        panels.append(
            Panel(_("Reports to file"), "pilots/_home_file.html", {"slots": slots, "on": on}, order=10)
        )
    if policies.scope_paths(user, "review") != []:
        count, oldest = review_summary(user)
        context = {"count": min(count, REVIEW_COUNT_CAP), "more": count > REVIEW_COUNT_CAP, "oldest": oldest}
        panels.append(Panel(_("Reports awaiting review"), "pilots/_home_review.html", context, order=20))
    from .guidance.panels import home_panels as guidance_panels

    panels.extend(guidance_panels(request))
    return panels


@per_vendor
def _review_sql() -> tuple[str, str]:
    """The statement of review_summary, with `{scope}` where its two reads of the queue put their conditions on
    the report's path, and that path's quoted column; written once per database vendor."""
    qn = connection.ops.quote_name
    report, slot, org = Report._meta, ReportSlot._meta, Organization._meta
    state, path = qn(report.get_field("state").column), qn(report.get_field("path").column)
    submitted_at, slot_id = (
        qn(report.get_field("submitted_at").column),
        qn(report.get_field("slot").column),
    )
    waiting = f"FROM {qn(report.db_table)} WHERE {state} = %s{{scope}}"
    count = f"SELECT COUNT(*) FROM (SELECT {qn('id')} {waiting} LIMIT %s) waiting"
    # The oldest ids are sorted on the report table alone (its index on state and submission time, or the
    # partial report_queue of a subtree), and only those few are joined to their slot and organization.
    columns = ", ".join(
        [f"s.{qn(slot.get_field(name).column)}" for name in ("id", "period_start", "period_end")]
        + [f"o.{qn('id')}", f"o.{qn(org.get_field('name').column)}"]
    )
    oldest = (
        f"SELECT r.{qn('id')}, {columns}, ({count}) FROM"
        f" (SELECT {qn('id')}, {slot_id}, {submitted_at} {waiting} ORDER BY {submitted_at}, {qn('id')} LIMIT %s) r"
        f" INNER JOIN {qn(slot.db_table)} s ON s.{qn('id')} = r.{slot_id}"
        f" INNER JOIN {qn(org.db_table)} o ON o.{qn('id')} = s.{qn(slot.get_field('organization').column)}"
        f" ORDER BY r.{submitted_at}, r.{qn('id')}"
    )
    return (oldest, path)


def review_summary(user) -> tuple[int, list[Report]]:
    """(how many reports await the user's review, counted up to REVIEW_COUNT_CAP + 1; the HOME_REVIEW_COUNT
    oldest, each with its slot's period and organization's name): the rows of
    `review_queue_for(user).order_by()[:cap + 1].count()` and of that queue's first rows `.only(HOME_REVIEW_FIELDS)`,
    read in one statement written as SQL rather than the ORM's two queries built on every reviewer's home
    (~1 ms of CPU), whose join of every report tied on the oldest submission time came before their sort
    (tests/pilots/test_home_review.py compares them)."""
    scope = policies.scope_split(user, "review")
    statement, path = _review_sql()
    conditions, params = [], []
    if scope is not None:
        roots, singles = scope
        if not roots and not singles:
            return 0, []
        within, params = scope_sql(path, scope)
        conditions.append(within)
        # review_queue_for leaves out the reports of the user's own organizations
        own = sorted(roots + singles)
        conditions.append(f"{path} NOT IN ({', '.join(['%s'] * len(own))})")
        params += own
    waiting = [ReportState.SUBMITTED.value, *params]
    with connection.cursor() as cursor:  # the count's conditions come first in the statement, then the rows'
        cursor.execute(
            statement.format(scope="".join(f" AND {c}" for c in conditions)),
            [*waiting, REVIEW_COUNT_CAP + 1, *waiting, HOME_REVIEW_COUNT],
        )
        rows = cursor.fetchall()
        if not rows:
            return 0, []
    oldest = []
    db = connection.alias
    for report_id, slot_id, start, end, org_id, org_name, _count in rows:
        report = Report.from_db(db, ["id", "slot_id"], [report_id, slot_id])
        report.slot = ReportSlot.from_db(
            db, ["id", "organization_id", "period_start", "period_end"], [slot_id, org_id, start, end]
        )
        report.slot.organization = Organization.from_db(db, ["id", "name"], [org_id, org_name])
        oldest.append(report)
    return rows[0][-1], oldest


ORG_UNIT_COUNT = 20  # the pilot units the organization page lists


@per_vendor
def _org_units_sql() -> str:
    qn = connection.ops.quote_name
    unit, program, org = PilotUnit._meta, PilotProgram._meta, Organization._meta
    program_id = qn(unit.get_field("program").column)
    return (
        f"SELECT u.{qn('id')}, u.{program_id}, p.{qn(program.get_field('organization').column)},"
        f" p.{qn(program.get_field('name').column)}, o.{qn(org.get_field('name').column)}"
        f" FROM {qn(unit.db_table)} u INNER JOIN {qn(program.db_table)} p ON p.{qn('id')} = u.{program_id}"
        f" INNER JOIN {qn(org.db_table)} o ON o.{qn('id')} = p.{qn(program.get_field('organization').column)}"
        f" WHERE u.{qn(unit.get_field('organization').column)} = %s"
        f" ORDER BY p.{qn(program.get_field('starts_on').column)} DESC, p.{qn(program.get_field('name').column)},"
        f" u.{qn('id')} LIMIT %s"
    )


def organization_units(organization_id: int) -> list[PilotUnit]:
    """The organization's pilot units, each with its program's name and the program's organization's name (what
    pilots/_org_programs.html shows): the rows of `PilotUnit.objects.filter(organization=...)
    .select_related("program__organization").only("program__name", "program__organization__name")[:20]` in
    PilotUnit's order (by program, in PilotProgram's order: newest start, then name; the path is the
    organization's own; ties by unit), as SQL written once rather than the
    ORM's query built on every organization page (tests/pilots/test_org_panel.py compares them)."""
    with connection.cursor() as cursor:
        cursor.execute(_org_units_sql(), [organization_id, ORG_UNIT_COUNT])
        rows = cursor.fetchall()
    db, units = connection.alias, []
    for unit_id, program_id, owner_id, program_name, owner_name in rows:
        unit = PilotUnit.from_db(db, ["id", "program_id"], [unit_id, program_id])
        unit.program = PilotProgram.from_db(
            db, ["id", "organization_id", "name"], [program_id, owner_id, program_name]
        )
        unit.program.organization = Organization.from_db(db, ["id", "name"], [owner_id, owner_name])
        units.append(unit)
    return units


def organization_panels(request, organization):
    units = organization_units(organization.pk)
    panels = assessment_panels(request, organization)
    if not units:
        return panels
    return [Panel(_("Pilot programs"), "pilots/_org_programs.html", {"units": units}, order=30), *panels]


def assessment_panels(request, organization):
    from league.models import Level

    if organization.level not in (Level.CITY, Level.COUNTY, Level.PROVINCE):
        return []
    return [
        Panel(
            _("Yearly ranking and talks"),
            "pilots/assessment/_org_panel.html",
            {"org": organization},
            order=35,
        )
    ]


@writes("pilots/_home_file.html")
def write_file_panel(context, panel) -> str:
    """pilots/_home_file.html (and the pilots/_file_list.html it includes), written in Python
    (league.panels.WRITERS)."""
    from .templatetags.pilots_tags import file_rows

    return (
        '<div data-testid="home-file"><ul class="list-group list-group-flush" data-testid="file-list">\n'
        f"{file_rows(context, panel['slots'], panel['on'])}\n</ul>\n\n"
        f'<a class="small" href="{esc(fixed_url("pilots:my_reports"))}">{esc(_("All my reports"))}</a></div>\n'
    )


@writes("pilots/_home_review.html")
def write_review_panel(context, panel) -> str:
    """pilots/_home_review.html, written in Python (league.panels.WRITERS)."""
    count = panel["count"]
    if panel["more"]:
        waiting = _("More than %(n)s reports are waiting for your review.") % {"n": number(count)}
    else:
        waiting = ngettext(
            "%(n)s report is waiting for your review.", "%(n)s reports are waiting for your review.", count
        ) % {"n": number(count)}
    detail = url_for_id("pilots:report_detail")
    rows = "".join(
        f'<li><a href="{esc(detail(r.pk))}">{esc(r.slot.organization.name)} · {esc(r.slot.period_label)}</a></li>'
        for r in panel["oldest"]
    )
    return (
        f'<div data-testid="home-review"><p class="mb-2">{waiting}</p>\n<ul class="list-unstyled small">{rows}</ul>\n'
        f'<a class="btn btn-sm btn-outline-primary" href="{esc(fixed_url("pilots:review_queue"))}">'
        f"{esc(_('Open the review queue'))}</a>\n"
        f'<a class="btn btn-sm btn-outline-secondary" href="{esc(fixed_url("pilots:dashboard"))}">'
        f"{esc(_('Pilot dashboard'))}</a></div>\n"
    )
