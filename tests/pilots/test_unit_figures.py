"""The program page's unit figures, read in one SQL statement (pilots.dashboard.unit_figures), are the figures
the two ORM aggregates it replaced gave: milestones by unit, slot_counts by organization."""

import datetime as dt

import pytest
from django.db.models import Count, F, Q

from pilots import services
from pilots.dashboard import slot_counts, unit_figures
from pilots.models import Milestone, PilotUnit, ReportSlot, ReturnReason
from tests.pilots.factories import filed_report, monthly_program

SHOWN = ("expected", "filed", "on_time", "late", "missing")


def _orm(program_id, pairs, on):
    """The ORM aggregates the program page used before unit_figures."""
    milestones = (
        Milestone.objects.filter(unit_id__in=[u for u, _ in pairs])
        .order_by()
        .values("unit_id")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(done_on__isnull=False)),
            late=Count("id", filter=Q(done_on__gt=F("due_on")) | Q(done_on__isnull=True, due_on__lt=on)),
        )
    )
    counts = slot_counts(on)
    reports = (
        ReportSlot.objects.filter(program_id=program_id, organization_id__in=[o for _, o in pairs])
        .opened(on)
        .order_by()
        .values("organization_id")
        .annotate(**{k: counts[k] for k in SHOWN})
    )
    return {r["unit_id"]: r for r in milestones}, {r["organization_id"]: r for r in reports}


@pytest.fixture
def filled(world):
    """A program of 中河 and 首南 with reports in every state and milestones done, late and pending; a second
    program of 中河 whose slots and milestones must not count for the first."""
    program = monthly_program(world.county, [world.zhonghe, world.shounan], grace_days=3)
    other = monthly_program(world.county, [world.zhonghe], name="另一试点")
    street = world.users["street"]

    def slot(org, month, prog=program):
        return prog.slots.get(organization=org, period_start=dt.date(2026, month, 1))

    filed_report(slot(world.zhonghe, 1), street, now=dt.datetime(2026, 2, 2, 9, tzinfo=dt.UTC))  # on time
    filed_report(slot(world.zhonghe, 2), street, now=dt.datetime(2026, 3, 20, 9, tzinfo=dt.UTC))  # late
    accepted = filed_report(slot(world.zhonghe, 3), street, now=dt.datetime(2026, 4, 1, 9, tzinfo=dt.UTC))
    services.report_accept(report=accepted, by=world.users["county"])
    returned = filed_report(slot(world.zhonghe, 4), street, now=dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC))
    services.report_return(
        report=returned, by=world.users["county"], reason=ReturnReason.VAGUE, comment="再写"
    )
    filed_report(slot(world.zhonghe, 5), street, submit=False)  # a draft
    filed_report(slot(world.zhonghe, 1, other), street)
    for org in (world.zhonghe, world.shounan):
        unit = PilotUnit.objects.get(program=program, organization=org)
        Milestone.objects.create(
            unit=unit, title="按期", due_on=dt.date(2026, 3, 31), done_on=dt.date(2026, 3, 1)
        )
        Milestone.objects.create(
            unit=unit, title="逾期完成", due_on=dt.date(2026, 3, 31), done_on=dt.date(2026, 4, 2)
        )
        Milestone.objects.create(unit=unit, title="未完成", due_on=dt.date(2026, 6, 30))
    Milestone.objects.create(
        unit=PilotUnit.objects.get(program=other), title="他项", due_on=dt.date(2026, 1, 31)
    )
    return program


ON = [
    dt.date(2025, 12, 31),
    dt.date(2026, 2, 3),
    dt.date(2026, 4, 1),
    dt.date(2026, 7, 15),
    dt.date(2027, 1, 1),
]


@pytest.mark.parametrize("on", ON)
def test_unit_figures_are_the_orm_aggregates(filled, on):
    pairs = list(PilotUnit.objects.filter(program=filled).values_list("id", "organization_id"))
    assert len(pairs) == 2
    assert unit_figures(filled.pk, pairs, on) == _orm(filled.pk, pairs, on)


def test_unit_figures_count_every_kind_of_slot_and_milestone(filled, world):
    pairs = list(PilotUnit.objects.filter(program=filled).values_list("id", "organization_id"))
    milestones, reports = unit_figures(filled.pk, pairs, dt.date(2026, 7, 15))
    zhonghe = reports[world.zhonghe.pk]
    # Jan–Jul opened: on time, late, accepted (on time); missing: the draft (May) and June, past their
    # deadlines; not yet: July (deadline ahead) and April (returned on July 14: its deadline reopened).
    assert (zhonghe["expected"], zhonghe["filed"], zhonghe["on_time"], zhonghe["late"]) == (7, 3, 2, 1)
    assert zhonghe["missing"] == 2 and reports[world.shounan.pk]["missing"] == 6
    assert sorted((m["total"], m["done"], m["late"]) for m in milestones.values()) == [(3, 2, 2), (3, 2, 2)]


def test_unit_figures_of_a_subset_of_units_and_of_none(filled, world):
    pair = list(PilotUnit.objects.filter(program=filled, organization=world.shounan).values_list("id",
                                                                                                "organization_id"))  # fmt: skip
    on = dt.date(2026, 4, 1)
    assert unit_figures(filled.pk, pair, on) == _orm(filled.pk, pair, on)
    assert set(unit_figures(filled.pk, pair, on)[1]) == {world.shounan.pk}
    assert unit_figures(filled.pk, [], on) == ({}, {})


def test_program_page_lineups_from_the_units_paths_are_the_lineup_statuses(world):
    """The program page judges its streets' lineups from the paths read with its units (lineup_statuses_of):
    the verdicts lineup_statuses gives reading the organizations itself, with or without the program's rule."""
    from league.lineups import ensure_reference_data, lineup_statuses, lineup_statuses_of
    from league.models import LineupRule, Organization
    from tests.factories import TermFactory, full_lineup

    ensure_reference_data()  # the default rules (a transactional test elsewhere may have flushed them)
    full_lineup(TermFactory(organization=world.zhonghe, number=1), deputies=4, members=6, outside_deputies=2)
    paths = {o.pk: o.path for o in (world.zhonghe, world.shounan)}
    on = dt.date.today()
    for rule in (None, LineupRule.objects.first()):
        by_query = lineup_statuses(Organization.objects.filter(pk__in=paths), on=on, rule=rule)
        by_paths = lineup_statuses_of(paths, on=on, rule=rule)
        assert set(by_paths) == set(paths)
        for org_id, status in by_query.items():
            mine = by_paths[org_id]
            assert (mine.complete, [b.code for b in mine.breaches], mine.term, mine.rule) == (
                status.complete, [b.code for b in status.breaches], status.term, status.rule)  # fmt: skip
        assert by_paths[world.shounan.pk].breaches[0].code == "no_term" and by_paths[world.zhonghe.pk].term
