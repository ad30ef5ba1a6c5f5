"""Milestones with deadlines, marked done with a date and evidence; leading groups."""

import datetime as dt

import pytest

from league import uploads
from pilots import services
from pilots.models import GroupRole, Milestone
from tests.pilots.factories import assign_instructor


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def milestone(program, world):
    unit = program.units.get(organization=world.zhonghe)
    return services.milestone_add(
        by=world.users["county"], unit=unit, title="副书记配齐", due_on=dt.date(2026, 12, 30)
    )


def test_street_marks_its_milestone_done_with_evidence(milestone, client_for, world):
    pdf = uploads.in_memory(b"%PDF-1.4\n%%EOF\n", "任命文件.pdf")
    response = client_for("street").post(f"/pilots/milestones/{milestone.pk}/done/",
                                         {"done_on": "2026-11-20", "evidence": "3名副书记到位", "file": pdf})  # fmt: skip
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.done_on == dt.date(2026, 11, 20) and not milestone.is_late()
    assert milestone.attachments.get().original_name == "任命文件.pdf"


def test_sibling_cannot_touch_it_and_future_dates_are_refused(milestone, client_for, world):
    assert client_for("street_sibling").post(f"/pilots/milestones/{milestone.pk}/done/",
                                             {"done_on": "2026-11-20"}).status_code == 404  # fmt: skip
    with pytest.raises(services.PilotError) as exc:
        services.milestone_complete(
            by=world.users["street"], milestone=milestone, done_on=dt.date(2999, 1, 1)
        )
    assert exc.value.field == "done_on"
    milestone.refresh_from_db()
    assert milestone.done_on is None


def test_late_milestones(program, world):
    unit = program.units.get(organization=world.zhonghe)
    m1 = Milestone.objects.create(
        unit=unit, title="a", due_on=dt.date(2026, 1, 31), done_on=dt.date(2026, 2, 3)
    )
    m2 = Milestone.objects.create(unit=unit, title="b", due_on=dt.date(2026, 1, 31))
    Milestone.objects.create(unit=unit, title="c", due_on=dt.date(2026, 1, 31), done_on=dt.date(2026, 1, 30))
    assert set(Milestone.objects.late(on=dt.date(2026, 2, 5))) == {m1, m2}
    assert m2.is_late(on=dt.date(2026, 1, 31)) is False


def test_unit_page_shows_leading_group_and_milestones(milestone, client_for, world):
    unit = milestone.unit
    services.leading_group_member_add(by=world.users["county"], unit=unit, name="王组长", role=GroupRole.LEADER,
                                      title="区委组织部副部长")  # fmt: skip
    body = client_for("street").get(f"/pilots/units/{unit.pk}/").content.decode()
    assert "王组长" in body and "组长" in body and "副书记配齐" in body and "标记完成" in body
    assign_instructor(world, unit)  # the instructor sees the unit but may not mark milestones
    response = client_for("instructor").get(f"/pilots/units/{unit.pk}/")
    assert response.status_code == 200 and "标记完成" not in response.content.decode()
