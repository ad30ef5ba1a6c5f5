"""The home's panel of an instructor's units: read as SQL written once, the rows of the ORM's query it replaces."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from league import policies
from league.models import Role
from pilots.guidance import services as guidance
from pilots.guidance.models import InstructorAssignment
from pilots.guidance.panels import UNITS_SHOWN, home_units
from pilots.guidance.policies import assigned_units
from pilots.models import PilotUnit
from tests.conftest import PERSONAS
from tests.factories import MembershipFactory, OrganizationFactory
from tests.pilots.factories import monthly_program

JAN1 = dt.date(2026, 1, 1)


def _orm(user):
    """The query the panel ran before (ties on the path, a unit's organization in two programs, by unit)."""
    return list(assigned_units(user).select_related(None).select_related("organization")
                .only("organization__name").order_by("organization__path", "pk")[:UNITS_SHOWN])  # fmt: skip


def _shown(units):
    return [(u.pk, u.organization_id, u.organization.name) for u in units]


def _branch_units(world, n, name):
    """`n` new branches under 中河, enrolled in a new program."""
    branches = [OrganizationFactory(code=f"ZJ-NB-YZ-ZH-{name}{i}", name=f"中河{name}{i}支部", parent=world.zhonghe)
                for i in range(n)]  # fmt: skip
    return list(monthly_program(world.county, branches, name=f"{name}试点").units.all())


def _assign(units, user, by):
    for unit in units:
        guidance.assignment_add(by=by, unit=unit, instructor=user, starts_on=JAN1)


@pytest.fixture
def assignments(program, world):
    """The instructor is assigned to 中河 in two programs, to 首南 (in the county, outside the instructor's 中河
    subtree), and to five new branches under 中河; the admin to 庄桥."""
    county = world.users["county"]
    other = monthly_program(world.county, [world.zhonghe, world.zhuangqiao], name="第二个试点")
    units = [
        *program.units.all(),
        *other.units.filter(organization=world.zhonghe),
        *_branch_units(world, 5, "B"),
    ]
    instructor = world.users["instructor"]
    # 首南's assignment was made while the instructor held a role there, since withdrawn: out of the guide scope.
    elsewhere = MembershipFactory(user=instructor, organization=world.shounan, role=Role.INSTRUCTOR)
    policies.forget(instructor)
    _assign(units, instructor, county)
    elsewhere.delete()
    policies.forget(instructor)
    # A platform admin holds no instructor role (the service refuses one), but the panel shows such a row too.
    InstructorAssignment.objects.create(unit=other.units.get(organization=world.zhuangqiao),
                                        instructor=world.users["admin"], starts_on=JAN1)  # fmt: skip
    return units


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_units_are_the_orms_for_each_persona(assignments, world, persona):
    user = world.users[persona]
    assert _shown(home_units(user)) == _shown(_orm(user))


def test_the_instructor_sees_the_units_of_the_guide_scope_in_path_order(assignments, world):
    units = home_units(world.users["instructor"])
    assert len(units) == 7 and world.shounan.pk not in {u.organization_id for u in units}
    assert [u.organization_id for u in units[:2]] == [world.zhonghe.pk] * 2 and units[0].pk < units[1].pk
    assert [u.organization.name for u in units[2:]] == [f"中河B{i}支部" for i in range(5)]
    assert _shown(home_units(world.users["admin"])) == [
        (u.pk, world.zhuangqiao.pk, world.zhuangqiao.name)
        for u in PilotUnit.objects.filter(organization=world.zhuangqiao)
    ]


def test_an_instructor_membership_elsewhere_widens_the_guide_scope(assignments, world):
    instructor = world.users["instructor"]
    MembershipFactory(user=instructor, organization=world.shounan, role=Role.INSTRUCTOR)
    policies.forget(instructor)
    units = home_units(instructor)
    assert len(units) == UNITS_SHOWN and units[-1].organization_id == world.shounan.pk
    assert _shown(units) == _shown(_orm(instructor))


def test_the_panel_lists_the_first_units_only(assignments, world):
    instructor = world.users["instructor"]
    _assign(_branch_units(world, 3, "C"), instructor, world.users["county"])
    units = home_units(instructor)
    assert len(units) == UNITS_SHOWN and _shown(units) == _shown(_orm(instructor))
    assert [u.organization.name for u in units[-2:]] == [
        "中河B4支部",
        "中河C0支部",
    ]  # C1 and C2: beyond the eighth


def test_no_query_without_a_guide_scope(assignments, world):
    for persona in ("province", "county", "street", "outsider"):
        policies.scope_paths(world.users[persona], "guide")  # the memberships, read once per request anyway
    with CaptureQueriesContext(connection) as ctx:
        for persona in ("province", "county", "street", "outsider"):
            assert home_units(world.users[persona]) == []
    assert ctx.captured_queries == []
