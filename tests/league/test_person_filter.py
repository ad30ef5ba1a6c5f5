"""The people list's "holds a seat now" filter: a seat held today (started, not yet ended); "no" is everyone
else, including people who never held a seat."""

import datetime as dt

import pytest

from league.filters import PersonFilter
from league.models import Person
from tests.factories import PersonFactory, SeatFactory, TermFactory


@pytest.fixture
def seated(world):
    today = dt.date.today()
    term = TermFactory(organization=world.zhonghe, number=1, start=today - dt.timedelta(days=400))
    people = {}
    for name in ("open", "ends_later", "ended", "never", "starts_later", "ended_and_open"):
        people[name] = PersonFactory(organization=world.zhonghe, name=name)
    SeatFactory(term=term, person=people["open"], start=today - dt.timedelta(days=30))
    SeatFactory(term=term, person=people["ends_later"], start=today - dt.timedelta(days=30),
                end=today + dt.timedelta(days=30))  # fmt: skip
    SeatFactory(term=term, person=people["ended"], start=today - dt.timedelta(days=300),
                end=today - dt.timedelta(days=1))  # fmt: skip
    SeatFactory(term=term, person=people["starts_later"], start=today + dt.timedelta(days=5))
    SeatFactory(term=term, person=people["ended_and_open"], start=today - dt.timedelta(days=300),
                end=today - dt.timedelta(days=100))  # fmt: skip
    SeatFactory(term=term, person=people["ended_and_open"], start=today - dt.timedelta(days=99))
    return people


def _names(value: str) -> list[str]:
    qs = PersonFilter({"holds_seat": value}, queryset=Person.objects.order_by("name")).qs
    return [p.name for p in qs]


def test_yes_is_a_seat_held_today_once_per_person(seated):
    assert _names("true") == ["ended_and_open", "ends_later", "open"]


def test_no_includes_people_who_never_held_a_seat(seated):
    assert _names("false") == ["ended", "never", "starts_later"]


def test_the_list_counts_the_seats_the_filter_means(seated, client_for):
    body = client_for("county").get("/people/?holds_seat=true").content.decode()
    rows = {name: body.split(f">{name}</a>")[1].split("</tr>")[0] for name in ("open", "ends_later")}
    assert all('<td class="text-end">1</td>' in row for row in rows.values()), rows
    assert ">starts_later</a>" not in body
    body = client_for("county").get("/people/?holds_seat=false").content.decode()
    assert '<td class="text-end">1</td>' not in body.split('data-testid="people"')[1].split("</table>")[0]
