"""The people list's page and count read as SQL written once (league.people_list) are the rows and counts of the
ORM queryset they replace, for every persona, each filter and bad input, later pages and an empty result; a text
with a case is left to the ORM, and a filter the SQL does not know is refused, not ignored."""

import datetime as dt
import re

import django_filters
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from league import people_list
from league.filters import PersonFilter
from league.models import Person, PoliticalStatus
from league.pagination import CappedPaginator
from league.views_lineups import _people_for, _people_with_seats
from tests.conftest import PERSONAS
from tests.factories import PersonFactory, SeatFactory, TermFactory
from tests.pilots.factories import assign_instructor

ASKED = [
    None,  # no filter (an unbound form)
    {},
    {"q": "人1"},
    {"q": " 中河 "},  # the employer's, stripped
    {"q": "_%"},  # LIKE's wildcards, as text
    {"q": "13800000001"},  # a phone number, equal
    {"q": "1380000000"},  # part of a phone number: no match
    {"q": "无此人"},  # nobody
    {"q": "   "},
    {"political_status": PoliticalStatus.MASSES},
    {"political_status": "bogus"},  # refused by the form: not a condition
    {"political_status": "null"},
    {"holds_seat": "true"},
    {"holds_seat": "false"},
    {"holds_seat": "maybe"},  # neither: no condition
    {"q": "人", "political_status": PoliticalStatus.LEAGUE_MEMBER, "holds_seat": "true"},
    {"q": "人", "holds_seat": "false", "page": "2"},
    {"q": "人\x00"},  # a null character: refused by the form
    {"extra": "ignored"},  # a parameter the form does not have
]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"|"X-CSRFToken": "[^"]*"')
PAGES = ((3, None), (3, "2"), (3, "3"), (3, "99"), (3, "abc"), (3, "-1"), (50, "1"), (2, "4"))


@pytest.fixture
def people(world):
    today = timezone.localdate()
    term = TermFactory(organization=world.zhonghe, number=1, start=today - dt.timedelta(days=400))
    later = TermFactory(organization=world.zhonghe, number=2, start=today - dt.timedelta(days=400))
    units = (world.zhonghe, world.zhonghe_branch, world.shounan, world.shounan_branch, world.zhuangqiao)
    statuses = list(PoliticalStatus.values)
    for i in range(23):
        person = PersonFactory(
            organization=units[i % len(units)],
            name=f"人{i % 6}" if i % 7 else f"人_%{i}",  # names shared (ties by id) and LIKE's wildcards
            employer=("中河商贸", "A & B", "")[i % 3],
            youth_group=("职工", "")[i % 2],
            phone=f"1380000000{i % 4}" if i % 4 else "",
            political_status=statuses[i % len(statuses)],
            birth_date=None if i % 5 == 0 else dt.date(1990 + i, 1 + i % 12, 1 + i % 28),
        )
        if i % 4 == 0:  # held now
            SeatFactory(term=term, person=person, start=today - dt.timedelta(days=30))
        if i % 4 == 1:  # ended
            SeatFactory(term=term, person=person, start=today - dt.timedelta(days=300), end=today)
        if i % 6 == 2:  # starts later
            SeatFactory(term=later, person=person, start=today + dt.timedelta(days=5))
        if i % 8 == 0:  # a second seat held now
            other = TermFactory(organization=world.zhonghe, number=100 + i, start=term.start)
            SeatFactory(term=other, person=person, start=today - dt.timedelta(days=10))
    assign_instructor(world)  # the instructor sees 中河 alone, not its branch
    return world


def _row(p):
    return (p.pk, p.name, p.birth_date, p.employer, p.youth_group, p.organization.name, p.current_seats)


def _page(rows, per_page, number):
    page = CappedPaginator(rows, per_page, page=number, ahead=1, count_rows=rows).get_page(number)
    return page, (page.number, page.paginator.count, page.paginator.num_pages_label, page.has_next())


def _orm(user, data, on):
    filters = PersonFilter(data, queryset=_people_for(user).order_by("name", "id"))
    return filters.qs, _people_with_seats(filters.qs, on)


def _sql(user, data, on):
    filters = PersonFilter(data, queryset=None)
    cleaned = {}
    if filters.is_bound:
        filters.errors  # noqa: B018
        cleaned = filters.form.cleaned_data
    return people_list.people(user, cleaned, on)


@pytest.mark.parametrize("persona", PERSONAS)
def test_pages_and_counts_are_the_orms(people, persona):
    user, on = people.users[persona], timezone.localdate()
    seen = set()
    for data in ASKED:
        found, orm = _orm(user, data, on)
        new = _sql(user, data, on)
        assert new is not None, data
        for per_page, number in PAGES:
            page, shape = _page(new, per_page, number)
            old_page, old_shape = _page(orm, per_page, number)
            assert [_row(p) for p in page] == [_row(p) for p in old_page], (data, per_page, number)
            assert shape == old_shape, (data, per_page, number)
            seen |= {_row(p) for p in page}
        if isinstance(new, list):  # nobody in scope
            assert persona == "outsider" and found.count() == 0
            continue
        total = found.count()
        assert new.count() == total and new.count_upto(4) == min(total, 4), data
    kept = Person.objects.filter
    expected = {"outsider": 0, "instructor": kept(organization=people.zhonghe).count(),  # 中河's alone
                "other_county": kept(organization=people.zhuangqiao).count()}  # fmt: skip
    assert len(seen) == expected.get(persona, len(seen)) and (persona == "outsider" or seen)
    assert any(r[6] == 2 for r in seen) or persona in ("outsider", "other_county", "street_sibling")


def test_seats_held_on_another_day_are_the_orms(people):
    user = people.users["county"]
    for on in (timezone.localdate() - dt.timedelta(days=100), timezone.localdate() + dt.timedelta(days=10)):
        _found, orm = _orm(user, None, on)
        new = _sql(user, None, on)
        assert [_row(p) for p in new[0:50]] == [_row(p) for p in orm[:50]]
        assert {_row(p)[6] for p in new[0:50]} != {0}


def test_a_text_with_a_case_is_left_to_the_orm(people, client_for):
    assert _sql(people.users["county"], {"q": "Ann"}, timezone.localdate()) is None
    PersonFactory(organization=people.zhonghe, name="ANNA", employer="x")
    PersonFactory(organization=people.zhonghe, name="人", employer="Joanne's")
    PersonFactory(organization=people.other_county_org, name="anne")  # outside the county
    body = client_for("county").get("/people/?q=ann").content.decode()
    assert ">ANNA</a>" in body and ">人</a>" in body and ">anne</a>" not in body


def test_nobody_in_scope_is_no_query(people):
    with CaptureQueriesContext(connection) as ctx:
        rows = _sql(people.users["outsider"], {"q": "人"}, timezone.localdate())
        page, shape = _page(rows, 50, None)
    assert list(page) == [] and shape == (1, 0, "1", False)
    assert [q["sql"] for q in ctx.captured_queries if "league_person" in q["sql"]] == []


def test_a_filter_the_sql_does_not_know_is_refused(people):
    class Wider(PersonFilter):
        gender = django_filters.CharFilter()

        class Meta(PersonFilter.Meta):
            fields = [*PersonFilter.Meta.fields, "gender"]

    filters = Wider({"gender": "f"}, queryset=None)
    filters.errors  # noqa: B018
    with pytest.raises(ImproperlyConfigured, match="gender"):
        people_list.people(people.users["county"], filters.form.cleaned_data, timezone.localdate())
    assert set(PersonFilter.base_filters) == set(people_list.FILTERS)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_page_is_the_orm_pages_byte_for_byte(people, client_for, monkeypatch, settings, language):
    """The page read through league.people_list is the page the ORM path writes (the path a text with a case
    still takes), for every persona, with filters, bad input and later pages (CSRF tokens aside)."""
    settings.PAGE_SIZE = 3
    queries = ["", "?page=2", "?page=abc", "?page=99", "?q=人1", "?q=无此人", "?political_status=bogus",
               "?holds_seat=true&page=2", "?holds_seat=false", "?q=人&political_status=masses", "?q=a%00b"]  # fmt: skip

    def pages():
        out = {}
        for persona in PERSONAS:
            client = client_for(persona)
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            for query in queries:
                response = client.get(f"/people/{query}")
                body = CSRF.sub("", response.content.decode())
                out[persona, query] = (response.status_code, body)
        return out

    new = pages()
    monkeypatch.setattr(people_list, "people", lambda *args: None)  # the ORM path, as for a text with a case
    old = pages()
    assert new == old
    assert sum(body.count('<tr><td><a href="/people/') for _, body in new.values()) > 50
