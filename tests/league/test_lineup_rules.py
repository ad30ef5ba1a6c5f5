"""The lineup rules: complete or not, which rule is broken and why, vacancies since when."""

import datetime as dt

import pytest

from league import services
from league.lineups import lineup_statuses
from league.models import Establishment, LineupRule, Organization, SeatRole
from tests.factories import SeatFactory, TermFactory, full_lineup

D = dt.date(2024, 6, 1)


@pytest.fixture
def term(world, lineup_rules):
    return TermFactory(
        organization=world.zhonghe, number=1, start=dt.date(2024, 1, 1), end=dt.date(2029, 1, 1)
    )


def codes(status):
    return {b.code for b in status.breaches}


def test_default_rules_exist(lineup_rules):
    default = LineupRule.objects.get(is_default=True)
    assert default.name == "1+3+X" and default.deputies_min == 3 and default.size_min == 9
    assert LineupRule.objects.get(name="1+2+N").deputies_min == 2


def test_zhonghe_1_plus_4_plus_6_is_complete(term):
    full_lineup(term, deputies=4, members=6, outside_deputies=2)
    status = term.status(D)
    assert status.complete, status.breaches
    assert status.counts.total == 11 and status.vacancies == []


@pytest.mark.parametrize(
    "kwargs, code",
    [
        ({"deputies": 2, "members": 7}, "deputies_too_few"),
        ({"deputies": 3, "members": 6, "outside_deputies": 0}, "deputies_outside_too_few"),
        ({"deputies": 3, "members": 6, "outside_deputies": 3}, "deputies_inside_too_few"),
        ({"deputies": 3, "members": 0}, "members_too_few"),
        ({"deputies": 3, "members": 4}, "size_too_small"),
        ({"deputies": 3, "members": 18}, "size_too_large"),
    ],
)
def test_each_rule_broken_is_named(term, kwargs, code):
    full_lineup(term, **kwargs)
    status = term.status(D)
    assert not status.complete
    assert code in codes(status)
    assert all(b.message for b in status.breaches)


def test_bounds_set_by_configuration(term):
    rule = LineupRule.objects.create(
        name="1+2–3+≤5", deputies_min=2, deputies_max=3, members_max=5, size_min=3
    )
    term.rule = rule
    term.save(update_fields=["rule"])
    full_lineup(term, deputies=4, members=6)
    assert codes(term.status(D)) == {"deputies_too_many", "members_too_many"}


def test_vacant_secretary_and_deputy_since_when(world, term):
    seats = full_lineup(term, deputies=3, members=6)
    secretary, deputy = seats[0], seats[2]
    services.seat_vacate(by=world.users["county"], seat=secretary, on=dt.date(2024, 3, 1))
    services.seat_vacate(by=world.users["county"], seat=deputy, on=dt.date(2024, 4, 10))
    status = term.status(D)
    assert codes(status) == {"secretary_missing", "deputies_too_few", "size_too_small"}
    vacancies = {v.role: v for v in status.vacancies}
    assert vacancies[SeatRole.SECRETARY].since == dt.date(2024, 3, 1)
    assert vacancies[SeatRole.SECRETARY].age_days(D) == 92
    assert vacancies[SeatRole.DEPUTY].since == dt.date(2024, 4, 10)
    # The lineup of a past date still holds them.
    assert term.status(dt.date(2024, 2, 1)).complete
    assert len(term.lineup(dt.date(2024, 2, 1))) == 10 and len(term.lineup(D)) == 8


def test_never_filled_seats_are_vacant_since_the_term_started(term):
    SeatFactory(term=term, role=SeatRole.SECRETARY, establishment=Establishment.INSIDE)
    status = term.status(D)
    deputies = [v for v in status.vacancies if v.role == SeatRole.DEPUTY]
    assert len(deputies) == 3 and {v.since for v in deputies} == {term.start}


def test_no_term_and_expired_term(world, term):
    statuses = lineup_statuses(Organization.objects.filter(pk__in=[world.zhonghe.pk, world.shounan.pk]), on=D)
    assert codes(statuses[world.shounan.pk]) == {"no_term"}
    full_lineup(term, deputies=3, members=6)
    assert "term_expired" in codes(term.status(dt.date(2029, 2, 1)))


def test_county_rule_applies_under_it_and_a_pilot_rule_overrides(world, term):
    full_lineup(term, deputies=2, members=8)
    assert "deputies_too_few" in codes(term.status(D))
    variant = LineupRule.objects.get(name="1+2+N")
    variant.organization = world.county
    variant.save(update_fields=["organization"])
    assert term.status(D).complete and term.status(D).rule == variant
    strict = LineupRule.objects.get(name="1+3+X")
    statuses = lineup_statuses(Organization.objects.filter(pk=world.zhonghe.pk), on=D, rule=strict)
    assert not statuses[world.zhonghe.pk].complete


def test_status_from_the_seats_read_by_the_lineup_page_equals_term_status(world, term, lineup_rules):
    """The lineup page works the verdict out from the seats it lists (league.lineups.term_status_of_seats):
    the same verdict as term_status, on dates before, during and after vacancies, and past the term."""
    from league.lineups import term_status_of_seats

    seats = full_lineup(term, deputies=3, members=6)
    services.seat_vacate(by=world.users["county"], seat=seats[0], on=dt.date(2024, 3, 1))
    services.seat_vacate(by=world.users["county"], seat=seats[2], on=dt.date(2024, 4, 10))
    services.seat_vacate(by=world.users["county"], seat=seats[3], on=dt.date(2024, 4, 10))

    def normal(status):  # ended dates in a fixed order (the verdict sorts them itself)
        ended = {role: sorted(dates) for role, dates in status.counts.ended.items()}
        return (status.rule, status.term, status.counts.total, status.counts.secretaries, status.counts.deputies,
                status.counts.members, status.counts.deputies_inside, status.counts.deputies_outside, ended, status.breaches, status.vacancies, status.by_establishment,
                status.by_employment, status.by_category)  # fmt: skip

    seen = set()
    for on in (dt.date(2023, 12, 1), dt.date(2024, 2, 1), dt.date(2024, 3, 1), D, dt.date(2029, 2, 1)):
        started = list(term.seats.filter(start__lte=on))
        fast = term_status_of_seats(term, started, on=on)
        assert normal(fast) == normal(term.status(on)), on
        seen.update(b.code for b in fast.breaches)
    assert {"secretary_missing", "deputies_too_few", "term_expired"} <= seen
