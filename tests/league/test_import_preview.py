"""The shared import: preview (new / updated / unchanged / errors), then all rows or none; bad files refused."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from league import spreadsheets
from league.models import Kind, Organization
from tests.league.test_org_import import HEADERS, XLSX, upload, workbook

ZH = "ZJ-NB-YZ-ZH"


def test_preview_counts_new_updated_unchanged_and_applies_on_confirm(client_for, world):
    rows = [
        ["ZJ-NB-YZ-ZH-01", "中河街道划船社区团支部", ZH, "基层", "团支部", "城市街道", ""],  # unchanged
        [
            "ZJ-NB-YZ-SN-01",
            "首南社区团总支（更名）",
            "ZJ-NB-YZ-SN",
            "基层",
            "团总支",
            "城市街道",
            "",
        ],  # updated
        ["ZH-P-1", "新团支部", ZH, "基层", "团支部", "城市街道", ""],  # new
    ]
    client = client_for("county")
    preview = upload(client, workbook(rows))
    plan = preview.context["plan"]
    assert plan.counts == {"new": 1, "updated": 1, "unchanged": 1, "errors": 0}
    body = preview.content.decode()
    assert (
        "首南社区团总支（更名）" in body and "名称: 首南街道首南社区团支部 → 首南社区团总支（更名）" in body
    )
    assert Organization.objects.get(code="ZJ-NB-YZ-SN-01").name == "首南街道首南社区团支部"
    assert not Organization.objects.filter(code="ZH-P-1").exists()
    response = client.post("/orgs/import/", {"token": preview.context["token"]})
    assert response.status_code == 302
    updated = Organization.objects.get(code="ZJ-NB-YZ-SN-01")
    assert updated.name == "首南社区团总支（更名）" and updated.kind == Kind.GENERAL_BRANCH
    assert updated.history.count() == 2  # the audit trail records the update
    assert Organization.objects.get(code="ZH-P-1").history.exists()
    # the token is spent: applying twice is refused
    again = client.post("/orgs/import/", {"token": preview.context["token"]})
    assert again.status_code == 302 and again["Location"] == "/orgs/import/"


def test_apply_rechecks_and_imports_nothing_if_the_data_changed(client_for, world):
    rows = [["ZH-R-1", "新团支部", ZH, "基层", "团支部", "城市街道", ""]]
    client = client_for("county")
    preview = upload(client, workbook(rows))
    Organization.objects.create(code="ZH-R-1", name="抢先", level="grassroots", parent=world.shounan)
    response = client.post("/orgs/import/", {"token": preview.context["token"]})
    assert response.status_code == 200
    assert response.context["plan"].errors[0].column == "代码"
    assert Organization.objects.get(code="ZH-R-1").name == "抢先"


def test_a_token_of_another_user_cannot_be_applied(client_for, world):
    rows = [["ZH-T-1", "新团支部", ZH, "基层", "团支部", "城市街道", ""]]
    preview = upload(client_for("county"), workbook(rows))
    client_for("city").post("/orgs/import/", {"token": preview.context["token"]})
    client_for("city").post("/orgs/import/", {"token": "../../etc"})
    assert not Organization.objects.filter(code="ZH-T-1").exists()


def test_existing_codes_cannot_be_moved_or_change_level(client_for, world):
    rows = [
        ["ZJ-NB-YZ-ZH-01", "划船", "ZJ-NB-YZ-SN", "基层", "团支部", "城市街道", ""],
        ["ZJ-NB-YZ-SN-01", "首南", "ZJ-NB-YZ-SN", "街道", "团工委", "城市街道", ""],
    ]
    plan = upload(client_for("county"), workbook(rows)).context["plan"]
    assert {(e.row, e.column) for e in plan.errors} >= {(2, "代码"), (3, "层级")}


def test_error_messages_are_in_chinese_and_name_row_and_column(client_for, world):
    rows = [["", "", ZH, "大区", "团支部", "城市街道", ""]]
    response = upload(client_for("county"), workbook(rows))
    errors = response.context["plan"].errors
    assert {(e.row, e.column) for e in errors} == {(2, "代码"), (2, "名称"), (2, "层级")}
    assert str(errors[0]) == "第 2 行，“代码”列：此项为必填项。"


def _zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buffer.getvalue()


def _rows_workbook(n: int) -> SimpleUploadedFile:
    return workbook([[f"H-{i}", "团支部", ZH, "基层", "团支部", "城市街道", ""] for i in range(n)])


BAD_FILES = {
    "text pretending to be xlsx": lambda: SimpleUploadedFile(
        "x.xlsx", b"code,name\n=1+1,x", content_type=XLSX
    ),
    "csv by name": lambda: SimpleUploadedFile("x.csv", workbook([]).read(), content_type="text/csv"),
    "old .xls": lambda: SimpleUploadedFile("x.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
    "a zip that is not a workbook": lambda: SimpleUploadedFile("x.xlsx", _zip_bytes({"a.txt": b"hi"})),
    "empty file": lambda: SimpleUploadedFile("x.xlsx", b"", content_type=XLSX),
    "headers only": lambda: workbook([]),
    "wrong headers": lambda: workbook([["a", "b"]], headers=["编号", "名字"]),
    "one header missing": lambda: workbook(
        [["X", "Y", ZH, "基层", "团支部", "城市街道"]], headers=HEADERS[:6]
    ),
    "empty workbook": lambda: _blank_workbook(),
    "too many rows": lambda: _rows_workbook(6),
    "too big a file": lambda: _rows_workbook(2),
    "zip bomb": lambda: _rows_workbook(2),
}


def _blank_workbook():
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return SimpleUploadedFile("blank.xlsx", buffer.getvalue(), content_type=XLSX)


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_files_are_refused_before_anything_is_written(client_for, world, monkeypatch, case):
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 5)
    if case == "too big a file":
        monkeypatch.setattr(spreadsheets, "MAX_UPLOAD_BYTES", 100)
    if case == "zip bomb":
        monkeypatch.setattr(spreadsheets, "MAX_UNCOMPRESSED_BYTES", 1000)
    before = Organization.objects.count()
    response = upload(client_for("county"), BAD_FILES[case]())
    assert response.status_code == 200, case
    message = " ".join(response.context["form"].errors["file"])
    assert message, case
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), (case, message)  # said in Chinese
    assert response.context["token"] is None
    assert Organization.objects.count() == before
