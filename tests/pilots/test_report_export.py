"""The report list's export: Excel or CSV of the filtered, scoped list, at once when small and as a
background job past EXPORT_BACKGROUND_THRESHOLD rows (a real worker runs jobs in test_exports_worker.py)."""

import io

import pytest
from django.http import QueryDict
from openpyxl import load_workbook

from league import services as league_services
from league.models import ExportJob, ExportStatus, Notice
from pilots.models import Report
from pilots.views.reports import report_export_source
from tests.pilots.conftest import month_start
from tests.pilots.factories import filed_report


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def filed(recent_program, world):
    """中河 filed and submitted three months, 首南 submitted one and keeps one draft."""
    for months in (-3, -2, -1):
        slot = recent_program.slots.get(organization=world.zhonghe, period_start=month_start(months))
        filed_report(slot, world.users["street"])
    filed_report(recent_program.slots.get(organization=world.shounan, period_start=month_start(-2)),
                 world.users["street_sibling"])  # fmt: skip
    filed_report(recent_program.slots.get(organization=world.shounan, period_start=month_start(-1)),
                 world.users["street_sibling"], submit=False)  # fmt: skip
    return recent_program


def rows_of(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))


def _listed(client, url):
    """The reports a list page shows, in its order (its rows are tuples, the report's pk first)."""
    pks = [row[0] for row in client.get(url).context["page"].object_list]
    by_pk = Report.objects.select_related("slot__organization").in_bulk(pks)
    return [by_pk[pk] for pk in pks]


def test_a_small_export_is_the_filtered_list_at_once_in_the_lists_order(filed, client_for, world):
    client = client_for("county")
    response = client.get("/pilots/reports/export.xlsx?state=submitted")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    rows = rows_of(response.content)
    listed = _listed(client, "/pilots/reports/?state=submitted")
    assert [(r[2], str(r[3])[:10]) for r in rows[1:]] == [
        (r.slot.organization.code, r.slot.period_start.isoformat()) for r in listed
    ]
    assert len(rows) - 1 == 4 and not ExportJob.objects.exists()


def test_past_the_threshold_the_export_is_a_job_holding_the_owners_filtered_rows(
    filed, client_for, world, settings
):
    settings.EXPORT_BACKGROUND_THRESHOLD = 0
    client = client_for("street_sibling")
    response = client.get("/pilots/reports/export.xlsx?state=submitted&page=2")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exports/{job.pk}/"
    assert job.source == "reports" and job.params == "state=submitted" and job.total_rows == 1
    assert job.status == ExportStatus.QUEUED
    league_services.export_job_run(job_id=job.pk)  # what the worker does
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and job.done_rows == 1
    rows = rows_of(b"".join(client.get(f"/exports/{job.pk}/download/").streaming_content))
    assert [r[2] for r in rows[1:]] == [world.shounan.code]  # 首南's own submitted report, not 中河's
    assert Notice.objects.filter(recipient=world.users["street_sibling"], kind="export").exists()


def test_the_worker_rebuilds_the_rows_the_page_would_export(filed, world):
    """The source is rebuilt from (user, filters) in the worker: the same reports as the user's list."""
    user = world.users["county"]
    for params in ("", "state=submitted", "state=draft", f"month={month_start(-1):%Y-%m}", "q=中河"):
        spec = report_export_source(user, QueryDict(params))
        expected = Report.objects.filter(
            slot__program=filed, slot__organization__path__startswith=world.county.path
        )
        if "state=" in params:
            expected = expected.filter(state=params.split("=")[1])
        if params.startswith("month"):
            expected = expected.filter(slot__period_start=month_start(-1))
        if params.startswith("q"):
            expected = expected.filter(slot__organization=world.zhonghe)
        assert sorted(r.pk for r in spec.queryset) == sorted(expected.values_list("pk", flat=True)), params
    assert not report_export_source(world.users["street_sibling"], QueryDict("q=中河")).queryset.exists()


def test_csv_of_the_report_list(filed, client_for):
    response = client_for("county").get("/pilots/reports/export.xlsx?state=submitted&format=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.decode("utf-8-sig").count("\n") == 1 + 4


def test_a_user_without_an_export_role_is_refused(filed, client_for):
    assert client_for("instructor").get("/pilots/reports/export.xlsx").status_code == 403
    assert not ExportJob.objects.exists()


def test_a_run_of_months_filters_the_list_and_the_export(filed, client_for, world):
    client = client_for("county")
    first, last = month_start(-3), month_start(-2)
    query = f"since={first:%Y-%m}&until={last:%Y-%m}"
    listed = _listed(client, f"/pilots/reports/?{query}")
    assert sorted((r.slot.organization.code, r.slot.period_start) for r in listed) == sorted(
        [(world.zhonghe.code, first), (world.zhonghe.code, last), (world.shounan.code, last)]
    )
    exported = rows_of(client.get(f"/pilots/reports/export.xlsx?{query}").content)
    assert len(exported) - 1 == 3
    only_since = _listed(client, f"/pilots/reports/?since={month_start(-1):%Y-%m}")
    assert {r.slot.period_start for r in only_since} == {month_start(-1)}


@pytest.mark.parametrize("bad", ["2026-13", "03/2026", "next month"])
def test_a_mistyped_month_is_named_and_nothing_is_exported(filed, client_for, bad):
    client = client_for("county")
    body = client.get("/pilots/reports/", {"since": bad}).content.decode()
    assert "请按 YYYY-MM 格式填写月份" in body  # named beside the field, in the default language
    response = client.get("/pilots/reports/export.xlsx", {"since": bad, "state": "submitted"})
    assert response.status_code == 302 and response["Location"].startswith("/pilots/reports/?")
    assert "since=" in response["Location"] and not ExportJob.objects.exists()


def test_the_export_reads_its_rows_in_a_fixed_number_of_queries(filed, client_for, world, recent_program):
    """Each row's slot, organization and program come with it (no column deferred that a cell reads)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("county")
    with CaptureQueriesContext(connection) as few:
        client.get("/pilots/reports/export.xlsx?state=submitted&q=首南")
    with CaptureQueriesContext(connection) as more:
        rows = rows_of(client.get("/pilots/reports/export.xlsx?state=submitted").content)
    assert len(rows) - 1 == 4
    assert len(more.captured_queries) == len(few.captured_queries)
    report = Report.objects.filter(state="submitted").first()
    exported = next(r for r in rows[1:] if r[2] == report.slot.organization.code
                    and str(r[3])[:10] == report.slot.period_start.isoformat())  # fmt: skip
    assert exported[0] == report.slot.program.name and exported[1] == report.slot.organization.name
    assert exported[10] == report.progress and exported[6] == report.get_state_display()
