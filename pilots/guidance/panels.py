"""Home panels for instructors (their units, a button to log a visit) and for fund managers (pending applications)."""

from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from league import policies
from league.models import Organization
from league.panels import Panel, writes
from league.rowhtml import esc, number
from league.rowurls import fixed_url, url_for_id
from league.sqltext import per_vendor

from ..funds.models import ApplicationStatus, Fund, ProjectApplication
from ..models import PilotUnit
from .models import InstructorAssignment

UNITS_SHOWN = 8  # the instructor's units the panel lists
PENDING_SHOWN = 5  # the oldest fund applications the panel lists


@per_vendor
def _units_sql() -> str:
    """The statement of home_units, with `{scope}` where the user's `guide` scope puts its condition on the
    unit's organization's path (`o.path`); written once per database vendor."""
    qn, unit, org, assignment = (
        connection.ops.quote_name,
        PilotUnit._meta,
        Organization._meta,
        InstructorAssignment._meta,
    )
    u_org = qn(unit.get_field("organization").column)
    return (
        f"SELECT u.{qn(unit.pk.column)}, u.{u_org}, o.{qn(org.get_field('name').column)}"
        f" FROM {qn(unit.db_table)} u INNER JOIN {qn(org.db_table)} o ON o.{qn(org.pk.column)} = u.{u_org}"
        f" WHERE u.{qn(unit.pk.column)} IN (SELECT a.{qn(assignment.get_field('unit').column)}"
        f" FROM {qn(assignment.db_table)} a WHERE a.{qn(assignment.get_field('instructor').column)} = %s)"
        f"{{scope}} ORDER BY o.{qn(org.get_field('path').column)}, u.{qn(unit.pk.column)} LIMIT %s"
    )


def home_units(user) -> list[PilotUnit]:
    """The first UNITS_SHOWN units assigned to the user as instructor (any dates) inside their `guide` scope, in
    their organizations' path order (ties by unit), each with its organization's name (what
    pilots/guidance/_home_units.html shows): the rows of `assigned_units(user).select_related("organization")
    .only("organization__name").order_by("organization__path", "pk")[:UNITS_SHOWN]`, as SQL written once rather
    than the ORM's query built on every admin's and instructor's home (~0.6 ms of CPU)
    (tests/pilots/guidance/test_home_panels.py compares them). No query without a `guide` scope."""
    condition = policies.scope_sql(user, "guide", f"o.{connection.ops.quote_name('path')}")
    if condition is not None and not condition[0]:
        return []
    scope, params = ("", []) if condition is None else (f" AND {condition[0]}", condition[1])
    with connection.cursor() as cursor:
        cursor.execute(_units_sql().format(scope=scope), [user.pk, *params, UNITS_SHOWN])
        rows = cursor.fetchall()
    db, units = connection.alias, []
    for unit_id, org_id, org_name in rows:
        unit = PilotUnit.from_db(db, ["id", "organization_id"], [unit_id, org_id])
        unit.organization = Organization.from_db(db, ["id", "name"], [org_id, org_name])
        units.append(unit)
    return units


@per_vendor
def _pending_sql(managed: bool) -> tuple[str, str]:
    """The statements of pending_applications (the oldest, their count), written once per database vendor; for a
    user who manages some funds (`managed`), with `{scope}` where the user's `manage` scope puts its condition on
    the fund's organization's path (`fo.path`), and for a platform admin over every fund."""
    qn, application, fund, org = (
        connection.ops.quote_name,
        ProjectApplication._meta,
        Fund._meta,
        Organization._meta,
    )
    a = {name: qn(application.get_field(name).column) for name in ("id", "fund", "organization", "title", "status",
                                                                  "applied_at")}  # fmt: skip
    waiting = f"a.{a['status']} = %s"
    if managed:
        waiting += (
            f" AND a.{a['fund']} IN (SELECT f.{qn(fund.pk.column)} FROM {qn(fund.db_table)} f"
            f" INNER JOIN {qn(org.db_table)} fo ON fo.{qn(org.pk.column)} = f.{qn(fund.get_field('organization').column)}"
            " WHERE {scope})"
        )
    table = f"{qn(application.db_table)} a"
    oldest = (
        f"SELECT a.{a['id']}, a.{a['organization']}, a.{a['title']}, o.{qn(org.get_field('name').column)}"
        f" FROM {table} INNER JOIN {qn(org.db_table)} o ON o.{qn(org.pk.column)} = a.{a['organization']}"
        f" WHERE {waiting} ORDER BY a.{a['applied_at']}, a.{a['id']} LIMIT %s"
    )
    return oldest, f"SELECT COUNT(*) FROM {table} WHERE {waiting}"


