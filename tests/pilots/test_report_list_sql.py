"""The report list's rows and count, read as SQL written once (pilots.selectors.ReportListRows), are those of the
ORM query they replace (ReportFilter's queryset in the list's order, REPORT_ROW_COLUMNS values) for every persona,
every filter (valid, left wrong, combined) and any page; the page itself stays at its query count."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models.functions import Substr
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from pilots import services
from pilots.filters import ReportFilter
from pilots.models import ReturnReason
from pilots.selectors import REPORT_LIST_ORDER, ReportListRows, ReviewQueueRows, reports_for, review_queue_for
from pilots.templatetags.pilots_tags import PROGRESS_SHOWN, REPORT_ROW_COLUMNS, REVIEW_ROW_COLUMNS
from tests.conftest import PERSONAS
from tests.pilots.conftest import month_start
from tests.pilots.factories import filed_report, monthly_program


@pytest.fixture
def reports(recent_program, world):
    """Reports of the county's program (中河 on time, 首南 late or with a long progress, drafts, one accepted, one
    returned) and of the other county's (庄桥)."""
    county, street, sibling = world.users["county"], world.users["street"], world.users["street_sibling"]
    slots = {(s.organization_id, s.period_start): s for s in recent_program.slots.all()}
    made = [filed_report(slots[(world.zhonghe.pk, month_start(m))], street) for m in (-3, -2)]
    filed_report(slots[(world.zhonghe.pk, month_start(-1))], street, submit=False)
    late = slots[(world.shounan.pk, month_start(-3))]
    made.append(filed_report(late, sibling, now=dt.datetime.combine(late.deadline + dt.timedelta(days=5),
                                                                    dt.time(9), tzinfo=dt.UTC)))  # fmt: skip
    made.append(filed_report(slots[(world.shounan.pk, month_start(-2))], sibling, progress="进展" * 200))
    filed_report(slots[(world.shounan.pk, month_start(-1))], sibling, submit=False)
    services.report_accept(report=made[0], by=county)
    services.report_return(report=made[1], by=county, reason=ReturnReason.VAGUE, comment="再具体些")
    other = monthly_program(
        world.other_county_org, [world.zhuangqiao], starts_on=month_start(-2), name="江北_试点%"
    )
    for slot in other.slots.filter(period_start__lt=month_start(0)):
        filed_report(slot, world.users["admin"])
    return recent_program, other


def _filters(world, recent_program, other):
    month = month_start(-2).strftime("%Y-%m")
    return [
        {},
        {"page": "2"},
        {"state": "submitted"},
        {"state": "draft", "late": "false"},
        {"state": "bogus"},
        {"program": str(recent_program.pk)},
        {"program": str(other.pk)},
        {"program": "abc"},
        {"month": month},
        {"month": "2026-13"},
        {"month": " 2026-1 "},
        {"since": month, "until": month_start(-1).strftime("%Y-%m")},
        {"since": "bad", "until": month},
        {"late": "true"},
        {"late": "unknown"},
        {"level": "street"},
        {"level": "county"},
        {"q": "中河"},
        {"q": "%"},
        {"q": "_"},
        {"q": "庄桥", "state": "submitted", "program": str(other.pk), "since": month, "late": "false"},
        {"program": "", "state": "", "month": "", "since": "", "until": "", "late": "", "level": "", "q": ""},
    ]


def _orm(user, data):
    request = RequestFactory().get("/pilots/reports/", data)
    request.user = user
    base = reports_for(user).select_related(
        "slot__organization", "slot__program", "slot__schedule", "submitted_by"
    )
    filterset = ReportFilter(data or None, queryset=base, request=request)
    ordered = filterset.qs.order_by(*REPORT_LIST_ORDER)
    return filterset, ordered


def _sql(user, filterset):
    filters = None
    if filterset.is_bound:
        filterset.is_valid()
        filters = filterset.form.cleaned_data
    return ReportListRows(user, filters)


@pytest.mark.parametrize("persona", PERSONAS)
def test_rows_and_counts_are_the_orms_for_every_filter_and_page(reports, world, persona):
    user = world.users[persona]
    seen = 0
    for data in _filters(world, *reports):
        filterset, ordered = _orm(user, data)
        rows = _sql(user, filterset)
        expected = list(ordered.values_list(*REPORT_ROW_COLUMNS))
        seen += len(expected)
        assert rows[0:100] == expected, data
        assert rows[1:3] == expected[1:3] and rows[4:4] == [], data
        for limit in (1, 3, 100):
            assert rows.count_upto(limit) == ordered.order_by()[:limit].count(), (data, limit)
    if persona in ("admin", "province", "county"):
        assert seen > 0  # the comparison saw rows


def test_the_values_have_the_orms_types(reports, world):
    filterset, ordered = _orm(world.users["admin"], {"late": "true"})
    rows = _sql(world.users["admin"], filterset)[0:10]
    assert rows == list(ordered.values_list(*REPORT_ROW_COLUMNS)[:10]) and rows
    for row in rows:
        assert [type(v) for v in row] == [int, str, bool, dt.datetime, dt.date, dt.date, str, str]
        assert row[2] is True and row[3].tzinfo is not None


def test_the_list_page_keeps_its_queries_and_shows_the_rows(reports, world, client_for):
    client = client_for("county")
    client.cookies["django_language"] = "en"
    client.get("/pilots/reports/")
    with CaptureQueriesContext(connection) as unfiltered:
        body = client.get("/pilots/reports/").content.decode()
    with CaptureQueriesContext(connection) as filtered:
        client.get(f"/pilots/reports/?program={reports[0].pk}&state=submitted&q=首南&page=1")
    # session, user, memberships, count, bell, program options, rows
    assert (
        len(unfiltered.captured_queries) == len(filtered.captured_queries) - 1 == 7
    )  # + the program's check
    assert body.count("/pilots/reports/") >= 6 and "庄桥" not in body
    bad = client.get("/pilots/reports/?month=2026-13&since=bad").content.decode()
    assert "No reports." in bad and "Enter a month as YYYY-MM" in bad  # the wrong field is named


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_review_queue_rows_and_counts_are_the_orms(reports, world, persona):
    user = world.users[persona]
    head = PROGRESS_SHOWN + 1
    queue = review_queue_for(user)
    expected = list(
        queue.annotate(progress_head=Substr("progress", 1, head)).values_list(
            *[c if c != "progress" else "progress_head" for c in REVIEW_ROW_COLUMNS]
        )
    )
    rows = ReviewQueueRows(user, head=head)
    assert rows[0:100] == expected and rows[1:2] == expected[1:2] and rows[3:3] == []
    for limit in (1, 2, 100):
        assert rows.count_upto(limit) == queue.order_by()[:limit].count()
    if persona in ("admin", "province", "county"):
        assert any(len(row[5]) == head for row in expected)  # a long progress is read as its head
