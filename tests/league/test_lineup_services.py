"""Writing lineups: impossible data is refused with a message naming the field, and nothing is stored."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from league import services
from league.models import EndReason, Notice, Seat, SeatRole, Term
from tests.factories import PersonFactory, SeatFactory, TermFactory

D = dt.date(2024, 1, 1)


@pytest.fixture
def term(world, lineup_rules):
    return TermFactory(organization=world.zhonghe, number=1, start=D, end=dt.date(2029, 1, 1))


@pytest.fixture
def person(world):
    return PersonFactory(organization=world.zhonghe, name="王青")


def fill(world, term, person, role=SeatRole.DEPUTY, start=D, who="county", **kw):
    return services.seat_fill(by=world.users[who], term=term, person=person, role=role, start=start, **kw)


def test_fill_and_vacate_leave_an_attributed_history(world, term, person):
    seat = fill(world, term, person)
    services.seat_vacate(
        by=world.users["street"], seat=seat, on=dt.date(2024, 5, 1), reason=EndReason.RESIGNED
    )
    seat.refresh_from_db()
    assert seat.end == dt.date(2024, 5, 1)
    history = list(seat.history.order_by("history_date"))
    assert [h.history_user.username for h in history] == ["county", "street"]


def test_a_person_cannot_hold_two_seats_of_the_same_term(world, term, person):
    fill(world, term, person)
    with pytest.raises(ValidationError) as exc:
        fill(world, term, person, role=SeatRole.MEMBER)
    assert "person" in exc.value.message_dict
    assert Seat.objects.count() == 1


def test_a_second_secretary_is_refused(world, term, person):
    fill(world, term, person, role=SeatRole.SECRETARY)
    with pytest.raises(ValidationError) as exc:
        fill(world, term, PersonFactory(organization=world.zhonghe), role=SeatRole.SECRETARY)
    assert "王青" in exc.value.message_dict["role"][0]
    assert Seat.objects.filter(role=SeatRole.SECRETARY).count() == 1


def test_the_database_refuses_a_second_secretary_too(world, term):
    SeatFactory(term=term, role=SeatRole.SECRETARY)
    with pytest.raises(IntegrityError), transaction.atomic():
        SeatFactory(term=term, role=SeatRole.SECRETARY)


def test_a_seat_cannot_end_before_it_starts(world, term, person):
    seat = fill(world, term, person, start=dt.date(2024, 3, 1))
    with pytest.raises(ValidationError) as exc:
        services.seat_vacate(by=world.users["county"], seat=seat, on=dt.date(2024, 2, 1))
    assert "end" in exc.value.message_dict
    seat.refresh_from_db()
    assert seat.end is None
    with pytest.raises(ValidationError) as exc:
        fill(
            world,
            term,
            PersonFactory(organization=world.zhonghe),
            start=dt.date(2024, 3, 1),
            end=dt.date(2024, 2, 1),
        )
    assert "end" in exc.value.message_dict


def test_the_database_refuses_a_seat_ending_before_it_starts(term):
    with pytest.raises(IntegrityError), transaction.atomic():
        SeatFactory(term=term, start=dt.date(2024, 3, 1), end=dt.date(2024, 2, 1))


def test_a_seat_must_start_within_its_term(world, term, person):
    with pytest.raises(ValidationError) as exc:
        fill(world, term, person, start=dt.date(2030, 1, 1))
    assert "start" in exc.value.message_dict


def test_terms_of_one_committee_cannot_overlap(world, term):
    with pytest.raises(ValidationError) as exc:
        services.term_create(by=world.users["county"], organization=world.zhonghe, number=2,
                             start=dt.date(2028, 6, 1), end=dt.date(2033, 6, 1))  # fmt: skip
    assert "start" in exc.value.message_dict
    services.term_create(by=world.users["county"], organization=world.zhonghe, number=2,
                         start=dt.date(2029, 1, 1), end=dt.date(2034, 1, 1))  # fmt: skip
    assert Term.objects.filter(organization=world.zhonghe).count() == 2


def test_a_term_must_end_after_it_starts(world):
    with pytest.raises(ValidationError) as exc:
        services.term_create(by=world.users["county"], organization=world.shounan, number=1,
                             start=dt.date(2024, 6, 1), end=dt.date(2024, 1, 1))  # fmt: skip
    assert "end" in exc.value.message_dict
    assert not Term.objects.filter(organization=world.shounan).exists()


def test_only_those_who_keep_the_lineup_may_fill_it(world, term, person):
    for who in ["street_sibling", "instructor", "other_county", "outsider"]:
        with pytest.raises(PermissionDenied):
            fill(world, term, person, who=who)
    assert fill(world, term, person, who="street").pk


@pytest.mark.django_db(transaction=True)
def test_a_vacant_secretary_seat_notifies_the_county_staff_at_once(world, term, person):
    seat = fill(world, term, person, role=SeatRole.SECRETARY)
    services.seat_vacate(by=world.users["street"], seat=seat, on=dt.date(2024, 5, 1))
    notice = Notice.objects.get(kind="secretary_vacant")
    assert notice.recipient == world.users["county"]
    assert "鄞州区中河街道团工委" in notice.title and notice.url == f"/orgs/{world.zhonghe.pk}/lineup/"


def test_seats_fill_is_all_or_nothing(world, term):
    a, b = PersonFactory(organization=world.zhonghe), PersonFactory(organization=world.zhonghe, name="李二")
    entries = [services.SeatEntry(person=a, role=SeatRole.SECRETARY, start=D),
               services.SeatEntry(person=b, role=SeatRole.SECRETARY, start=D)]  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.seats_fill(by=world.users["county"], term=term, entries=entries)
    assert "Entry 2 (李二)" in exc.value.messages[0] or "第2" in exc.value.messages[0]
    assert not Seat.objects.exists()
