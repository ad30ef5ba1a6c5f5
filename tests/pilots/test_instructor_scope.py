"""An instructor sees only the pilot units assigned to them, on every scoped page (league.policies).

The instructor persona holds the instructor role at 中河街道, whose subtree also holds 划船社区团支部; both
are pilot units here, and only 中河's is assigned to the instructor. The street secretary (same subtree,
another role) sees both, so each 404 below comes from the narrowing, not from a missing object.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from league import policies
from league.models import Level, Role
from pilots import dashboard as numbers
from pilots import services
from pilots.guidance import services as guidance
from pilots.models import Frequency, ReportingSchedule, ReportSlot, today
from tests.factories import OrganizationFactory
from tests.pilots.factories import filed_report, monthly_program

JAN1 = dt.date(2026, 1, 1)


@pytest.fixture
def program(world):
    """The county's program with 中河 (street reports) and its community branch (grassroots reports)."""
    program = monthly_program(world.county, [world.zhonghe, world.zhonghe_branch])
    schedule = ReportingSchedule.objects.create(
        program=program, frequency=Frequency.MONTHLY, reporting_level=Level.GRASSROOTS,
        starts_on=program.starts_on, ends_on=program.ends_on,
    )  # fmt: skip
    services.generate_slots(schedule=schedule)
    return program


@pytest.fixture
def units(program, world):
    return program.units.get(organization=world.zhonghe), program.units.get(organization=world.zhonghe_branch)


@pytest.fixture
def reports(program, world):
    """The January report of each unit, filed by the street secretary."""
    street = world.users["street"]
    return tuple(
        filed_report(program.slots.get(organization=org, period_start=JAN1), street)
        for org in (world.zhonghe, world.zhonghe_branch)
    )


@pytest.fixture
def assigned(units, world):
    return guidance.assignment_add(by=world.users["county"], unit=units[0], instructor=world.users["instructor"],
                                   starts_on=JAN1)  # fmt: skip


def test_unit_and_report_pages_follow_the_assignment(assigned, units, reports, client_for):
    assigned_unit, other_unit = units
    assigned_report, other_report = reports
    instructor, street = client_for("instructor"), client_for("street")
    assert instructor.get(f"/pilots/units/{assigned_unit.pk}/").status_code == 200
    assert instructor.get(f"/pilots/reports/{assigned_report.pk}/").status_code == 200
    assert instructor.get(f"/pilots/units/{other_unit.pk}/").status_code == 404
    assert instructor.get(f"/pilots/reports/{other_report.pk}/").status_code == 404
    assert instructor.get(f"/pilots/reports/{other_report.pk}/compare/").status_code == 404
    assert street.get(f"/pilots/units/{other_unit.pk}/").status_code == 200
    assert street.get(f"/pilots/reports/{other_report.pk}/").status_code == 200


def test_report_list_shows_only_the_assigned_units_reports(assigned, reports, client_for):
    page = client_for("instructor").get("/pilots/reports/")
    assert page.status_code == 200
    assert [row[0] for row in page.context["page"].object_list] == [reports[0].pk]  # rows: the pk first


def test_without_an_assignment_the_instructor_sees_no_unit(units, reports, client_for):
    client = client_for("instructor")
    for unit in units:
        assert client.get(f"/pilots/units/{unit.pk}/").status_code == 404
    for report in reports:
        assert client.get(f"/pilots/reports/{report.pk}/").status_code == 404


def test_view_is_narrowed_but_guide_keeps_the_subtree(assigned, world):
    instructor = world.users["instructor"]
    assert policies.can(instructor, "view", world.zhonghe)
    assert not policies.can(instructor, "view", world.zhonghe_branch)
    assert policies.can(instructor, "guide", world.zhonghe_branch)  # may still be assigned there
    assert list(policies.organizations_for(instructor)) == [world.zhonghe]
    assert list(policies.scope_roots(instructor)) == [world.zhonghe]


def test_scope_split_tells_single_organizations_from_subtree_roots(assigned, world):
    instructor = world.users["instructor"]
    assert policies.scope_split(instructor, "view") == ([], [world.zhonghe.path])
    assert policies.scope_split(instructor, "guide") == ([world.zhonghe.path], [])
    assert policies.scope_split(world.users["county"]) == ([world.county.path], [])
    assert policies.scope_split(world.users["admin"]) is None
    assert policies.scope_paths(instructor) == [world.zhonghe.path]  # the other callers' view is unchanged


def test_other_roles_of_the_same_user_keep_their_subtree(assigned, world):
    from tests.factories import MembershipFactory

    instructor = world.users["instructor"]
    MembershipFactory(user=instructor, organization=world.zhonghe_branch, role=Role.SECRETARY)
    policies.forget(instructor)
    assert policies.can(instructor, "view", world.zhonghe_branch)
    assert set(policies.organizations_for(instructor)) == {world.zhonghe, world.zhonghe_branch}


def test_home_links_an_instructors_organization_only_once_it_is_visible(units, client_for, world):
    """Home's "My organizations" and the user menu name 中河 either way, but link it only when it opens."""
    link = f'href="/orgs/{world.zhonghe.pk}/"'
    body = client_for("instructor").get("/").content.decode()
    assert world.zhonghe.name in body and link not in body
    guidance.assignment_add(by=world.users["county"], unit=units[0], instructor=world.users["instructor"],
                            starts_on=JAN1)  # fmt: skip
    assert body.count(world.zhonghe.name) >= 2  # the list and the menu
    assert link in client_for("instructor").get("/").content.decode()
    assert link in client_for("street").get("/").content.decode()


