"""policies.scoped_by_owner (a row's organization read by its id, league.sqltext.owner_in_scope_sql) keeps the
rows of policies.scoped on the organization's path, for every persona, and the list pages that use it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from elections.models import Election
from league import policies
from league.sqltext import owner_in_scope_sql
from pilots.assessment.models import RatingRound
from tests.conftest import PERSONAS


@pytest.fixture
def owned(world):
    """An election and a rating round in organizations across the tree (each in and out of some scope)."""
    places = [world.province, world.city, world.county, world.zhonghe, world.zhonghe_branch, world.shounan,
              world.other_county_org, world.zhuangqiao]  # fmt: skip
    for i, organization in enumerate(places):
        Election.objects.create(organization=organization, title=f"e{i}")
        RatingRound.objects.create(county=organization, year=2020 + i)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", ["view", "manage", "export"])
@pytest.mark.parametrize(("model", "field"), [(Election, "organization"), (RatingRound, "county")])
def test_the_rows_are_those_of_the_path_condition(owned, world, persona, action, model, field):
    user = world.users[persona]
    by_path = policies.scoped(model.objects.all(), user, action, f"{field}__path")
    by_owner = policies.scoped_by_owner(model.objects.all(), user, action, field)
    expected = sorted(by_path.values_list("pk", flat=True))
    assert sorted(by_owner.values_list("pk", flat=True)) == expected
    assert by_owner.count() == len(expected)
    assert (
        persona != "province" or action != "view" or len(expected) == 8
    )  # the whole tree: not a test of nothing
    assert persona != "street" or action != "view" or 0 < len(expected) < 8


def test_an_empty_scope_runs_no_query(owned, world):
    """As the ORM's Q(pk__in=[]): no query for the rows (the scope itself read first)."""
    policies.scope_split(world.users["outsider"], "view")
    with CaptureQueriesContext(connection) as queries:
        assert list(policies.scoped_by_owner(Election.objects.all(), world.users["outsider"])) == []
    assert len(queries) == 0


def test_the_condition_reads_the_organization_by_id():
    """On PostgreSQL the id is compared as `= ANY(ARRAY[...])` (no merge or hash join over the organizations in
    id order); elsewhere with `=`; everywhere (None) is no condition."""
    sql, params = owner_in_scope_sql('e."organization_id"', (["0001.", "0002."], ["0003.0004."]))
    key = 'ANY(ARRAY[e."organization_id"])' if connection.vendor == "postgresql" else 'e."organization_id"'
    assert sql.startswith("EXISTS (SELECT 1 FROM ") and f'x."id" = {key} AND (' in sql
    assert params == ["0001.", "0001/", "0002.", "0002/", "0003.0004."]
    assert owner_in_scope_sql('e."organization_id"', None) == ("", [])


@pytest.mark.parametrize("persona", ["province", "county", "street", "other_county", "admin"])
def test_the_list_pages_show_the_scoped_rows(owned, world, client, persona):
    client.force_login(world.users[persona])
    user = world.users[persona]
    page = client.get("/elections/").content.decode()
    for e in Election.objects.all():
        seen = policies.scoped(Election.objects.filter(pk=e.pk), user, "view").exists()
        assert (f"/elections/{e.pk}/" in page) == seen, (persona, e.organization.code)


@pytest.mark.parametrize("place", ["province", "county", "zhonghe", "other_county_org"])
def test_owned_under_keeps_the_rows_of_the_path_filter(owned, world, place):
    """policies.owned_under (the elections list's ?org= filter) keeps the rows of <field>__path__startswith."""
    organization = getattr(world, place)
    for model, field in ((Election, "organization"), (RatingRound, "county")):
        by_path = model.objects.filter(**{f"{field}__path__startswith": organization.path})
        expected = sorted(by_path.values_list("pk", flat=True))
        owned = policies.owned_under(model.objects.all(), organization, field)
        got = sorted(owned.values_list("pk", flat=True))
        assert got == expected and expected, (place, model)


def test_the_election_list_filtered_to_an_organization(owned, world, client):
    """/elections/?org=<county> lists the elections in the county's subtree only."""
    client.force_login(world.users["province"])
    page = client.get(f"/elections/?org={world.county.pk}").content.decode()
    inside = set(Election.objects.filter(organization__path__startswith=world.county.path))
    assert inside and len(inside) < Election.objects.count()
    for e in Election.objects.all():
        assert (f"/elections/{e.pk}/" in page) == (e in inside), e.organization.code
