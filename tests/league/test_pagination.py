"""The capped paginator counts a few pages past the one asked for, never the whole table."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from league.models import Organization
from league.pagination import CappedPaginator, counted_page, first_page_or_paginate
from tests.factories import OrganizationFactory


def test_counts_only_a_window_past_the_page_asked_for(db):
    for i in range(30):
        OrganizationFactory(code=f"PG-{i:02d}")
    orgs = Organization.objects.filter(code__startswith="PG-").order_by("code")

    first = CappedPaginator(orgs, 2, page=1, ahead=3)
    with CaptureQueriesContext(connection) as ctx:
        page = first.get_page(1)
    assert "LIMIT 9" in ctx.captured_queries[0]["sql"]  # (1 + 3) pages of 2, and one more row to know
    assert (first.count, first.num_pages, first.num_pages_label) == (8, 4, "4+")
    assert page.has_next() and [o.code for o in page] == ["PG-00", "PG-01"]

    far = CappedPaginator(orgs, 2, page=13, ahead=3)
    page = far.get_page(13)
    assert (far.count, far.num_pages_label) == (30, "15")  # the window reaches the end: the exact count
    assert [o.code for o in page] == ["PG-24", "PG-25"]

    assert CappedPaginator(orgs, 2, page="x").get_page("x").number == 1
    assert CappedPaginator([1, 2, 3], 2, page=1, ahead=0).num_pages_label == "1+"


def test_tree_search_says_more_than_when_capped(client_for, world, monkeypatch):
    from league import pagination

    for i in range(3):
        OrganizationFactory(code=f"SR-{i}", name=f"搜索街道{i}", parent=world.county)
    monkeypatch.setattr(pagination, "PAGES_AHEAD", 0)
    monkeypatch.setattr("django.conf.settings.PAGE_SIZE", 2)
    page = client_for("admin").get("/orgs/?q=搜索街道").context["page"]
    assert page.paginator.capped and page.paginator.num_pages_label == "1+"
    assert [o.name for o in page] == ["搜索街道0", "搜索街道1"]


def _shown(page):
    return (
        [o.code for o in page],
        page.number,
        page.paginator.count,
        page.paginator.num_pages,
        page.has_next(),
    )


def test_first_page_of_a_short_list_is_one_query_and_the_same_page(db, django_assert_num_queries):
    for i in range(5):
        OrganizationFactory(code=f"FP-{i:02d}")
    orgs = Organization.objects.filter(code__startswith="FP-").order_by("code")
    for per_page in (5, 9):  # exactly one page, less than one
        for number in (None, "1"):
            with django_assert_num_queries(1):
                page = first_page_or_paginate(orgs, per_page, number)
                shown = _shown(page)
            assert shown == _shown(Paginator(orgs, per_page).get_page(number))
    assert _shown(first_page_or_paginate(orgs.filter(code="none"), 5, None)) == ([], 1, 0, 1, False)


def test_first_page_of_a_long_list_and_other_pages_are_the_paginators(db, django_assert_num_queries):
    for i in range(7):
        OrganizationFactory(code=f"FP-{i:02d}")
    orgs = Organization.objects.filter(code__startswith="FP-").order_by("code")
    with django_assert_num_queries(2):  # the rows, and the count (never more than before)
        page = first_page_or_paginate(orgs, 3, "1")
        shown = _shown(page)
    assert shown == (["FP-00", "FP-01", "FP-02"], 1, 7, 3, True)
    for number in ("2", "3", "9", "x", "0", "-1"):
        assert _shown(first_page_or_paginate(orgs, 3, number)) == _shown(Paginator(orgs, 3).get_page(number))
    orgs.filter(code="FP-06").delete()
    assert _shown(first_page_or_paginate(orgs, 3, None))[2] == 6  # counted live


@pytest.mark.parametrize("rows", [0, 3, 7, 9])
def test_counted_page_is_the_paginators_page_in_one_query(db, django_assert_num_queries, rows):
    for i in range(rows):
        OrganizationFactory(code=f"CP-{i:02d}")
    orgs = Organization.objects.filter(code__startswith="CP-").order_by("code")
    for number in (None, "1", "2", "3", "4", "9", "x", "2.0", "0", "-1", 2):
        expected = _shown(Paginator(orgs, 3).get_page(number))
        try:
            asked = int(number)
        except (TypeError, ValueError):
            asked = 1  # read as the first page
        # Out of range: below 1, the count and the last page (none to read of an empty list); past the end,
        # the empty try first.
        queries = 1 if 1 <= asked <= max(1, -(-rows // 3)) else (2 if asked < 1 else 3) - (rows == 0)
        with django_assert_num_queries(queries):
            shown = _shown(counted_page(orgs, 3, number))
        assert shown == expected, (rows, number)


def test_counted_page_counts_live(db):
    for i in range(4):
        OrganizationFactory(code=f"CL-{i:02d}")
    orgs = Organization.objects.filter(code__startswith="CL-").order_by("code")
    assert _shown(counted_page(orgs, 3, "2")) == (["CL-03"], 2, 4, 2, False)
    OrganizationFactory(code="CL-04")
    assert _shown(counted_page(orgs, 3, "2")) == (["CL-03", "CL-04"], 2, 5, 2, False)
