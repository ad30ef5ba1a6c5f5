"""The program page's program, phases and schedules, read in one statement written once (pilots.selectors)."""

import datetime as dt

import pytest
from django.forms.models import model_to_dict

from league.models import LineupRule
from pilots.models import Frequency, Phase, PilotProgram, ReportingSchedule
from pilots.selectors import program_for_page

pytestmark = pytest.mark.django_db


def _program_row(p):
    return (p.pk, p.organization_id, p.name, p.kind, p.get_kind_display(), p.description, p.starts_on, p.ends_on,
            p.lineup_rule_id, p.organization.pk, p.organization.name, p.organization.path)  # fmt: skip


def _phase_row(phase):
    return (phase.pk, phase.program_id, phase.name, phase.order, phase.starts_on, phase.ends_on)


def _schedule_row(s):
    return (s.pk, s.program_id, s.frequency, s.reporting_level, s.due_weekday, s.grace_days,
            s.get_frequency_display(), s.get_reporting_level_display())  # fmt: skip


def test_program_for_page_is_the_orms(recent_program, world):
    """The program with its organization and lineup rule, and the rows, values and order of its phases.all() and
    schedules.all(): phases by order then first day (ties on both by id), schedules by id; nothing of another
    program; a program without phases, schedules or rule; None for no program."""
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
    rule = LineupRule.objects.create(name="1+2+N 测试", deputies_min=2, deputies_max=None, is_default=False)
    recent_program.lineup_rule = rule
    recent_program.description = "说明\n第二行"
    recent_program.save(update_fields=["lineup_rule", "description"])
    other = PilotProgram.objects.create(
        organization=world.county, name="另一个", starts_on=start, ends_on=start
    )
    bare = PilotProgram.objects.create(
        organization=world.province, name="空的", starts_on=start, ends_on=start
    )
    Phase.objects.create(program=other, name="别的", starts_on=start, ends_on=start)
    for program in (recent_program, other, bare):
        orm = PilotProgram.objects.select_related("organization", "lineup_rule").get(pk=program.pk)
        found, phases, schedules = program_for_page(program.pk)
        assert _program_row(found) == _program_row(orm)
        if orm.lineup_rule is None:
            assert found.lineup_rule is None
        else:
            assert model_to_dict(found.lineup_rule) == model_to_dict(orm.lineup_rule)
        orm_phases = sorted(orm.phases.all(), key=lambda p: (p.order, p.starts_on, p.pk))
        assert [_phase_row(p) for p in phases] == [_phase_row(p) for p in orm_phases]
        assert [_schedule_row(s) for s in schedules] == [_schedule_row(s) for s in orm.schedules.all()]
        assert all(isinstance(p.starts_on, dt.date) and isinstance(p.ends_on, dt.date) for p in phases)
    found, phases, schedules = program_for_page(recent_program.pk)
    assert found.lineup_rule.name == "1+2+N 测试" and len(phases) == 5 and len(schedules) >= 2
    assert program_for_page(bare.pk)[1:] == ([], [])
    assert program_for_page(0) is None


def test_program_page_is_404_for_no_program(client_for):
    assert client_for("province").get("/pilots/programs/999999/").status_code == 404
