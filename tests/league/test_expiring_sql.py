"""The terms-ending-soon list read as SQL written once (league.expiring) is the ORM's
`policies.scoped(Term.objects.expiring(on, months=6), user)` by end and committee name (then term), page by page
with its number, for every persona's scope (a subtree, an instructor's single units, everything, nothing)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from league import policies
from league.expiring import expiring_terms
from league.models import Term
from league.pagination import counted_page, counted_sql_page
from tests.conftest import PERSONAS
from tests.factories import TermFactory
from tests.pilots.factories import assign_instructor

ON = dt.date(2026, 12, 6)


@pytest.fixture
def terms(world):
    """Current terms ending before ON (overdue), within six months, later; superseded and future ones; two
    committees ending the same day. The instructor is assigned a unit of 中河 (a single organization in scope)."""
    assign_instructor(world)
    for organization, number, start, end in [
        (world.zhonghe, 1, dt.date(2018, 1, 1), dt.date(2021, 1, 1)),  # superseded by term 2
        (world.zhonghe, 2, dt.date(2021, 1, 1), dt.date(2026, 11, 30)),  # overdue
        (world.zhonghe, 3, dt.date(2027, 1, 1), dt.date(2032, 1, 1)),  # starts after ON: not current yet
        (world.shounan, 1, dt.date(2022, 3, 1), dt.date(2027, 3, 1)),  # due
        (world.zhuangqiao, 1, dt.date(2022, 3, 1), dt.date(2027, 3, 1)),  # due, the same day
        (world.county, 1, dt.date(2023, 1, 1), dt.date(2027, 6, 7)),  # the last day of six months
        (world.city, 1, dt.date(2023, 1, 1), dt.date(2027, 6, 8)),  # a day too late
        (world.zhonghe_branch, 1, dt.date(2020, 1, 1), dt.date(2025, 1, 1)),  # overdue, a single unit's
        (world.province, 1, dt.date(2024, 1, 1), dt.date(2026, 12, 6)),  # ends on ON
    ]:
        TermFactory(organization=organization, number=number, start=start, end=end)


def _shown(page):
    rows = [
        (t.pk, t.organization_id, t.organization.name, t.number, t.start, t.end) for t in page.object_list
    ]
    return rows, page.number, page.paginator.count, page.paginator.num_pages, page.has_next()


@pytest.mark.parametrize("persona", PERSONAS)
def test_pages_are_the_orms_for_every_scope(world, terms, persona):
    user = world.users[persona]
    orm = policies.scoped(Term.objects.expiring(ON, months=6), user).select_related("organization")
    orm = orm.only("number", "start", "end", "organization__name").order_by("end", "organization__name", "id")
    for on in (ON, dt.date(2021, 6, 1)):
        if on != ON:
            orm = policies.scoped(Term.objects.expiring(on, months=6), user).select_related("organization")
            orm = orm.order_by("end", "organization__name", "id")
        for per_page in (2, 50):
            for number in (None, "1", "2", "3", "4", "99", "0", "-1", "x"):
                new = counted_sql_page(expiring_terms(user, on, months=6), per_page, number)
                assert _shown(new) == _shown(counted_page(orm, per_page, number)), (on, per_page, number)


def test_the_scopes_rows(world, terms):
    def names(persona):
        page = counted_sql_page(expiring_terms(world.users[persona], ON), 50, None)
        return [(t.organization.name, t.number) for t in page]

    everything = names("admin")
    assert len(everything) == 6 and ("鄞州区中河街道团工委", 2) in everything
    assert everything[0] == ("中河街道划船社区团支部", 1)  # overdue first, by end
    assert names("county") == [("中河街道划船社区团支部", 1), ("鄞州区中河街道团工委", 2),
                               ("鄞州区首南街道团工委", 1), ("团鄞州区委", 1)]  # fmt: skip
    assert names("instructor") == [("鄞州区中河街道团工委", 2)]  # the assigned unit alone
    assert names("outsider") == []


def test_a_page_with_rows_is_one_query(world, terms):
    user = world.users["province"]
    policies.scope_split(user)  # the memberships, read once per request by every page
    with CaptureQueriesContext(connection) as ctx:
        page = counted_sql_page(expiring_terms(user, ON), 2, "2")
        assert page.paginator.count == 6 and len(page.object_list) == 2 and page.has_next()
    assert len(ctx.captured_queries) == 1
