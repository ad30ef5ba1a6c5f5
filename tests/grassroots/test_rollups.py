"""The grassroots pages and panels read a subtree at a constant number of queries, however much data."""

import datetime
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from grassroots import services
from tests.factories import OrganizationFactory
from tests.grassroots import factories as f

N = 0


def grow(world, n):
    """n more branches under each street, each with this month's theme day, plus every other record."""
    global N
    today = timezone.localdate()
    for street in (world.zhonghe, world.shounan):
        for _ in range(n):
            N += 1
            branch = OrganizationFactory(parent=street, code=f"GROW-{N}")
            f.theme_day(branch, present=N % 9, total=10, items=f.seven_items()[: N % 8])
            f.home(street, name=f"青年之家{N}")
            project = f.project(street, name=f"项目{N}")
            services.project_activity_record(
                by=None, project=project, held_on=today, title="服务", volunteers=3, served=9
            )
            f.gap(street, name=f"空白点{N}")
            f.officer(street, name=f"助力官{N}")
            f.measure(world.county, year=2000 + N % 20)
            services.lecture_record(
                by=None, organization=street, held_on=today, kind="forum", title=f"讲堂{N}", speaker="讲者",
                place="青年之家", audience=30,
            )  # fmt: skip
        f.funding(street, 1000 + n, 2000 + n, year=today.year)
    f.handover(world.zhonghe)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "page", ["grassroots", "grassroots_street", "theme_days", "index", "org_page", "home"]
)
def test_query_counts_do_not_grow_with_data(world, client_for, page):
    month = timezone.localdate().strftime("%Y-%m")
    urls = {
        "grassroots": f"/grassroots/orgs/{world.county.pk}/?month={month}",
        "grassroots_street": f"/grassroots/orgs/{world.zhonghe.pk}/",
        "theme_days": f"/grassroots/orgs/{world.county.pk}/theme-days/?month={month}",
        "index": "/grassroots/",
        "org_page": f"/orgs/{world.county.pk}/",
        "home": "/",
    }
    client = client_for("county")
    grow(world, 2)
    small = count_queries(client, urls[page])
    grow(world, 25)
    large = count_queries(client, urls[page])
    assert small == large, (page, small, large)
    # Pinned: a change that adds queries to these pages shows here.
    assert large <= {"grassroots": 35, "grassroots_street": 35, "theme_days": 11, "index": 8, "org_page": 20,
                     "home": 11}[page], (page, large)  # fmt: skip


def test_rollup_counts_each_street_and_the_county(world, client_for):
    grow(world, 3)
    body = client_for("county").get(f"/grassroots/orgs/{world.county.pk}/").content.decode()
    # 2 streets × 3 grown branches held it; the two original branches did not: 6 of 8.
    assert "75.0%" in body
    assert "鄞州区中河街道团工委" in body and "鄞州区首南街道团工委" in body


def test_previous_months_are_kept_apart(world):
    from grassroots import rollups

    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=15)
    f.theme_day(world.zhonghe_branch, held_on=last_month)
    assert rollups.theme_day_rate(world.county, last_month).held == 1
    assert rollups.theme_day_rate(world.county, timezone.localdate()).held == 0


def test_organization_figures_are_theme_day_rate_and_per_capita_funding(world, django_assert_num_queries):
    """The organization page's one-statement figures equal theme_day_rate and per_capita_funding, for every
    organization of the tree, this month (held, partly and fully; streets above and below the minimum) and
    a month without any record."""
    from grassroots import rollups
    from league.models import Organization

    grow(world, 3)
    f.theme_day(world.zhonghe_branch, present=4, total=9, items=f.seven_items())
    f.funding(world.zhonghe, 700, "1000.33")  # below 3 yuan a head, odd cents
    f.funding(world.shounan, 100, "999.99")  # above
    empty = timezone.localdate().replace(day=1) - datetime.timedelta(days=800)
    seen = Counter()
    for organization in Organization.objects.all():
        for month in (timezone.localdate(), empty):
            with django_assert_num_queries(1):
                rate, funding = rollups.organization_figures(organization, month)
            assert rate == rollups.theme_day_rate(organization, month), (organization, month)
            assert funding == rollups.per_capita_funding(organization, month.year), (organization, month)
            seen.update(
                held=rate.held, complete=rate.complete, below=funding.below_count, streets=funding.streets
            )
    assert all(seen[k] for k in ("held", "complete", "below", "streets")), seen


