"""The program page's phases and schedules, read in one statement written once (pilots.selectors)."""

import datetime as dt

import pytest

from pilots.models import Frequency, Phase, PilotProgram, ReportingSchedule
from pilots.selectors import phases_and_schedules

pytestmark = pytest.mark.django_db


def _phase_row(phase):
    return (phase.pk, phase.program_id, phase.name, phase.order, phase.starts_on, phase.ends_on)


def _schedule_row(s):
    return (s.pk, s.program_id, s.frequency, s.reporting_level, s.due_weekday, s.grace_days,
            s.get_frequency_display(), s.get_reporting_level_display())  # fmt: skip


def test_phases_and_schedules_are_the_orms(recent_program, world):
    """The rows, values and order of program.phases.all() and program.schedules.all(): phases by order then
    first day (ties on both by id), schedules by id; nothing of another program."""
    start = recent_program.starts_on
    for order, offset, name in [
        (2, 0, "总结"),
        (1, 30, "实施 <b>"),
        (1, 0, "准备"),
        (0, 40, "动员"),
        (1, 30, "并行"),
    ]:
        Phase.objects.create(program=recent_program, name=name, order=order, starts_on=start + dt.timedelta(offset),
                             ends_on=start + dt.timedelta(offset + 9), description="不显示")  # fmt: skip
    ReportingSchedule.objects.create(program=recent_program, frequency=Frequency.WEEKLY, reporting_level="county",
                                     due_weekday=2, grace_days=1, starts_on=start, ends_on=start + dt.timedelta(60))  # fmt: skip
    other = PilotProgram.objects.create(
        organization=world.county, name="另一个", starts_on=start, ends_on=start
    )
    Phase.objects.create(program=other, name="别的", starts_on=start, ends_on=start)
    for program in (recent_program, other):
        phases, schedules = phases_and_schedules(program.pk)
        orm_phases = sorted(program.phases.all(), key=lambda p: (p.order, p.starts_on, p.pk))
        assert [_phase_row(p) for p in phases] == [_phase_row(p) for p in orm_phases]
        assert [_schedule_row(s) for s in schedules] == [_schedule_row(s) for s in program.schedules.all()]
        assert all(isinstance(p.starts_on, dt.date) and isinstance(p.ends_on, dt.date) for p in phases)
    assert (
        len(phases_and_schedules(recent_program.pk)[0]) == 5
        and len(phases_and_schedules(recent_program.pk)[1]) == 2
    )
    assert phases_and_schedules(0) == ([], [])
