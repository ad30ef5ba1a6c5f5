"""People import through the shared machinery: preview counts, all or nothing, history, scope, bad rows."""

import io

from openpyxl import Workbook

from league import imports
from league.imports_people import PEOPLE_IMPORTER, _headers
from league.models import Person
from league.spreadsheets import SpreadsheetError

ID = "330204199805040012"  # a valid 18-character ID number (check digit 2)


def people_file(rows, headers=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers or _headers())
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def preview(user, rows):
    return imports.import_preview(importer=PEOPLE_IMPORTER, by=user, upload=people_file(rows))


def test_new_then_updated_and_unchanged_with_history(world):
    county = world.users["county"]
    rows = [["ZJ-NB-YZ-ZH", "张三", "男", "1998-05-04", ID, "13800000000", "某公司", "团员", ""],
            ["ZJ-NB-YZ-SN", "李四", "女", "1999/1/2", "", "", "", "党员", ""]]  # fmt: skip
    token, plan = preview(county, rows)
    assert (
        plan.counts == {"new": 2, "updated": 0, "unchanged": 0, "errors": 0} and not Person.objects.exists()
    )
    imports.import_apply(importer=PEOPLE_IMPORTER, by=county, token=token)
    zhang = Person.objects.get(id_number=ID)
    assert zhang.gender == "m" and zhang.birth_date.isoformat() == "1998-05-04"
    assert zhang.history.get().history_user == county
    rows[0][5], rows[1][4] = "13900000000", ""
    token, plan = preview(county, rows[:1])
    assert plan.counts["updated"] == 1
    imports.import_apply(importer=PEOPLE_IMPORTER, by=county, token=token)
    zhang.refresh_from_db()
    assert zhang.phone == "13900000000" and zhang.history.count() == 2
    _token, plan = preview(county, rows[:1])
    assert plan.counts["unchanged"] == 1


def test_bad_rows_are_named_and_nothing_is_written(world):
    rows = [["ZJ-NB-YZ-ZH", "", "男", "1998-13-40", "123", "12", "", "外星人", ""],
            ["ZJ-NB-JB-ZQ", "王五", "未知", "", "", "", "", "", ""]]  # fmt: skip
    token, plan = preview(world.users["county"], rows)
    assert token is None and not Person.objects.exists()
    cells = {(e.row, e.column) for e in plan.errors}
    assert {
        (2, "姓名"),
        (2, "出生日期"),
        (2, "身份证号"),
        (2, "电话"),
        (2, "政治面貌"),
        (3, "组织代码"),
        (3, "性别"),
    } <= cells


def test_wrong_headers_are_refused(world):
    try:
        imports.import_preview(importer=PEOPLE_IMPORTER, by=world.users["county"],
                               upload=people_file([["x"]], headers=["姓名"]))  # fmt: skip
    except SpreadsheetError as exc:
        assert "组织代码" in str(exc)
    else:
        raise AssertionError("a file without the template's headers was accepted")
