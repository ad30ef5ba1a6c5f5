"""{% pagination page %} writes what `{% include "_pagination.html" with page=page %}` wrote: first, middle, last
and only pages, a capped count ("11+"), the request's other parameters kept (escaped, repeated, unicode), in both
languages."""

import pytest
from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from league.pagination import CappedPaginator

INCLUDE = Template('{% include "_pagination.html" with page=page %}')
TAG = Template("{% load league_rows %}{% pagination page %}")
QUERIES = ["", "?page=2", "?q=街道&page=3", "?q=a%26b%3Cc%3E&level=street&page=x", "?kind=a&kind=b&page=2",
           "?q=%E2%80%94+x/y&domain="]  # fmt: skip


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_tag_is_the_includes_bytes(language):
    rows = list(range(23))
    pages = [Paginator(rows, 5).get_page(n) for n in (1, 2, 5, 9)] + [Paginator(rows, 50).get_page(1)]
    pages += [Paginator([], 5).get_page(1)]
    capped = CappedPaginator(list(range(200)), 5, page="2", ahead=3)
    pages += [capped.get_page("2"), capped.get_page("5")]
    shown = set()
    with translation.override(language):
        for query in QUERIES:
            request = RequestFactory().get("/orgs/" + query)
            for page in pages:
                context = {"page": page, "request": request}
                old = INCLUDE.render(Context(context))
                assert TAG.render(Context(context)) == old, (query, page)
                shown.add(old)
    assert any("5+" in html for html in shown)  # the capped count: 25 rows read, more beyond
    assert any("q=%E8%A1%97%E9%81%93&amp;page=" in html for html in shown)
    assert any("q=a%26b%3Cc%3E&amp;level=street&amp;page=" in html for html in shown)
    assert "\n" in shown  # a single page: the include's newline alone
