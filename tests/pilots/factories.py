"""Factories and builders for pilot programs (other apps' tests may use them too)."""

import datetime as dt

import factory

from league.models import Level
from pilots import services
from pilots.models import Frequency, Milestone, PilotProgram, PilotUnit, ProgramKind, ReportingSchedule


class PilotProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PilotProgram

    name = factory.Sequence(lambda n: f"试点项目{n}")
    kind = ProgramKind.TOWNSHIP_1_3_X
    starts_on = dt.date(2026, 1, 1)
    ends_on = dt.date(2026, 12, 31)


class PilotUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PilotUnit

    program = factory.SubFactory(PilotProgramFactory)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    unit = factory.SubFactory(PilotUnitFactory)
    title = factory.Sequence(lambda n: f"里程碑{n}")
    due_on = dt.date(2026, 6, 30)


def monthly_program(organization, units, *, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31),
                    grace_days=0, name="乡镇“1+3+X”试点") -> PilotProgram:  # fmt: skip
    """A program run by `organization` with `units` enrolled and a monthly street schedule (slots made)."""
    program = PilotProgramFactory(organization=organization, starts_on=starts_on, ends_on=ends_on, name=name)
    for org in units:
        PilotUnit.objects.create(program=program, organization=org, joined_on=starts_on)
    schedule = ReportingSchedule.objects.create(
        program=program, frequency=Frequency.MONTHLY, reporting_level=Level.STREET, grace_days=grace_days,
        starts_on=starts_on, ends_on=ends_on,
    )  # fmt: skip
    services.generate_slots(schedule=schedule)
    return program


REPORT_TEXT = {
    "progress": "完成团工委班子配备，新增副书记3名。",
    "innovations": "按片区划分联系责任。",
    "problems": "编制外人员补贴来源不稳定。",
    "suggestions": "建议区团委统筹经费。",
    "figures": {"youth_reached": 320, "activities": 4, "funds_raised": 5000},
}


def filed_report(slot, by, *, submit=True, now=None, **overrides):
    report = services.report_start(slot=slot, by=by, on=slot.period_start)
    report = services.report_save(report=report, by=by, **{**REPORT_TEXT, **overrides})
    if submit:
        report = services.report_submit(report=report, by=by, now=now)
    return report


def assign_instructor(world, unit=None):
    """Assign the `instructor` persona to `unit` (by default a new pilot unit of 中河 in a county program).

    An instructor sees only the organizations of the units assigned to them (league.policies), so a test of
    what an instructor may do on a page they see starts here.
    """
    from pilots.guidance import services as guidance

    if unit is None:
        program = PilotProgramFactory(organization=world.county)
        unit = PilotUnit.objects.create(
            program=program, organization=world.zhonghe, joined_on=program.starts_on
        )
    return guidance.assignment_add(by=world.users["admin"], unit=unit, instructor=world.users["instructor"],
                                   starts_on=unit.joined_on)  # fmt: skip
