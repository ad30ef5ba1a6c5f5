"""Pilot units keep their organization's path (PilotUnit.path), the key of "programs with a unit in a subtree"
(pilots.selectors.programs_for): copied on save, rewritten when the organization or an ancestor moves."""

import pytest
from django.db.models import Q

from league import policies
from pilots.models import PilotProgram, PilotUnit
from pilots.selectors import programs_for
from tests.conftest import PERSONAS
from tests.pilots.factories import monthly_program


def _paths_match() -> bool:
    units = PilotUnit.objects.select_related("organization")
    return all(unit.path == unit.organization.path for unit in units) and units.exists()


def _old_programs_for(user, action="view"):
    """programs_for as it was: the units found by joining each one to its organization's path."""
    runs = policies.scope_q(user, action, "organization__path")
    qs = PilotProgram.objects.all()
    if runs is None:
        return qs
    if not policies.scope_paths(user, action):
        return qs.none()
    units = PilotUnit.objects.filter(policies.scope_q(user, action, "organization__path")).values(
        "program_id"
    )
    return qs.filter(runs | Q(pk__in=units))


@pytest.fixture
def programs(world):
    """The county's program (中河, 首南), the other county's (庄桥) and a province program with 首南 only."""
    return [
        monthly_program(world.county, [world.zhonghe, world.shounan], name="鄞州试点"),
        monthly_program(world.other_county_org, [world.zhuangqiao], name="江北试点"),
        monthly_program(world.province, [world.shounan], name="全省试点"),
    ]


def test_a_unit_keeps_its_organizations_path(programs, world):
    assert _paths_match()
    assert PilotUnit.objects.get(program=programs[1]).path == world.zhuangqiao.path


def test_moving_the_organization_or_an_ancestor_moves_the_units_path(programs, world):
    world.shounan.parent = world.other_county_org
    world.shounan.save()
    assert _paths_match()
    assert PilotUnit.objects.filter(path__startswith=world.other_county_org.path).count() == 3
    world.other_county_org.parent = world.province  # a county under the province: its streets' units follow
    world.other_county_org.save()
    assert _paths_match()


def test_saving_a_unit_again_keeps_the_path(programs, world):
    unit = PilotUnit.objects.get(program=programs[1])
    unit.note = "备注"
    unit.save(update_fields=["note"])
    unit.refresh_from_db()
    assert unit.path == world.zhuangqiao.path


@pytest.mark.parametrize("persona", PERSONAS)
def test_programs_for_lists_the_same_programs_as_the_join(programs, world, persona):
    user = world.users[persona]
    for action in ("view", "manage"):
        assert sorted(programs_for(user, action).values_list("pk", flat=True)) == sorted(
            _old_programs_for(user, action).values_list("pk", flat=True)
        )


def test_a_street_sees_the_programs_of_its_units_after_a_move(programs, world):
    assert {p.name for p in programs_for(world.users["street_sibling"])} == {"鄞州试点", "全省试点"}
    world.shounan.parent = world.other_county_org
    world.shounan.save()
    names = {p.name for p in programs_for(world.users["other_county"])}
    assert names == {"江北试点", "鄞州试点", "全省试点"}
