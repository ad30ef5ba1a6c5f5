"""Excel/CSV exports: column definitions, types, escaping, scope, filters, background jobs, expiry, owners."""

import csv
import datetime as dt
import io
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from import_export import fields, resources
from openpyxl import load_workbook

from league import services
from league.exports import FORMULA_PREFIXES, write_xlsx
from league.models import ExportJob, ExportStatus, Notice
from league.resources import OrganizationResource
from tests.factories import OrganizationFactory
from tests.league.factories import ExportJobFactory

ORG_HEADERS = ["代码", "名称", "上级代码", "上级组织", "层级", "类型", "领域", "片区"]
NASTY = ["=1+2", "+SUM(A1)", "-2+3", "@SUM(1,2)", "\tTAB", "\rCR", "=cmd|' /C calc'!A0"]


def sheet_rows(content: bytes, sheet: int = 0):
    wb = load_workbook(io.BytesIO(content))
    return wb, list(wb.worksheets[sheet].iter_rows(values_only=True))


# --- columns --------------------------------------------------------------------------------------------


def test_organization_columns_are_chinese_with_a_frozen_bold_header(client_for, world):
    response = client_for("county").get("/orgs/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="organizations-')
    wb, rows = sheet_rows(response.content)
    ws = wb.worksheets[0]
    assert list(rows[0]) == ORG_HEADERS
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.b
    widths = [ws.column_dimensions[c].width for c in "ABCDEFGH"]
    assert all(8 <= w <= 60 for w in widths), widths
    assert ws.column_dimensions["B"].width >= len("中河街道划船社区团支部") * 2  # CJK counts double
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code["ZJ-NB-YZ-ZH-01"] == (
        "ZJ-NB-YZ-ZH-01", "中河街道划船社区团支部", "ZJ-NB-YZ-ZH", "鄞州区中河街道团工委",
        "基层组织", "团支部", "城市街道", None,
    )  # fmt: skip


def test_the_admin_uses_the_same_resource():
    from django.contrib import admin

    from league.models import Organization

    assert admin.site._registry[Organization].resource_classes == [OrganizationResource]


@dataclass
class Row:
    name: str
    amount: Decimal | None
    count: int
    day: dt.date
    at: dt.datetime


class TypedResource(resources.Resource):
    name = fields.Field(attribute="name", column_name="名称")
    amount = fields.Field(attribute="amount", column_name="金额")
    count = fields.Field(attribute="count", column_name="人数")
    day = fields.Field(attribute="day", column_name="日期")
    at = fields.Field(attribute="at", column_name="提交时间")


def test_numbers_money_and_dates_keep_their_types(tmp_path):
    at = timezone.make_aware(dt.datetime(2026, 3, 5, 9, 30))
    objs = [Row("甲", Decimal("1234.5"), 12, dt.date(2026, 3, 1), at), Row("-负数文本", Decimal("-3.456"), -4, dt.date(2026, 1, 31), at)]  # fmt: skip
    target = tmp_path / "typed.xlsx"
    assert write_xlsx(TypedResource(), objs, target) == 2
    ws = load_workbook(target).active
    assert [c.value for c in ws[1]] == ["名称", "金额", "人数", "日期", "提交时间"]
    amount, count, day, at_cell = ws["B2"], ws["C2"], ws["D2"], ws["E2"]
    assert amount.data_type == "n" and amount.value == 1234.5 and amount.number_format == "#,##0.00"
    assert ws["B3"].value == -3.46  # two decimals, a negative number stays a number
    assert count.data_type == "n" and count.value == 12 and ws["C3"].value == -4
    assert day.is_date and day.value.date() == dt.date(2026, 3, 1) and day.number_format == "yyyy-mm-dd"
    assert at_cell.is_date and at_cell.value == dt.datetime(2026, 3, 5, 9, 30)  # local time, Asia/Shanghai
    assert ws["A3"].data_type == "s" and ws["A3"].value == "-负数文本"


# --- formula injection --------------------------------------------------------------------------------


def test_formula_like_text_is_never_a_formula_in_xlsx(client_for, world):
    for i, name in enumerate(NASTY):
        OrganizationFactory(code=f"NASTY-{i}", name=name, parent=world.zhonghe)
    response = client_for("street").get("/orgs/export.xlsx")
    wb, _rows = sheet_rows(response.content)
    ws = wb.worksheets[0]
    names = {}
    for row in ws.iter_rows(min_row=2):
        names[row[0].value] = row[1]
    for i, text in enumerate(NASTY):
        cell = names[f"NASTY-{i}"]
        assert cell.data_type == "s", (text, cell.data_type)  # text, never "f" (formula)
        assert cell.value == text.replace("\r", "\n")  # as on the page (XML reads a bare CR as LF)
        assert cell.quotePrefix  # and kept as text when a user edits the cell
    # the raw XML holds no formula element at all
    import zipfile

    xml = zipfile.ZipFile(io.BytesIO(response.content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_formula_like_text_is_escaped_in_csv_while_numbers_stay_numbers(client_for, world):
    for i, name in enumerate(NASTY):
        OrganizationFactory(code=f"NASTY-{i}", name=name, parent=world.zhonghe)
    response = client_for("street").get("/orgs/export.xlsx?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ORG_HEADERS
    names = {r[0]: r[1] for r in rows[1:]}
    for i, original in enumerate(NASTY):
        assert names[f"NASTY-{i}"] == "'" + original
        assert not names[f"NASTY-{i}"].startswith(FORMULA_PREFIXES)
    assert names["ZJ-NB-YZ-ZH"] == "鄞州区中河街道团工委"


# --- scope and filters --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["", "?format=csv"])
def test_sibling_street_export_never_holds_zhonghe_rows(client_for, world, fmt):
    response = client_for("street_sibling").get("/orgs/export.xlsx" + fmt)
    body = response.content.decode("utf-8-sig") if fmt else str(sheet_rows(response.content)[1])
    assert "中河" not in body
    assert "首南街道首南社区团支部" in body


def test_county_export_holds_no_row_of_another_county(client_for, world):
    _wb, rows = sheet_rows(client_for("county").get("/orgs/export.xlsx").content)
    codes = {r[0] for r in rows[1:]}
    assert codes == {"ZJ-NB-YZ", "ZJ-NB-YZ-ZH", "ZJ-NB-YZ-ZH-01", "ZJ-NB-YZ-SN", "ZJ-NB-YZ-SN-01"}


def test_export_holds_exactly_the_filtered_rows(client_for, world):
    client = client_for("county")
    page = client.get("/orgs/?level=grassroots&q=街道")
    shown = {org.code for org in page.context["page"]}
    link = page.context["export_query"]
    assert "level=grassroots" in link and "page" not in link
    _wb, rows = sheet_rows(client.get("/orgs/export.xlsx?" + link).content)
    assert {r[0] for r in rows[1:]} == shown == {"ZJ-NB-YZ-ZH-01", "ZJ-NB-YZ-SN-01"}


def test_instructor_without_export_role_is_refused(client_for, world):
    assert client_for("instructor").get("/orgs/export.xlsx").status_code == 403


# --- past Excel's row limit ---------------------------------------------------------------------------


def test_rows_past_the_sheet_limit_continue_on_a_new_sheet(tmp_path):
    objs = [Row(f"第{i}行", None, i, dt.date(2026, 1, 1), timezone.now()) for i in range(5)]
    target = tmp_path / "split.xlsx"
    write_xlsx(TypedResource(), objs, target, max_rows=3, title="报表")  # 3 rows per sheet, header included
    wb = load_workbook(target)
    assert wb.sheetnames == ["报表", "报表 (2)", "报表 (3)"]
    counts = [[r[2] for r in ws.iter_rows(min_row=2, values_only=True)] for ws in wb.worksheets]
    assert counts == [[0, 1], [2, 3], [4]]
    assert all(ws["A1"].value == "名称" and ws.freeze_panes == "A2" for ws in wb.worksheets)


# --- background jobs ----------------------------------------------------------------------------------


def test_past_the_threshold_the_export_becomes_a_job_with_the_filters(client_for, world, settings):
    settings.EXPORT_BACKGROUND_THRESHOLD = 1
    client = client_for("county")
    response = client.get("/orgs/export.xlsx?level=grassroots&page=2")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exports/{job.pk}/"
    assert job.owner == world.users["county"] and job.status == ExportStatus.QUEUED
    assert job.params == "level=grassroots" and job.total_rows == 2
    page = client.get(response["Location"]).content.decode()
    assert "<progress" in page and f'hx-get="/exports/{job.pk}/progress/"' in page


def test_the_job_writes_the_owners_scoped_filtered_rows_and_sends_a_notice(client_for, world, settings):
    settings.EXPORT_BACKGROUND_THRESHOLD = 0
    client = client_for("street_sibling")
    client.get("/orgs/export.xlsx?level=grassroots")
    job = ExportJob.objects.get()
    services.export_job_run(job_id=job.pk)  # what the worker does (a real worker: test_exports_worker.py)
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and job.done_rows == 1 and job.percent == 100
    download = client.get(f"/exports/{job.pk}/download/")
    _wb, rows = sheet_rows(b"".join(download.streaming_content))
    assert [r[0] for r in rows[1:]] == ["ZJ-NB-YZ-SN-01"]
    notice = Notice.objects.get(recipient=world.users["street_sibling"])
    assert notice.url == f"/exports/{job.pk}/" and "organizations-" in notice.title
    progress = client.get(f"/exports/{job.pk}/progress/").content.decode()
    assert "hx-get" not in progress and 'value="100"' in progress and "export-download" in progress
    assert services.export_job_run(job_id=job.pk) is None  # running twice does nothing


def test_a_job_is_marked_done_only_with_its_notice(client_for, world, settings, monkeypatch):
    """Done and notified in one transaction: if the notice cannot be stored, the job is not shown done
    (a page polling the job never sees it done before its owner's notice exists)."""
    settings.EXPORT_BACKGROUND_THRESHOLD = 0
    client_for("street_sibling").get("/orgs/export.xlsx?level=grassroots")
    job = ExportJob.objects.get()

    def notice_fails(**kwargs):
        raise RuntimeError("notices table unavailable")

    monkeypatch.setattr(services, "notice_send", notice_fails)
    with pytest.raises(RuntimeError):
        services.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status != ExportStatus.DONE and not job.file and job.finished_at is None
    assert not Notice.objects.exists()


def test_only_the_owner_can_see_or_download_a_file(client_for, world):
    job = ExportJobFactory(owner=world.users["county"])
    assert client_for("county").get(f"/exports/{job.pk}/download/").status_code == 200
    for persona in ("admin", "city", "street", "outsider"):
        client = client_for(persona)
        assert client.get(f"/exports/{job.pk}/download/").status_code == 404, persona
        assert client.get(f"/exports/{job.pk}/").status_code == 404, persona
        assert job.filename not in client.get("/exports/").content.decode(), persona
    assert job.filename in client_for("county").get("/exports/").content.decode()


def test_expired_files_are_deleted_and_no_longer_downloadable(client_for, world):
    old = ExportJobFactory(owner=world.users["county"])
    fresh = ExportJobFactory(owner=world.users["county"])
    path = Path(old.file.path)
    assert path.exists()
    ExportJob.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert services.exports_expire() == 1
    old.refresh_from_db()
    assert old.status == ExportStatus.EXPIRED and not old.file and not path.exists()
    assert Path(fresh.file.path).exists()
    client = client_for("county")
    assert client.get(f"/exports/{old.pk}/download/").status_code == 404
    assert 'data-status="expired"' in client.get(f"/exports/{old.pk}/").content.decode()
    assert services.exports_expire() == 0


def test_expiry_is_scheduled_hourly_by_beat(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="league.exports_expire")
    assert task.enabled and task.interval.every == 1 and task.interval.period == "hours"


def test_exports_page_is_linked_from_the_user_menu(client_for, world):
    assert 'href="/exports/"' in client_for("street").get("/").content.decode()


def test_export_query_count_does_not_grow_with_rows(client_for, world):
    client = client_for("county")
    for i in range(3):
        OrganizationFactory(parent=world.zhonghe, code=f"Q-{i}")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get("/orgs/export.xlsx")
    for i in range(3, 60):
        OrganizationFactory(parent=world.zhonghe, code=f"Q-{i}")
    with CaptureQueriesContext(connection) as large:
        client.get("/orgs/export.xlsx")
    assert len(small.captured_queries) == len(large.captured_queries)


def test_level_label_is_exported_not_the_stored_value(client_for, world):
    _wb, rows = sheet_rows(client_for("county").get("/orgs/export.xlsx?level=county").content)
    assert [r[4] for r in rows[1:]] == ["县（区）级"]


def test_tree_page_links_both_exports_with_the_filters(client_for, world):
    body = client_for("county").get("/orgs/?level=street").content.decode()
    assert 'href="/orgs/export.xlsx?level=street"' in body
    assert 'href="/orgs/export.xlsx?level=street&amp;format=csv"' in body
