"""Completion statistics over a subtree: right figures, and a query count that does not grow with data."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from league.lineups import completion_stats
from league.models import Establishment, Kind, Level, SeatRole
from tests.factories import OrganizationFactory, TermFactory, full_lineup

D = dt.date(2024, 6, 1)


def add_streets(world, n, start=0):
    for i in range(start, start + n):
        street = OrganizationFactory(parent=world.county, level=Level.STREET, kind=Kind.WORKING_COMMITTEE,
                                     code=f"STAT-{i}")  # fmt: skip
        term = TermFactory(organization=street, number=1)
        full_lineup(term, deputies=3 if i % 2 else 2, members=6)  # odd: complete; even: a deputy short


def test_figures_for_the_county(world, lineup_rules):
    full_lineup(TermFactory(organization=world.zhonghe, number=1), deputies=4, members=6, outside_deputies=2)
    add_streets(world, 4)
    stats = completion_stats(world.county.subtree(), on=D, group_by=world.city)
    # 中河 complete, 首南 without a term, 4 new streets of which 2 complete.
    assert (stats.total.units, stats.total.complete, stats.total.rate) == (6, 3, 50.0)
    assert stats.total.vacant_seats[SeatRole.DEPUTY] == 2
    assert stats.total.by_establishment[Establishment.OUTSIDE] > 0
    assert stats.total.by_breach["no_term"] == 1
    assert [(g.organization.name, g.tally.units) for g in stats.groups] == [("团鄞州区委", 6)]
    assert stats.statuses[world.zhonghe.pk].complete


@pytest.mark.parametrize("root", ["province", "county"])
def test_query_count_does_not_grow_with_the_tree(world, lineup_rules, root):
    add_streets(world, 2)
    with CaptureQueriesContext(connection) as small:
        completion_stats(getattr(world, root).subtree(), on=D, group_by=getattr(world, root))
    add_streets(world, 30, start=2)
    with CaptureQueriesContext(connection) as large:
        stats = completion_stats(getattr(world, root).subtree(), on=D, group_by=getattr(world, root))
    assert stats.total.units == {"province": 35, "county": 34}[root]
    assert len(small.captured_queries) == len(large.captured_queries) <= 8
