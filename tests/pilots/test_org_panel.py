"""The organization page's pilot programs panel: its units read as SQL written once, the ORM's rows."""

import datetime as dt

from pilots import panels
from pilots.models import PilotUnit
from tests.pilots.factories import PilotProgramFactory


def _shown(units):
    return [(u.pk, u.program_id, u.program.name, u.program.organization_id, u.program.organization.name)
            for u in units]  # fmt: skip


def test_the_units_are_the_orms_in_its_order(world, recent_program, monkeypatch):
    """Two programs (of the county and of the province) take 中河 as a unit; 首南's are not its; the cap holds."""
    # Started later than the county's (so listed first, in PilotProgram's order), though created after it.
    other = PilotProgramFactory(organization=world.province, name="省级试点",
                                starts_on=recent_program.starts_on + dt.timedelta(days=1))  # fmt: skip
    PilotUnit.objects.create(program=other, organization=world.zhonghe, joined_on=other.starts_on)

    def orm(organization, cap):
        return list(PilotUnit.objects.filter(organization=organization)
                    .select_related("program__organization")
                    .only("program__name", "program__organization__name")[:cap])  # fmt: skip

    expected = _shown(orm(world.zhonghe, 20))
    assert [row[4] for row in expected] == [world.province.name, world.county.name]
    assert _shown(panels.organization_units(world.zhonghe.pk)) == expected
    assert _shown(panels.organization_units(world.shounan.pk)) == _shown(orm(world.shounan, 20))
    assert panels.organization_units(world.county.pk) == orm(world.county, 20) == []
    monkeypatch.setattr(panels, "ORG_UNIT_COUNT", 1)
    assert _shown(panels.organization_units(world.zhonghe.pk)) == expected[:1]
