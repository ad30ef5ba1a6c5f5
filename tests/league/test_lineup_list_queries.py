"""The lineup statistics and the terms-ending list — benchmarked list pages (tests/perf/run.py) — at a pinned
number of queries per persona, counting the session, the user, the memberships and the menu's unread-notice
count (4)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from league.lineups import completion_stats
from league.models import Kind, Level, Organization
from tests.factories import OrganizationFactory, TermFactory, full_lineup

# (persona, URL): queries once the verdicts are kept.
PINNED = {
    ("county", "/lineups/expiring/"): 5,  # the page's rows with their number (one query), 4 for every page
    ("province", "/lineups/expiring/"): 5,
    ("province", "/lineups/expiring/?page=1"): 5,
    # The root's kept summary (one query: league.lineup_snapshots.LineupSummary), the group names, the page's
    # committees (ids, paths and names in one query), their terms, rules and seats, the "go down to" links: 7, 4
    # for every page. A staff member's root is their own organization (the memberships read it) and its
    # ancestors are out of their sight (not read).
    ("county", "/lineups/stats/"): 11,
    ("province", "/lineups/stats/"): 11,
    # The incomplete committees here have no term: their seats are not asked for.
    ("province", "/lineups/stats/?status=incomplete"): 10,
    ("province", "/lineups/stats/?status=complete&page=2"): 11,
    ("admin", "/lineups/stats/"): 12,  # the national roots (the first one's figures)
    # A county by its id, with its ancestors (an admin sees them) for the path.
    ("admin", "/lineups/stats/?org={county}"): 13,
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
    path = url.format(county=world.county.pk)
    client.get(path)  # lineup verdicts are kept on first sight (league.lineup_snapshots)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    assert len(ctx.captured_queries) == PINNED[persona, url], [q["sql"][:120] for q in ctx.captured_queries]


@pytest.mark.parametrize("status", ["", "complete", "incomplete"])
def test_statistics_pages_list_every_committee_once_in_tree_order(world, client_for, lineup_rules, settings,
                                                                  status):  # fmt: skip
    """The committees' list is read a page at a time (league.lineup_snapshots.KeptUnits): together the pages
    give the committees that evaluating each one gives, in tree order, with their verdicts."""
    settings.PAGE_SIZE = 2
    _terms_ending(world, 3)
    full_lineup(TermFactory(organization=world.zhonghe, number=1), deputies=2, members=6)  # incomplete
    live = completion_stats(world.province.subtree())
    expected = [org.pk for org in Organization.objects.filter(level=Level.STREET).order_by("path")
                if not status or live.statuses[org.pk].complete == (status == "complete")]  # fmt: skip
    assert len(expected) > 2  # more than one page
    client = client_for("province")
    listed, number = [], 1
    while True:
        page = client.get(f"/lineups/stats/?status={status}&page={number}").context["page"]
        assert page.paginator.count == len(expected) and page.number == number
        for name, verdict, url in page:
            assert (
                url == f"/orgs/{verdict.organization_id}/lineup/"
                and verdict == live.statuses[verdict.organization_id]
            )
            assert name == Organization.objects.get(pk=verdict.organization_id).name
            listed.append(verdict.organization_id)
        if not page.has_next():
            break
        number += 1
    assert listed == expected


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
