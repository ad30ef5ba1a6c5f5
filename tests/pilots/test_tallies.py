"""The dashboard's report counters (pilots/tallies.py) stay equal to a recount from the slots and reports
through any sequence of service calls, and the dashboard's figures from them equal the live slot counts."""

import datetime as dt
import random

import pytest
from django.core.management import call_command
from django.utils import timezone

from league.models import Level
from pilots import dashboard as numbers
from pilots import services, tallies
from pilots.models import Report, ReportSlot, ReportState, ReportTally, ReturnReason, today
from tests.factories import OrganizationFactory
from tests.pilots.factories import filed_report, monthly_program


def _assert_counters_match():
    stored, expected = tallies.stored(), tallies.recount()
    assert stored == expected
    assert expected  # something is counted: the comparison is not between two empty sets


def _aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def programs(world):
    """A county program (monthly, streets) and a city program with a weekly county-level schedule too."""
    on = today()
    start = dt.date(on.year - 1, on.month, 1)
    end = dt.date(on.year + 1, on.month, 1)
    county = monthly_program(world.county, [world.zhonghe, world.shounan], starts_on=start, ends_on=end)
    city = monthly_program(world.city, [world.zhonghe], starts_on=start, ends_on=end, name="市级试点")
    services.schedule_create(by=world.users["admin"], program=city, frequency="weekly",
                             reporting_level=Level.COUNTY, grace_days=2, starts_on=on - dt.timedelta(days=70),
                             ends_on=on + dt.timedelta(days=14))  # fmt: skip
    return county, city


def _random_step(rng: random.Random, world, programs, admin, step: int) -> str:
    on = today()
    op = rng.choice(["enroll", "submit", "submit", "return", "accept", "accept", "move"])
    if op == "enroll":
        org = OrganizationFactory(code=f"RND-{step}", level=Level.STREET, parent=world.county)
        services.unit_enroll(by=admin, program=rng.choice(programs), organization=org)
        return op
    if op == "move":
        street = rng.choice(list(world.county.children.filter(code__startswith="RND-"))
                            + list(world.other_county_org.children.all()) or [None])  # fmt: skip
        if street is None:
            return "nothing to move"
        street.parent = world.other_county_org if street.parent_id == world.county.pk else world.county
        street.save()
        return op
    if op == "submit":
        open_slots = list(ReportSlot.objects.opened(on).outstanding().order_by("id"))
        if not open_slots:
            return "nothing to submit"
        slot = rng.choice(open_slots)
        when = min(slot.deadline + dt.timedelta(days=rng.choice([-3, 0, 2])), on)
        report = Report.objects.filter(slot=slot).first()
        if report is None:
            filed_report(slot, admin, now=_aware(when))
        else:
            services.report_submit(report=report, by=admin, now=_aware(when))
        return op
    submitted = list(Report.objects.filter(state=ReportState.SUBMITTED).order_by("id"))
    if not submitted:
        return f"nothing to {op}"
    report = rng.choice(submitted)
    if op == "return":
        services.report_return(report=report, by=admin, reason=ReturnReason.VAGUE, comment="请补充",
                               now=_aware(on - dt.timedelta(days=rng.choice([0, 20]))))  # fmt: skip
    else:
        services.report_accept(report=report, by=admin)
    return op


@pytest.mark.parametrize("seed", [1, 2])
def test_counters_equal_a_recount_after_random_service_calls(world, programs, seed):
    rng, admin = random.Random(seed), world.users["admin"]
    _assert_counters_match()  # generate_slots counted the slots
    done = []
    for step in range(40):
        done.append(_random_step(rng, world, programs, admin, step))
        if step % 8 == 7:
            _assert_counters_match()
    _assert_counters_match()
    assert {"enroll", "submit", "return", "accept", "move"} <= set(done), done
    assert Report.objects.filter(state=ReportState.RETURNED).exists() or "return" not in done


def test_a_move_carries_the_counts_to_the_new_ancestors(world, programs):
    slot = programs[0].slots.filter(organization=world.zhonghe).opened().earliest("period_start")
    filed_report(slot, world.users["admin"])
    world.zhonghe.parent = world.other_county_org
    world.zhonghe.save()
    _assert_counters_match()
    moved = ReportTally.objects.filter(organization=world.other_county_org, period_start=slot.period_start,
                                       program=programs[0])  # fmt: skip
    assert sum(t.filed_on_time + t.filed_late for t in moved) == 1


def test_rebuild_restores_wrong_counters(world, programs):
    ReportTally.objects.filter(organization=world.province).update(slots=0)
    ReportTally.objects.filter(organization=world.zhonghe).delete()
    assert tallies.stored() != tallies.recount()
    with pytest.raises(SystemExit):
        call_command("rebuild_report_tallies", "--check")
    call_command("rebuild_report_tallies")
    _assert_counters_match()
    call_command("rebuild_report_tallies", "--check")


def test_dashboard_figures_from_counters_equal_the_live_counts(world, programs):
    rng, admin = random.Random(7), world.users["admin"]
    for step in range(25):
        _random_step(rng, world, programs, admin, step)
    on = today()
    for program in programs:
        for root in (world.province, world.city, world.county, world.zhonghe):
            live = numbers.periods_table(program.slots.filter(organization__path__startswith=root.path), on)
            counted = numbers.periods_from_tallies(ReportTally.objects.filter(program=program,
                                                                              organization=root), on)  # fmt: skip
            assert counted == live, (program, root)
    assert any(r.expected for r in live)
