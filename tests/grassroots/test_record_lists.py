"""Lists of lectures, youth homes, service projects and youth officers over a subtree: filters, paging,
scope, pinned query counts, and the Excel/CSV export of the filtered rows through league.exports."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from grassroots import services
from tests.factories import OrganizationFactory
from tests.grassroots import factories as f

DAY = dt.date(2026, 5, 4)
LISTS = ["lectures", "homes", "projects", "officers"]


def lecture(org, title, kind="forum", held_on=DAY, audience=30):
    return services.lecture_record(by=None, organization=org, held_on=held_on, kind=kind, title=title,
                                   speaker="王老师", place="青年之家", audience=audience)  # fmt: skip


def grow(world, n, start=0):
    """n of every record under 中河 (half of them in a branch below it) and one under 首南."""
    for i in range(start, start + n):
        org = world.zhonghe if i % 2 else world.zhonghe_branch
        lecture(org, f"讲堂{i}", kind="master" if i % 3 == 0 else "forum")
        home = f.home(org, name=f"青年之家{i}")
        services.home_activity_record(by=None, home=home, held_on=DAY, title="读书会", participants=10)
        project = f.project(org, name=f"项目{i}")
        services.project_activity_record(by=None, project=project, held_on=DAY, title="服务", volunteers=3,
                                         served=7)  # fmt: skip
        officer = f.officer(org, name=f"助力官{i}")
        services.officer_assess(by=None, officer=officer, year=2025, grade="good", award_yuan=Decimal("500"))


@pytest.fixture
def records(world):
    grow(world, 4)
    lecture(world.shounan, "首南讲堂", kind="master")
    f.home(world.shounan, name="首南青年之家")
    f.project(world.shounan, name="首南项目")
    f.officer(world.shounan, name="首南助力官")
    return world


def rows(response):
    return response.content.decode().count('data-testid="list-row"')


@pytest.mark.parametrize("kind", LISTS)
def test_list_shows_the_subtree_to_its_staff_and_404_to_a_sibling(records, client_for, kind):
    url = f"/grassroots/orgs/{records.zhonghe.pk}/{kind}/"
    street = client_for("street").get(url)
    assert street.status_code == 200 and rows(street) == 4
    assert "首南" not in street.content.decode()
    assert rows(client_for("county").get(f"/grassroots/orgs/{records.county.pk}/{kind}/")) == 5
    assert client_for("street_sibling").get(url).status_code == 404
    assert client_for("other_county").get(url).status_code == 404


def test_filters(records, client_for):
    client, zh = client_for("county"), records.zhonghe.pk
    assert rows(client.get(f"/grassroots/orgs/{zh}/lectures/?kind=master")) == 2  # 讲堂0, 讲堂3
    assert rows(client.get(f"/grassroots/orgs/{zh}/lectures/?q=讲堂3")) == 1
    assert rows(client.get(f"/grassroots/orgs/{zh}/lectures/?date_from=2026-05-05")) == 0
    bad = client.get(f"/grassroots/orgs/{zh}/lectures/?date_from=not-a-date")
    assert bad.status_code == 200 and rows(bad) == 4  # the bad filter is ignored and named
    assert "date_from" in bad.content.decode() and "is-invalid" in bad.content.decode()
    assert rows(client.get(f"/grassroots/orgs/{zh}/homes/?tier=flagship")) == 0
    assert rows(client.get(f"/grassroots/orgs/{zh}/projects/?brand=yes")) == 4
    assert rows(client.get(f"/grassroots/orgs/{zh}/projects/?brand=no")) == 0
    f.handover(records.zhonghe)  # 郑晓雯 succeeds 周明轩: her seat waits for the signature
    assert rows(client.get(f"/grassroots/orgs/{zh}/officers/?status=handover")) == 1
    assert rows(client.get(f"/grassroots/orgs/{zh}/officers/?status=left")) == 1
    page = client.get(f"/grassroots/orgs/{zh}/officers/?q=助力官1").content.decode()
    assert "2025" in page and "500" in page  # the last assessment and its award


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("kind", LISTS)
def test_query_count_does_not_grow_with_data(world, client_for, kind, settings):
    settings.PAGE_SIZE = 10
    client = client_for("county")
    url = f"/grassroots/orgs/{world.county.pk}/{kind}/"
    grow(world, 3)
    small = _queries(client, url)
    grow(world, 22, start=3)
    large = _queries(client, url)
    assert small == large, (kind, small, large)
    assert large <= 9, (kind, large)  # pinned


def _sheet(response):
    return list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))


def test_excel_export_holds_the_filtered_rows_of_the_organization(records, client_for):
    client = client_for("county")
    response = client.get(f"/grassroots/lectures/export/?org={records.zhonghe.pk}&kind=master")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="grassroots-lectures-')
    header, *data = _sheet(response)
    assert header[:3] == ("日期", "类型", "标题")
    assert sorted(r[2] for r in data) == ["讲堂0", "讲堂3"]
    assert isinstance(data[0][0], dt.datetime) and data[0][5] == 30  # a date and a number, not text
    officers = _sheet(client.get(f"/grassroots/officers/export/?org={records.zhonghe.pk}&q=助力官1"))
    assert officers[1][6:9] == (2025, "良好", 500)
    homes = _sheet(client.get(f"/grassroots/homes/export/?org={records.county.pk}"))
    assert len(homes) == 1 + 5 and {r[5] for r in homes[1:]} == {0, 1}
    csv_text = client.get(f"/grassroots/projects/export/?org={records.zhonghe.pk}&format=csv").content
    assert len(list(csv.reader(io.StringIO(csv_text.decode("utf-8-sig"))))) == 1 + 4


def test_export_is_scoped(records, client_for):
    url = f"/grassroots/lectures/export/?org={records.zhonghe.pk}"
    assert client_for("street_sibling").get(url).status_code == 404
    assert client_for("street_sibling").get(url.replace(str(records.zhonghe.pk), "x")).status_code == 404
    own = _sheet(client_for("street_sibling").get("/grassroots/lectures/export/"))  # no org: its own scope
    assert [r[2] for r in own[1:]] == ["首南讲堂"]


def test_organization_page_links_to_the_lists(records, client_for):
    page = client_for("street").get(f"/grassroots/orgs/{records.zhonghe.pk}/").content.decode()
    for kind in LISTS:
        assert f"/grassroots/orgs/{records.zhonghe.pk}/{kind}/" in page


def test_branch_list_paginates(world, client_for, settings):
    settings.PAGE_SIZE = 3
    branch = OrganizationFactory(parent=world.zhonghe, code="ZJ-NB-YZ-ZH-P")
    for i in range(7):
        lecture(branch, f"分页{i}")
    client = client_for("street")
    first = client.get(f"/grassroots/orgs/{branch.pk}/lectures/")
    third = client.get(f"/grassroots/orgs/{branch.pk}/lectures/?page=3")
    assert rows(first) == 3 and rows(third) == 1
