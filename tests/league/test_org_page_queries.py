"""The organization page and a committee's lineup page — steps of the month-end burst (tests/perf/run.py) —
at a pinned number of queries for each persona who opens them (a change that adds one shows here)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from league import services
from league.models import AssignmentKind, Region
from tests.factories import TermFactory, full_lineup

# (persona, organization of the world, lineup page or not): queries, counting the session, the user and the
# memberships (3) and the menu's unread-notice count (1). Staff see the platform users of the organization (+1).
# One's own organization is the one the memberships read (policies.get_organization): one query fewer.
PINNED = {
    ("street", "zhonghe", False): 11,
    ("county", "zhonghe", False): 13,
    ("county", "county", False): 12,
    ("province", "zhonghe", False): 13,
    ("street", "zhonghe", True): 10,
    ("county", "zhonghe", True): 11,
    ("county", "county", True): 6,  # no term: no seats, no rule, no recent changes asked for
}


@pytest.mark.parametrize("persona, org, lineup", list(PINNED))
def test_organization_and_lineup_pages_at_pinned_query_counts(
    world, client_for, lineup_rules, persona, org, lineup
):
    seats = full_lineup(TermFactory(organization=world.zhonghe, number=1, start=dt.date(2024, 1, 1)))
    services.seat_vacate(by=world.users["county"], seat=seats[1], on=dt.date(2024, 6, 1))
    region = Region.objects.create(organization=world.zhonghe, name="一片区")
    services.assignment_add(by=None, seat=seats[2], kind=AssignmentKind.REGION, region=region)
    services.assignment_add(by=None, seat=seats[3], kind=AssignmentKind.SECTOR, label="宣传")
    organization = getattr(world, org)
    url = f"/orgs/{organization.pk}/" + ("lineup/" if lineup else "")
    client = client_for(persona)
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    assert len(ctx.captured_queries) == PINNED[persona, org, lineup], [
        q["sql"][:90] for q in ctx.captured_queries
    ]
    if lineup and org == "zhonghe":  # the seats, their division of work and the verdict are on the page
        body = response.content.decode()
        assert "一片区" in body and "宣传" in body and 'data-testid="lineup-vacancies"' in body
