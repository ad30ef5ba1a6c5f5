"""Import of an organization tree from the Excel template: all rows or none, each bad row named."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from league.models import Organization, Region

HEADERS = ["代码", "名称", "上级代码", "层级", "类型", "领域", "片区"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(rows, headers=HEADERS) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("orgs.xlsx", buffer.getvalue(), content_type=XLSX)


def upload(client, file):
    return client.post("/orgs/import/", {"file": file})


def test_template_downloads_with_headers(client_for, world):
    from openpyxl import load_workbook

    response = client_for("county").get("/orgs/import/template.xlsx")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[1]] == HEADERS


def test_good_file_imports_every_row_in_parent_order(client_for, world):
    rows = [
        ["ZH-NEW-2", "新社区第二团支部", "ZH-NEW-1", "基层", "团支部", "城市街道", ""],
        ["ZH-NEW-1", "新社区团总支", "ZJ-NB-YZ-ZH", "基层", "团总支", "城市街道", "第一片区"],
    ]
    client = client_for("county")
    preview = upload(client, workbook(rows))
    assert preview.status_code == 200 and preview.context["plan"].counts["new"] == 2
    assert not Organization.objects.filter(code__startswith="ZH-NEW").exists()  # the preview writes nothing
    response = client.post("/orgs/import/", {"token": preview.context["token"]})
    assert response.status_code == 302
    child = Organization.objects.get(code="ZH-NEW-2")
    assert child.parent.code == "ZH-NEW-1"
    assert child.path.startswith(world.zhonghe.path)
    assert Region.objects.get(name="第一片区").organization == world.zhonghe


def test_bad_rows_are_named_and_nothing_is_imported(client_for, world):
    before = Organization.objects.count()
    rows = [
        ["OK-1", "正常团支部", "ZJ-NB-YZ-ZH", "基层", "团支部", "城市街道", ""],
        ["ZJ-NB-YZ-SN", "重复代码", "ZJ-NB-YZ-ZH", "基层", "团支部", "城市街道", ""],
        ["BAD-2", "", "ZJ-NB-YZ-ZH", "基层", "团支部", "城市街道", ""],
        ["BAD-3", "未知层级", "ZJ-NB-YZ-ZH", "大区", "团支部", "城市街道", ""],
        ["BAD-4", "越权", "ZJ-NB-JB-ZQ", "基层", "团支部", "城市街道", ""],
        ["BAD-5", "错误层级", "ZJ-NB-YZ-ZH", "县", "团委", "机关", ""],
    ]
    response = upload(client_for("county"), workbook(rows))
    assert response.status_code == 200
    errors = response.context["result"].errors
    by_row = {(e.row, e.column) for e in errors}
    assert (3, "代码") in by_row  # code already used
    assert (4, "名称") in by_row  # name required
    assert (5, "层级") in by_row  # unknown level
    assert (6, "上级代码") in by_row  # parent outside the county's scope
    assert (7, "层级") in by_row  # a county under a street
    assert "第3行" in response.content.decode() or "3" in response.content.decode()
    assert Organization.objects.count() == before


def test_loop_in_file_is_refused(client_for, world):
    rows = [
        ["LOOP-1", "甲", "LOOP-2", "基层", "团支部", "城市街道", ""],
        ["LOOP-2", "乙", "LOOP-1", "基层", "团支部", "城市街道", ""],
    ]
    response = upload(client_for("county"), workbook(rows))
    assert len(response.context["result"].errors) >= 2
    assert not Organization.objects.filter(code__startswith="LOOP").exists()


def test_files_that_are_not_the_template_are_refused(client_for, world):
    client = client_for("county")
    before = Organization.objects.count()
    cases = {
        "not excel": SimpleUploadedFile("x.xlsx", b"this is not a workbook", content_type=XLSX),
        "wrong headers": workbook([["a", "b"]], headers=["foo", "bar"]),
        "no rows": workbook([]),
    }
    for label, file in cases.items():
        response = upload(client, file)
        assert response.status_code == 200, label
        assert response.context["form"].errors["file"], label
    assert Organization.objects.count() == before


def test_secretary_may_not_import(client_for, world):
    response = upload(
        client_for("street"), workbook([["S-1", "甲", "ZJ-NB-YZ-ZH", "基层", "团支部", "城市街道", ""]])
    )
    assert response.status_code == 403
    assert not Organization.objects.filter(code="S-1").exists()


def test_export_holds_only_rows_in_scope(client_for, world):
    from openpyxl import load_workbook

    response = client_for("street_sibling").get("/orgs/export.xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    codes = {row[0] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert codes == {"ZJ-NB-YZ-SN", "ZJ-NB-YZ-SN-01"}
