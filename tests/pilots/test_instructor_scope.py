"""An instructor sees only the pilot units assigned to them, on every scoped page (league.policies).

The instructor persona holds the instructor role at 中河街道, whose subtree also holds 划船社区团支部; both
are pilot units here, and only 中河's is assigned to the instructor. The street secretary (same subtree,
another role) sees both, so each 404 below comes from the narrowing, not from a missing object.
"""

import datetime as dt

import pytest

from league import policies
from league.models import Level, Role
from pilots import services
from pilots.guidance import services as guidance
from pilots.models import Frequency, ReportingSchedule
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
    assert [r.pk for r in page.context["page"].object_list] == [reports[0].pk]


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
