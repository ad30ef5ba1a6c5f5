"""The people list: its rows page as the ORM orders them, it counts a window of pages past the one asked for
(never every person in scope), and its rows are written as the template loop wrote them."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from league.models import Person
from tests.factories import PersonFactory, SeatFactory, TermFactory


def _names(body: str) -> list[str]:
    table = body[body.index('data-testid="people"') : body.index("</table>")]
    return re.findall(r'<td><a href="/people/\d+/">([^<]*)</a></td>', table)


def _label(body: str) -> str:
    return re.search(r'<span class="page-link">([^<]*)</span>', body).group(1)


@pytest.fixture
def people(world):
    term = TermFactory(organization=world.zhonghe, number=1, start=dt.date(2024, 1, 1))
    for i in range(7):
        person = PersonFactory(
            organization=world.zhonghe if i % 2 else world.shounan_branch, name=f"人{i % 4}"
        )
        if i % 3 == 0:
            SeatFactory(term=term, person=person)
        elif i % 3 == 1:  # a seat that ended
            SeatFactory(term=term, person=person, end=dt.date(2024, 6, 1))
    PersonFactory(organization=world.other_county_org, name="人外")  # outside the county's scope
    return world


@pytest.mark.parametrize("query", ["", "holds_seat=true", "holds_seat=false", "q=人1"])
def test_pages_show_the_rows_the_orm_orders(people, client_for, monkeypatch, query):
    from league.filters import PersonFilter

    monkeypatch.setattr("django.conf.settings.PAGE_SIZE", 2)
    data = dict(p.split("=") for p in query.split("&") if p)
    scoped = Person.objects.filter(organization__path__startswith=people.county.path).order_by("name", "id")
    expected = [p.name for p in PersonFilter(data or None, queryset=scoped).qs]
    assert "人外" not in expected and expected
    shown, number = [], 1
    while True:
        body = client_for("county").get(f"/people/?{query}&page={number}").content.decode()
        shown += _names(body)
        if f'page={number + 1}">' not in body:
            break
        number += 1
    assert shown == expected


def test_counts_ten_pages_ahead_at_most_and_says_so(people, client_for, monkeypatch):
    monkeypatch.setattr("django.conf.settings.PAGE_SIZE", 2)
    monkeypatch.setattr("league.pagination.PAGES_AHEAD", 1)
    client = client_for("county")
    client.get("/people/")
    with CaptureQueriesContext(connection) as ctx:
        body = client.get("/people/").content.decode()
    counts = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith("SELECT COUNT(*)") and "league_person" in q["sql"]
    ]
    assert len(counts) == 1 and "LIMIT 5" in counts[0]  # (1 + 1) pages of 2, and one row more to know
    assert "league_seat" not in counts[0]  # the count reads the rows, not what a row shows
    assert _label(body) in ("Page 1 of 2+", "第 1 页，共 2+ 页")
    assert _label(client.get("/people/?page=3").content.decode()) in ("Page 3 of 4", "第 3 页，共 4 页")


def test_query_count(people, client_for, django_assert_num_queries):
    client = client_for("county")
    client.get("/people/")
    # session, user, memberships, the window's count, the page, the bell's unread count
    with django_assert_num_queries(6):
        client.get("/people/")


def test_a_row_as_the_template_wrote_it(world, client_for):
    term = TermFactory(organization=world.zhonghe, number=1, start=dt.date(2024, 1, 1))
    born = timezone.localdate().replace(year=timezone.localdate().year - 20) - dt.timedelta(days=1)
    with_seat = PersonFactory(organization=world.zhonghe, name="<b>甲</b>", birth_date=born, employer="A & B",
                              youth_group="职工")  # fmt: skip
    SeatFactory(term=term, person=with_seat)
    SeatFactory(term=term, person=with_seat, end=dt.date(2024, 6, 1))  # ended: not a seat now
    no_birth = PersonFactory(organization=world.zhonghe, name="乙", birth_date=None, employer="")
    body = client_for("street").get("/people/").content.decode()
    assert (
        f'<tr><td><a href="/people/{with_seat.pk}/">&lt;b&gt;甲&lt;/b&gt;</a></td><td>20</td><td>A &amp; B</td>'
        f'<td>职工</td><td>鄞州区中河街道团工委</td><td class="text-end">1</td></tr>\n  '
    ) in body
    assert (
        f'<tr><td><a href="/people/{no_birth.pk}/">乙</a></td><td>—</td><td></td><td></td>'
        f'<td>鄞州区中河街道团工委</td><td class="text-end">0</td></tr>\n  '
    ) in body


def test_an_empty_list_says_none(world, client_for):
    body = client_for("street_sibling").get("/people/?q=无此人").content.decode()
    assert '<tbody><tr><td colspan="6" class="text-muted">' in body