def pending_applications(user) -> tuple[int, list[ProjectApplication]]:
    """(how many fund applications await a decision on the funds the user manages, the PENDING_SHOWN oldest, each
    with its title and applicant's name): the rows of `pending_applications_managed_by(user)`
    `.only("title", "organization__name").order_by("applied_at", "pk")[:PENDING_SHOWN]` and of its count, as SQL
    written once rather than the ORM's queries built on every staff member's home (~0.4 ms of CPU)
    (tests/pilots/guidance/test_home_funds.py compares them). Fewer than a panel's worth read are all of them:
    counted only when there may be more. No query without a `manage` scope."""
    condition = policies.scope_sql(user, "manage", f"fo.{connection.ops.quote_name('path')}")
    if condition is not None and not condition[0]:
        return 0, []
    oldest_sql, count_sql = _pending_sql(condition is not None)
    if condition is not None:
        oldest_sql, count_sql = oldest_sql.format(scope=condition[0]), count_sql.format(scope=condition[0])
    waiting = [ApplicationStatus.SUBMITTED.value, *(condition[1] if condition else [])]
    with connection.cursor() as cursor:
        cursor.execute(oldest_sql, [*waiting, PENDING_SHOWN])
        rows = cursor.fetchall()
        count = len(rows)
        if count >= PENDING_SHOWN:
            cursor.execute(count_sql, waiting)
            count = cursor.fetchone()[0]
    db, oldest = connection.alias, []
    for application_id, org_id, title, org_name in rows:
        application = ProjectApplication.from_db(
            db, ["id", "organization_id", "title"], [application_id, org_id, title]
        )
        application.organization = Organization.from_db(db, ["id", "name"], [org_id, org_name])
        oldest.append(application)
    return count, oldest


def home_panels(request):
    user, panels = request.user, []
    units = home_units(user)
    if units:
        panels.append(
            Panel(
                _("My pilot units (指导员)"), "pilots/guidance/_home_units.html", {"units": units}, order=15
            )
        )
    count, oldest = pending_applications(user)
    if count:
        panels.append(
            Panel(
                _("Fund applications"),
                "pilots/funds/_home_pending.html",
                {"count": count, "oldest": oldest},
                order=25,
            )
        )
    return panels


@writes("pilots/guidance/_home_units.html")
def write_units_panel(context, panel) -> str:
    """pilots/guidance/_home_units.html, written in Python (league.panels.WRITERS)."""
    guidance, visit, log = (
        url_for_id("pilots:unit_guidance"),
        url_for_id("pilots:visit_create"),
        esc(_("Log a visit")),
    )
    rows = "".join(
        f'<li class="d-flex flex-wrap justify-content-between gap-2 mb-1"><a href="{esc(guidance(u.pk))}">'
        f'{esc(u.organization.name)}</a> <a class="btn btn-sm btn-primary" href="{esc(visit(u.pk))}">{log}</a></li>'
        for u in panel["units"]
    )
    return (
        f'<ul class="list-unstyled mb-2" data-testid="home-instructor">{rows}</ul>\n'
        f'<a class="btn btn-sm btn-outline-secondary" href="{esc(fixed_url("pilots:guidance_home"))}">'
        f"{esc(_('Guidance and pairs'))}</a>\n"
    )


@writes("pilots/funds/_home_pending.html")
def write_pending_panel(context, panel) -> str:
    """pilots/funds/_home_pending.html, written in Python (league.panels.WRITERS)."""
    count = panel["count"]
    waiting = ngettext(
        "%(n)s fund application is waiting for a decision.",
        "%(n)s fund applications are waiting for a decision.",
        count,
    ) % {"n": number(count)}
    detail = url_for_id("pilots:application_detail")
    rows = "".join(
        f'<li><a href="{esc(detail(a.pk))}">{esc(a.organization.name)} · {esc(a.title)}</a></li>'
        for a in panel["oldest"]
    )
    return (
        f'<div data-testid="home-fund-applications"><p class="mb-2">{waiting}</p>\n'
        f'<ul class="list-unstyled small">{rows}</ul>\n'
        f'<a class="btn btn-sm btn-outline-secondary" href="{esc(fixed_url("pilots:fund_list"))}">'
        f"{esc(_('Pilot funds'))}</a></div>\n"
    )
