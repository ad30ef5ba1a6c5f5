"""The demo pilots: the seeds' programs with reports in every state, so every page shows something real."""

import pytest

from league import demo as league_demo
from pilots import demo
from pilots.models import Briefing, Milestone, PilotProgram, Report, ReportSlot, ReportState


@pytest.mark.django_db
def test_demo_programs_have_reports_in_every_state_and_are_idempotent():
    world = league_demo.seed(league_demo.World())
    demo.seed(world)
    counts = (PilotProgram.objects.count(), ReportSlot.objects.count(), Report.objects.count())
    demo.seed(world)
    assert (PilotProgram.objects.count(), ReportSlot.objects.count(), Report.objects.count()) == counts

    zj = PilotProgram.objects.get(name="2009年街道团组织格局创新试点")
    assert zj.units.count() == 21
    assert zj.units.values("organization__parent__parent").distinct().count() == 11  # 11 cities
    schedule = zj.schedules.get()
    assert (schedule.frequency, schedule.reporting_level) == ("weekly", "city")
    assert Milestone.objects.filter(unit__program=zj, due_on__month=12, due_on__day=30).count() == 21
    assert [p.name for p in PilotProgram.objects.get(name__startswith="2012年").phases.all()] == [
        "准备",
        "实施",
        "总结",
    ]

    live = PilotProgram.objects.active().get(organization__code="ZJ-NB-YZ")
    states = set(Report.objects.filter(slot__program=live).values_list("state", flat=True))
    assert states == {ReportState.DRAFT, ReportState.SUBMITTED, ReportState.RETURNED, ReportState.ACCEPTED}
    slots = ReportSlot.objects.filter(program=live)
    assert slots.late().exists() and slots.overdue().exists() and slots.due().exists()
    street = world["user:street"]
    mine = ReportSlot.objects.for_user(street, "file").filter(program=live)
    assert mine.returned().exists() and mine.due().exists()
    assert Report.objects.filter(versions__number=2).exists()
    assert Briefing.objects.published().filter(program=zj).count() == 2
    for name in [
        "2010年静海县基层团组织建设试点",
        "姜堰区县域共青团基层组织改革试点",
        "兰州市基层团组织规范化建设三年行动（2019—2021）",
    ]:
        assert Report.objects.filter(slot__program__name=name).exists(), name