# --- dashboard figures (pilots.tallies.visible) ---------------------------------------------------------------
# A tally row of an organization counts its whole subtree; an instructor sees their assigned organization
# alone, so the dashboard and the program page must count only its own slots for them. The program has a
# street schedule (中河's slots) and a grassroots one (the branches' slots, counted in 中河's tally rows too).


def _dashboard(client, schedule, **params):
    """The dashboard's per-period figures of one schedule of the program."""
    query = "&".join(f"{k}={v}" for k, v in {"program": schedule.program_id, "schedule": schedule.pk,
                                               **params}.items())  # fmt: skip
    response = client.get(f"/pilots/dashboard/?{query}")
    assert response.status_code == 200
    return response.context["rows"]


def _recount(schedule, **where):
    """The same figures counted from the base tables (slots and reports), not from the tallies."""
    return numbers.periods_table(ReportSlot.objects.filter(schedule=schedule, **where), today())


def _branch(world, program, code):
    """Another grassroots branch under 中河, enrolled in the program (its slots made)."""
    org = OrganizationFactory(
        code=code, name=f"中河街道{code}团支部", level=Level.GRASSROOTS, parent=world.zhonghe
    )
    return services.unit_enroll(by=world.users["county"], program=program, organization=org)


def _schedules(program):
    street = program.schedules.get(reporting_level=Level.STREET)
    return street, program.schedules.get(reporting_level=Level.GRASSROOTS)


def test_instructor_dashboard_counts_only_the_assigned_organizations_own_slots(assigned, reports, program,
                                                                               client_for, world):  # fmt: skip
    street, grassroots = _schedules(program)
    assert _recount(grassroots, organization=world.zhonghe_branch)  # the branch's slots are in 中河's rows
    client = client_for("instructor")
    for params in ({}, {"org": world.zhonghe.pk}):
        assert _dashboard(client, street, **params) == _recount(street, organization=world.zhonghe), params
        assert _dashboard(client, grassroots, **params) == [], params  # 中河 files no grassroots report
    own = numbers.periods_table(
        ReportSlot.objects.filter(program=program, organization=world.zhonghe), today()
    )
    assert sum(r.filed for r in own) == 1


def test_staff_dashboard_still_counts_the_whole_subtree(assigned, reports, program, client_for, world):
    client = client_for("county")
    for schedule in _schedules(program):
        assert _dashboard(client, schedule) == _recount(schedule)
        assert _dashboard(client, schedule, org=world.zhonghe.pk) == _recount(
            schedule, organization__path__startswith=world.zhonghe.path)  # fmt: skip
    assert sum(r.filed for r in _dashboard(client, _schedules(program)[1])) == 1  # the branch's January


def test_a_subtree_role_under_the_assigned_street_adds_that_subtree_once(assigned, reports, program,
                                                                          client_for, world):  # fmt: skip
    """Instructor at 中河 (assigned: the street alone) and secretary of one branch: the street's own slots,
    that branch's, not the other branch's, nothing twice."""
    from tests.factories import MembershipFactory

    other = _branch(world, program, "ZH-02")
    MembershipFactory(user=world.users["instructor"], organization=world.zhonghe_branch, role=Role.SECRETARY)
    street, grassroots = _schedules(program)
    assert _recount(grassroots, organization=other.organization)
    client = client_for("instructor")
    for params in ({}, {"org": world.zhonghe.pk}):
        assert _dashboard(client, street, **params) == _recount(street, organization=world.zhonghe)
        assert _dashboard(client, grassroots, **params) == _recount(
            grassroots, organization=world.zhonghe_branch
        )
    assert _dashboard(client, grassroots, org=world.zhonghe_branch.pk) == _recount(
        grassroots, organization=world.zhonghe_branch)  # fmt: skip
    assert (
        client.get(f"/pilots/dashboard/?program={program.pk}&org={other.organization.pk}").status_code == 404
    )


def test_a_street_role_over_the_assigned_street_shows_the_subtree(
    assigned, reports, program, client_for, world
):
    """An assignment under a subtree the user sees anyway adds nothing (no double count)."""
    from tests.factories import MembershipFactory

    MembershipFactory(user=world.users["instructor"], organization=world.zhonghe, role=Role.SECRETARY)
    client = client_for("instructor")
    for schedule in _schedules(program):
        assert _dashboard(client, schedule) == _recount(
            schedule, organization__path__startswith=world.zhonghe.path
        )


def test_instructor_dashboard_queries_do_not_grow_with_assignments(
    assigned, reports, program, client_for, world
):
    client, grassroots = client_for("instructor"), _schedules(program)[1]
    target = f"/pilots/dashboard/?program={program.pk}&schedule={grassroots.pk}"

    def count():
        client.get(target)  # warm: lineup verdicts are kept on first sight (league.lineup_snapshots)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(target)
        assert response.status_code == 200
        return len(ctx.captured_queries), response.context["rows"]

    guidance.assignment_add(by=world.users["county"], unit=_branch(world, program, "ZH-10"),
                            instructor=world.users["instructor"], starts_on=JAN1)  # fmt: skip
    small, rows_small = count()
    for i in range(1, 5):
        guidance.assignment_add(by=world.users["county"], unit=_branch(world, program, f"ZH-1{i}"),
                                instructor=world.users["instructor"], starts_on=JAN1)  # fmt: skip
    large, rows_large = count()
    assert sum(r.expected for r in rows_large) == 5 * sum(r.expected for r in rows_small) > 0
    assert rows_large == _recount(grassroots, organization__code__startswith="ZH-1")
    assert small == large, (small, large)
