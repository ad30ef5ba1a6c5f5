"""The lineup statistics and the terms-ending list — benchmarked list pages (tests/perf/run.py) — at a pinned
number of queries per persona, counting the session, the user, the memberships and the menu's unread-notice
count (4)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from league.models import Kind, Level
from tests.factories import OrganizationFactory, TermFactory, full_lineup

# (persona, URL): queries once the verdicts are kept.
PINNED = {
    ("county", "/lineups/expiring/"): 5,  # the page's rows with their number (one query), 4 for every page
    ("province", "/lineups/expiring/"): 5,
    ("province", "/lineups/expiring/?page=1"): 5,
    # The scope's root, the kept verdicts and the committees' count, the group names, the page's committees
    # (paths and names in one query), their terms, rules and seats, the "go down to" links: 9, 4 for every page.
    ("county", "/lineups/stats/"): 14,  # and its ancestors for the path
    ("province", "/lineups/stats/"): 13,
    ("province", "/lineups/stats/?status=incomplete"): 13,
}


def _terms_ending(world, n):
    soon = timezone.localdate() + dt.timedelta(days=30)
    for i in range(n):
        street = OrganizationFactory(parent=world.county, level=Level.STREET, kind=Kind.WORKING_COMMITTEE,
                                     code=f"LQ-{i}")  # fmt: skip
        full_lineup(TermFactory(organization=street, number=1, end=soon), deputies=3, members=6)


@pytest.mark.parametrize("persona, url", list(PINNED))
def test_lineup_lists_at_pinned_query_counts(world, client_for, lineup_rules, persona, url):
    _terms_ending(world, 3)
    client = client_for(persona)
    client.get(url)  # lineup verdicts are kept on first sight (league.lineup_snapshots)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    assert len(ctx.captured_queries) == PINNED[persona, url], [q["sql"][:120] for q in ctx.captured_queries]


def test_terms_ending_pages_show_every_term_once(world, client_for, lineup_rules, settings):
    settings.PAGE_SIZE = 2
    _terms_ending(world, 5)
    client = client_for("county")
    names, number = [], 1
    while True:
        page = client.get(f"/lineups/expiring/?page={number}").context["page"]
        assert page.number == number and page.paginator.count == 5 and page.paginator.num_pages == 3
        names += [t.organization.name for t in page]
        if not page.has_next():
            break
        number += 1
    assert len(names) == 5 and len(set(names)) == 5
    past_end = client.get("/lineups/expiring/?page=9").context[
        "page"
    ]  # the last page, as the paginator gives
    assert past_end.number == 3 and [t.organization.name for t in past_end] == names[4:]
