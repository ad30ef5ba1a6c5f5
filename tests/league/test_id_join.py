"""league.models.id_join_sql: a table joined to the organizations of a subtree by id is not merge-joined on
PostgreSQL, whose merge join walked the organizations' primary key from the first id to the subtree's (the
home's elections and theme days, the organization page's theme days and funding figures of the last of 30
provinces: 70 ms each, against none for the first)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from elections import panels
from elections.models import Election
from grassroots.models import ThemeDay, YouthFunding
from grassroots.rollups import organization_figures, theme_day_rates
from league.models import Kind, Level, Organization, id_join_sql, path_segment, subtree_sql
from tests.factories import OrganizationFactory

MONTH = dt.date(2026, 3, 1)


def test_a_plain_equality_but_on_postgresql():
    if connection.vendor == "postgresql":
        assert (
            id_join_sql("o.id", "t.organization_id")
            == "o.id = t.organization_id + 0 AND o.id + 0 = t.organization_id"
        )
    else:
        assert id_join_sql("o.id", "t.organization_id") == "o.id = t.organization_id"


@pytest.fixture
def late(world):
    """The national dataset's shape: the few elections, theme days and funding figures belong to the first
    organizations (the test world's), and a province created after 3,000 others has 1,000 units under it."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner")
    first = Organization.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1

    def filler(parent, start, n):
        return [
            Organization(pk=pk, code=f"F-{pk}", name=f"单位{pk}", level=Level.GRASSROOTS, kind=Kind.BRANCH,
                         parent=parent, path=parent.path + path_segment(pk), depth=parent.depth + 1)
            for pk in range(start, start + n)
        ]  # fmt: skip

    Organization.objects.bulk_create(filler(world.county, first, 3000))
    with connection.cursor() as cursor:  # the identity continues after the ids given
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('league_organization', 'id'), %s)", [first + 3000]
        )
    province = OrganizationFactory(code="LATE", name="团后省委", level=Level.PROVINCE, kind=Kind.COMMITTEE)
    Organization.objects.bulk_create(filler(province, province.pk + 1, 1000))
    for organization in (world.zhonghe_branch, world.zhonghe, world.shounan, world.county, world.zhuangqiao):
        Election.objects.create(organization=organization, title="换届")
        ThemeDay.objects.create(
            organization=organization, month=MONTH, held_on=MONTH, members_present=5, members_total=8
        )
        YouthFunding.objects.create(
            organization=organization, year=MONTH.year, amount_yuan=100, youth_population=50
        )
    with connection.cursor() as cursor:
        for model in (Organization, Election, ThemeDay, YouthFunding):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    return province


def _plan(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _statement(call):
    with CaptureQueriesContext(connection) as ctx:
        call()
    (query,) = ctx.captured_queries
    return query["sql"]


def test_the_home_elections_of_a_late_province_are_not_merge_joined(late):
    within, params = subtree_sql('o."path"', late.path)
    sql = panels._home_elections_sql().format(scope=f" WHERE {within}")
    assert "Merge Join" not in _plan(sql, [*params, 5])
    plain = sql.replace(id_join_sql('o."id"', 'e."organization_id"'), 'o."id" = e."organization_id"')
    assert plain != sql and "Merge Join" in _plan(plain, [*params, 5])  # what the fixture reproduces


@pytest.mark.parametrize("figures", ["theme days", "organization page"])
def test_the_theme_days_and_funding_of_a_late_province_are_not_merge_joined(late, figures):
    call = (lambda: theme_day_rates([late], MONTH)) if figures == "theme days" else (
        lambda: organization_figures(late, MONTH))  # fmt: skip
    sql = _statement(call)
    assert "Merge Join" not in _plan(sql)
    plain = sql.replace(id_join_sql("o.id", "t.organization_id"), "t.organization_id = o.id")
    plain = plain.replace(id_join_sql("o.id", "f.organization_id"), "f.organization_id = o.id")
    assert plain != sql and "Merge Join" in _plan(plain)  # what the fixture reproduces