def test_theme_day_rate_matches_the_orm_figures(world):
    """theme_day_rate reads the branch count and the month's totals in one hand-written statement: the same
    figures as the ORM's branches_within(...).count() and aggregate over the subtree, nested branches (a
    general branch with a branch under it is no branch), other months and other subtrees included."""
    from django.db.models import Count, Q, Sum

    from grassroots import rollups
    from grassroots.models import ThemeDay

    month = timezone.localdate().replace(day=1)
    last_month = (month - datetime.timedelta(days=1)).replace(day=1)
    general = OrganizationFactory(parent=world.zhonghe, code="GEN-1")
    nested = OrganizationFactory(parent=general, code="GEN-1-1")
    f.theme_day(nested, present=3, total=7, items=f.seven_items()[:3])
    f.theme_day(world.zhonghe_branch, present=9, total=10)
    f.theme_day(world.shounan_branch, present=2, total=4, held_on=last_month)
    ThemeDay.objects.create(  # recorded on a general branch before it had one under it
        organization=general,
        month=month,
        held_on=month,
        members_present=1,
        members_total=5,
        all_items_done=True,
    )

    def orm(org, month):
        totals = (
            ThemeDay.objects.within(org)
            .for_month(month)
            .order_by()
            .aggregate(held=Count("id"), complete=Count("id", filter=Q(all_items_done=True)),
                       present=Sum("members_present"), total=Sum("members_total"))
        )  # fmt: skip
        return (rollups.branches_within(org).count(), totals["held"] or 0, totals["complete"] or 0,
                totals["present"] or 0, totals["total"] or 0)  # fmt: skip

    seen = set()
    for org in (
        world.province,
        world.county,
        world.zhonghe,
        general,
        nested,
        world.shounan,
        world.zhuangqiao,
    ):
        for m in (month, last_month):
            rate = rollups.theme_day_rate(org, m)
            figures = (rate.branches, rate.held, rate.complete, rate.present, rate.total)
            assert figures == orm(org, m), (org, m)
            seen.add(figures)
    assert (3, 3, 2, 13, 22) in seen  # the county this month: nested, zhonghe_branch, shounan_branch; 3 held
    with CaptureQueriesContext(connection) as ctx:
        rollups.theme_day_rate(world.county, month)
    assert len(ctx.captured_queries) == 1


def test_theme_day_rates_are_each_organizations_theme_day_rate_in_one_query(world, django_assert_num_queries):
    """The home panel's rates of several organizations (an admin's roots) in one statement: each equals its own
    theme_day_rate, in the order given, this month and a month without any record."""
    from grassroots import rollups

    grow(world, 3)
    f.theme_day(world.zhonghe_branch, present=4, total=9, items=f.seven_items())
    f.theme_day(world.shounan_branch, present=2, total=5)
    orgs = [world.zhonghe, world.province, world.shounan, world.zhuangqiao, world.county]
    for month in (timezone.localdate(), timezone.localdate().replace(day=1) - datetime.timedelta(days=800)):
        with django_assert_num_queries(1):
            rates = rollups.theme_day_rates(orgs, month)
        assert rates == [rollups.theme_day_rate(org, month) for org in orgs]
    assert [r.held for r in rates] == [0, 0, 0, 0, 0]
    this_month = rollups.theme_day_rates(orgs, timezone.localdate())
    assert len({r.held for r in this_month}) > 1  # different figures, so the order shows
    assert rollups.theme_day_rates(orgs[::-1], timezone.localdate()) == this_month[::-1]
    assert rollups.theme_day_rates([], timezone.localdate()) == []
