"""The platform creates the expected report slots itself: periods, due dates, grace, who reports."""

import datetime as dt

import pytest

from league.models import Level
from pilots import services
from pilots.models import Frequency, ReportingSchedule, ReportSlot
from tests.pilots.factories import PilotProgramFactory, filed_report, monthly_program

D = dt.date


def test_monthly_slots_are_due_at_each_month_end(program, world):
    slots = program.slots.filter(organization=world.zhonghe).order_by("period_start")
    assert slots.count() == 12
    feb = slots.get(period_start=D(2026, 2, 1))
    assert (feb.period_end, feb.due_on, feb.deadline) == (D(2026, 2, 28), D(2026, 2, 28), D(2026, 2, 28))
    assert slots.get(period_start=D(2026, 4, 1)).due_on == D(2026, 4, 30)
    assert slots.get(period_start=D(2026, 12, 1)).due_on == D(2026, 12, 31)


def test_leap_february_and_grace_days(world):
    program = monthly_program(world.county, [world.zhonghe], starts_on=D(2024, 2, 10), ends_on=D(2024, 3, 5),
                              grace_days=5)  # fmt: skip
    feb, mar = program.slots.order_by("period_start")
    assert (feb.period_start, feb.due_on, feb.deadline) == (D(2024, 2, 1), D(2024, 2, 29), D(2024, 3, 5))
    assert (mar.due_on, mar.deadline) == (D(2024, 3, 31), D(2024, 4, 5))


def test_weekly_city_reports_to_the_province_due_on_a_weekday(world):
    """Streets are the pilot units; the cities above them file weekly to the province (seed 000)."""
    program = PilotProgramFactory(
        organization=world.province, starts_on=D(2026, 6, 3), ends_on=D(2026, 6, 30)
    )
    for org in (world.zhonghe, world.shounan, world.zhuangqiao):
        program.units.create(organization=org)
    schedule = services.schedule_create(
        by=world.users["province"], program=program, frequency=Frequency.WEEKLY,
        reporting_level=Level.CITY, due_weekday=4, grace_days=1,
    )  # fmt: skip
    slots = list(schedule.slots.order_by("period_start"))
    assert {s.organization_id for s in slots} == {world.city.pk}  # one city holds all three streets
    assert len(slots) == 5  # weeks starting 6-01, 6-08, 6-15, 6-22, 6-29
    first = slots[0]
    assert (first.period_start, first.period_end) == (D(2026, 6, 1), D(2026, 6, 7))
    assert first.due_on == D(2026, 6, 5) and first.due_on.weekday() == 4
    assert first.deadline == D(2026, 6, 6)


def test_generation_is_idempotent_and_enrolling_adds_slots(program, world):
    schedule = program.schedules.get()
    assert services.generate_slots(schedule=schedule) == 0
    from tests.factories import OrganizationFactory

    new_street = OrganizationFactory(code="ZJ-NB-YZ-NEW", level=Level.STREET, parent=world.county)
    services.unit_enroll(by=world.users["county"], program=program, organization=new_street)
    assert program.slots.filter(organization=new_street).count() == 12


def test_enrolling_an_organization_outside_the_runner_is_refused(program, world):
    with pytest.raises(services.PilotError) as exc:
        services.unit_enroll(by=world.users["county"], program=program, organization=world.zhuangqiao)
    assert exc.value.field == "organization"
    assert not program.units.filter(organization=world.zhuangqiao).exists()


def test_schedule_with_bad_weekday_is_refused(program, world):
    with pytest.raises(services.PilotError) as exc:
        services.schedule_create(by=world.users["county"], program=program, frequency=Frequency.WEEKLY,
                                 reporting_level=Level.STREET, due_weekday=7)  # fmt: skip
    assert exc.value.field == "due_weekday"
    assert ReportingSchedule.objects.filter(program=program).count() == 1


def test_due_overdue_and_late_querysets(program, world):
    street = world.users["street"]
    slots = ReportSlot.objects.filter(program=program)
    on = D(2026, 3, 10)
    # January: filed on time; February: filed late; March: open, nothing yet.
    jan = slots.get(organization=world.zhonghe, period_start=D(2026, 1, 1))
    feb = slots.get(organization=world.zhonghe, period_start=D(2026, 2, 1))
    filed_report(jan, street, now=dt.datetime(2026, 1, 30, 10, tzinfo=dt.UTC))
    filed_report(feb, street, now=dt.datetime(2026, 3, 3, 10, tzinfo=dt.UTC))
    zh = slots.filter(organization=world.zhonghe)
    assert list(zh.due(on=on).values_list("period_start", flat=True)) == [D(2026, 3, 1)]
    assert zh.overdue(on=on).count() == 0
    assert list(zh.late().values_list("period_start", flat=True)) == [D(2026, 2, 1)]
    assert list(zh.on_time().values_list("period_start", flat=True)) == [D(2026, 1, 1)]
    sn = slots.filter(organization=world.shounan)
    assert sorted(sn.overdue(on=on).values_list("period_start", flat=True)) == [D(2026, 1, 1), D(2026, 2, 1)]
    assert sn.due(on=on).count() == 1
    assert slots.due(on=on).count() == 2


def test_deadline_is_the_last_day_in_shanghai_time(jan_slot, world):
    # 2026-01-31 23:30 in Shanghai is 15:30 UTC: still on time.
    report = filed_report(
        jan_slot, world.users["street"], now=dt.datetime(2026, 1, 31, 15, 30, tzinfo=dt.UTC)
    )
    assert report.late is False
