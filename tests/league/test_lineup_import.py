"""Import of people and lineups from the Excel template: all rows or none, each bad row named."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from league.models import Person, Seat, SeatRole, Term
from league.validators import id_check_digit
from tests.factories import PersonFactory

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def headers(client):
    response = client.get("/lineups/import/template.xlsx")
    assert response.status_code == 200
    return [c.value for c in load_workbook(io.BytesIO(response.content)).active[1]]


def valid_id(prefix17="33021219980715002"):
    return prefix17 + id_check_digit(prefix17)


def workbook(head, rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(head)
    for row in rows:
        ws.append([row.get(h, "") for h in head])
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("lineups.xlsx", buffer.getvalue(), content_type=XLSX)


def row(**kw):
    base = {"团（工）委编码": "ZJ-NB-YZ-ZH", "届次": 1, "届次开始日期": "2024-01-01", "届次结束日期": "2029-01-01",
            "职务": "委员", "性别": "女", "出生日期": "1998-07-15", "政治面貌": "共青团员", "编制": "编制外",
            "任职方式": "兼职", "开始日期": "2024-01-01", "产生方式": "选举"}  # fmt: skip
    base.update(kw)
    return base


def test_template_has_the_columns(client_for, world, lineup_rules):
    head = headers(client_for("county"))
    assert head[:6] == ["团（工）委编码", "届次", "届次开始日期", "届次结束日期", "职务", "姓名"]


def test_good_file_creates_the_term_people_and_seats(client_for, world, lineup_rules):
    client = client_for("county")
    head = headers(client)
    rows = [row(职务="书记", 姓名="张书记", 编制="编制内", 任职方式="专职", 身份证号=valid_id()),
            row(职务="副书记", 姓名="李副", 电话="13912345678", 类别="青年企业家"),
            row(姓名="王委员", 类别="选调生"),
            row(届次="", 届次开始日期="", 届次结束日期="", 职务="", 姓名="陈报名", 开始日期="")]  # fmt: skip
    response = client.post("/lineups/import/", {"file": workbook(head, rows)})
    assert response.status_code == 302, response.content.decode()[-3000:]
    term = Term.objects.get(organization=world.zhonghe, number=1)
    assert term.seats.count() == 3
    assert term.seats.get(role=SeatRole.DEPUTY).category.name == "青年企业家"
    assert Person.objects.filter(organization=world.zhonghe).count() == 4


def test_bad_rows_are_named_and_nothing_is_imported(client_for, world, lineup_rules):
    client = client_for("county")
    head = headers(client)
    PersonFactory(organization=world.zhonghe, name="已有", id_number=valid_id("33021219900101001"))
    rows = [
        row(职务="书记", 姓名="张书记"),                                    # 2: fine
        row(职务="书记", 姓名="第二书记"),                                   # 3: a second secretary
        row(姓名="未知类", 类别="不存在的类别"),                             # 4: unknown category
        row(姓名="坏身份证", 身份证号="330212199807150021"),                 # 5: wrong check digit
        row(姓名="坏电话", 电话="12345"),                                   # 6: malformed phone
        row(**{"团（工）委编码": "ZJ-NB-JB-ZQ"}, 姓名="越权"),                   # 7: out of scope (other county)
        row(姓名="两个职位", 身份证号=valid_id()),                           # 8: fine
        row(职务="副书记", 姓名="两个职位", 身份证号=valid_id()),             # 9: same person twice in the term
        row(姓名="早结束", 开始日期="2030-01-01"),                           # 10: outside the term
        row(姓名="坏日期", 出生日期="1998-13-40"),                           # 11: not a date
    ]  # fmt: skip
    response = client.post("/lineups/import/", {"file": workbook(head, rows)})
    assert response.status_code == 200
    body = response.content.decode()
    table = body[body.index('data-testid="import-errors"') :]
    for number in [3, 4, 5, 6, 7, 9, 10, 11]:
        assert f"<td>{number}</td>" in table, number
    assert "<td>2</td>" not in table and "<td>8</td>" not in table
    assert "不存在的类别" in table and "校验位" in table and "12345" in table and "ZJ-NB-JB-ZQ" in table
    assert not Term.objects.exists() and not Seat.objects.exists()
    assert Person.objects.count() == 1


def test_not_an_excel_file(client_for, world):
    response = client_for("county").post(
        "/lineups/import/", {"file": SimpleUploadedFile("x.xlsx", b"not excel", content_type=XLSX)}
    )
    assert response.status_code == 200 and "Excel" in response.content.decode()


def test_import_is_for_those_who_may_import(client_for, world):
    assert client_for("street").get("/lineups/import/").status_code == 403


def test_the_check_writes_nothing_and_uses_the_people_row_parser(client_for, world, lineup_rules):
    """LINEUP_IMPORTER on the shared machinery: the preview tries the rows but keeps none; the person columns
    are read by imports_people.parse_person (the people import's aliases: m / f, 1998年7月15日)."""
    from league import imports
    from league.imports_lineups import LINEUP_IMPORTER

    head = headers(client_for("county"))
    rows = [row(职务="书记", 姓名="张书记", 性别="m", 出生日期="1998年7月15日"), row(姓名="王委员", 性别="f")]
    upload = workbook(head, rows)
    token, plan = imports.import_preview(importer=LINEUP_IMPORTER, by=world.users["county"], upload=upload)
    assert token and plan.counts == {"new": 2, "updated": 0, "unchanged": 0, "errors": 0}
    assert not Term.objects.exists() and not Seat.objects.exists() and not Person.objects.exists()
    imports.import_apply(importer=LINEUP_IMPORTER, by=world.users["county"], token=token)
    secretary = Seat.objects.get(role=SeatRole.SECRETARY).person
    assert secretary.gender == "m" and secretary.birth_date.isoformat() == "1998-07-15"
    assert Person.objects.get(name="王委员").gender == "f"
