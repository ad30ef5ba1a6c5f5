"""Fund and pair pages through requests: forms, messages naming the field, exports, flat query counts."""

import datetime as dt
import io
import re
from decimal import Decimal

import openpyxl
import pytest

from pilots.funds import services as funds
from pilots.funds.models import LedgerEntry, ProjectApplication
from pilots.guidance import services as guidance
from pilots.guidance.models import PairAgreement, PairMeeting
from tests.factories import OrganizationFactory

DAY = dt.date(2026, 3, 2)


def test_fund_page_shows_balance_committed_and_pending(application, client_for, world):
    funds.application_decide(by=world.users["county"], application=application, approve=True, amount="1500",
                             reason="部分批准")  # fmt: skip
    funds.disburse(by=world.users["county"], application=application, amount="1000", on=DAY)
    page = client_for("county").get(f"/pilots/funds/{application.fund.pk}/")
    s = page.context["summary"]
    assert (s["balance"], s["committed"], s["disbursed"]) == (Decimal("9000.00"), Decimal("500.00"),
                                                             Decimal("1000.00"))  # fmt: skip
    shown = re.search(r'data-testid="balance">([^<]+)<', page.content.decode()).group(1)
    assert re.sub(r"[^0-9.]", "", shown) == "9000.00"


def test_unit_sees_balance_and_its_own_applications_not_the_ledger(application, client_for, world):
    other = funds.application_submit(by=world.users["street_sibling"], fund=application.fund, organization=world.shounan,
                                     title="首南项目", plan="p", amount="100")  # fmt: skip
    page = client_for("street").get(f"/pilots/funds/{application.fund.pk}/")
    assert page.status_code == 200 and not page.context["full"]
    assert [a.pk for a in page.context["pending"]] == [application.pk]
    assert client_for("street").get(f"/pilots/funds/applications/{other.pk}/").status_code == 404
    assert client_for("street").get(f"/pilots/funds/{application.fund.pk}/ledger.xlsx").status_code == 403


def test_application_form_names_the_bad_field(funded, client_for):
    url = f"/pilots/funds/{funded.pk}/apply/"
    client = client_for("street")
    base = {"organization": funded.program.units.get(organization__code="ZJ-NB-YZ-ZH").organization_id,
            "title": "沙龙", "plan": "计划"}  # fmt: skip
    for amount, budget, field in [
        ("-1", "", "amount"),
        ("12.345", "", "amount"),
        ("1000", "场地, 900", "budget"),
    ]:
        response = client.post(url, {**base, "amount": amount, "budget": budget})
        assert response.status_code == 200 and field in response.context["form"].errors, (amount, budget)
    assert not ProjectApplication.objects.exists()
    response = client.post(url, {**base, "amount": "1000", "budget": "场地, 400\n资料，600"})
    assert response.status_code == 302
    assert ProjectApplication.objects.get().budget_lines == [{"item": "场地", "amount": "400.00"},
                                                             {"item": "资料", "amount": "600.00"}]  # fmt: skip


def test_decide_disburse_and_reverse_through_pages(application, client_for):
    client = client_for("county")
    r = client.post(f"/pilots/funds/applications/{application.pk}/decide/", {"decision": "approve", "amount": "2500"},
                    follow=True)  # fmt: skip
    assert "2,500.00" in " ".join(str(m) for m in r.context["messages"])  # the message names the amount
    application.refresh_from_db()
    assert application.status == "submitted"
    client.post(f"/pilots/funds/applications/{application.pk}/decide/", {"decision": "approve"})
    r = client.post(f"/pilots/funds/applications/{application.pk}/disburse/",
                    {"amount": "2000.01", "entry_date": "2026-03-02"}, follow=True)  # fmt: skip
    assert "2,000.01" in " ".join(str(m) for m in r.context["messages"])
    assert not LedgerEntry.objects.filter(kind="disbursement").exists()
    client.post(
        f"/pilots/funds/applications/{application.pk}/disburse/",
        {"amount": "2000", "entry_date": "2026-03-02"},
    )
    entry = LedgerEntry.objects.get(kind="disbursement")
    assert (
        client_for("street").post(f"/pilots/funds/ledger/{entry.pk}/reverse/", {"reason": "x"}).status_code
        == 404
    )
    client.post(f"/pilots/funds/ledger/{entry.pk}/reverse/", {"reason": "重复拨付"})
    assert application.fund.balance() == Decimal("10000.00") and LedgerEntry.objects.count() == 4


def test_ledger_export_opens_in_excel(application, client_for, world):
    funds.application_decide(
        by=world.users["county"], application=application, approve=True, disburse_now=True
    )
    response = client_for("county").get(f"/pilots/funds/{application.fund.pk}/ledger.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert len(rows) == 4 and rows[3][4] == -2000 and rows[3][5] == 8000


def test_fund_page_query_count_is_flat(funded, client_for, world, django_assert_max_num_queries):
    client = client_for("county")
    url = f"/pilots/funds/{funded.pk}/"
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    for i in range(15):
        a = funds.application_submit(by=world.users["street"], fund=funded, organization=world.zhonghe, title=f"项目{i}",
                                     plan="p", amount="10")  # fmt: skip
        funds.application_decide(by=world.users["county"], application=a, approve=True, disburse_now=True)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_pairs_record_meetings_and_agreements(program, unit, client_for, world):
    organ = OrganizationFactory(
        code="ZJ-NB-YZ-GS", name="国税局团总支", parent=world.county, domain="government"
    )
    client = client_for("county")
    r = client.post(
        f"/pilots/programs/{program.pk}/pairs/",
        {"organ": organ.pk, "unit": unit.pk, "starts_on": "2026-03-01"},
    )
    assert r.status_code == 302
    pair = program.pairs.get()
    client.post(f"/pilots/pairs/{pair.pk}/meetings/", {"held_on": "2026-03-05", "attendees": "双方团干部8人",
                                                       "minutes": "商定帮困助学"})  # fmt: skip
    r = client.post(f"/pilots/pairs/{pair.pk}/meetings/", {"held_on": "2026-03-05", "attendees": "", "minutes": "x"},
                    follow=True)  # fmt: skip
    assert PairMeeting.objects.count() == 1 and r.context["messages"]
    client.post(f"/pilots/pairs/{pair.pk}/agreements/", {"title": "帮困助学", "reached_on": "2026-03-05",
                                                         "status": "planned"})  # fmt: skip
    agreement = PairAgreement.objects.get()
    client_for("street").post(f"/pilots/pairs/agreements/{agreement.pk}/status/", {"status": "done"})
    agreement.refresh_from_db()
    assert agreement.status == "done"  # the unit's secretary records for its own pair
    assert client_for("street_sibling").get(f"/pilots/pairs/{pair.pk}/").status_code == 404
    page = client.get(f"/pilots/programs/{program.pk}/pairs/")
    assert page.context["sum"]["meetings"] == 1 and page.context["sum"]["done"] == 1
    guidance.activity_add(by=world.users["county"], pair=pair, held_on=DAY, title="篮球赛", participants=40)
    assert client.get(f"/pilots/pairs/{pair.pk}/").context["totals"]["activities"] == 1


def test_fund_and_pair_lists_query_counts_are_flat(
    program, unit, world, client_for, django_assert_max_num_queries
):
    from league.models import Organization

    client = client_for("county")
    county = world.users["county"]

    def grow(n):
        for _i in range(n):
            fund = funds.fund_create(
                by=county, organization=world.county, program=program, name=f"基金{grow.k}"
            )
            funds.entry_add(
                by=county, fund=fund, kind="source", amount="100", entry_date=DAY, source="工作经费"
            )
            organ = OrganizationFactory(code=f"ZJ-NB-YZ-G{grow.k}", name=f"机关{grow.k}", parent=world.county)
            guidance.pair_create(by=county, program=program, organ=organ, unit=unit, starts_on=DAY)
            grow.k += 1

    grow.k = 0
    grow(1)
    counts = []
    for _ in range(2):
        for url in ("/pilots/funds/", f"/pilots/programs/{program.pk}/pairs/"):
            with django_assert_max_num_queries(60) as ctx:
                assert client.get(url).status_code == 200
            counts.append(len(ctx.captured_queries))
        grow(8)
    assert counts[:2] == counts[2:], counts
    assert Organization.objects.filter(code__startswith="ZJ-NB-YZ-G").count() == 17


def test_a_fund_is_held_by_a_committee_with_staff_not_by_a_street_or_branch(client_for, world):
    """The create form offers the committees the staffer manages that may hold a fund (no street or branch:
    those apply to a fund as units); a street posted anyway is refused naming the field, nothing stored."""
    from pilots.funds.models import Fund

    client = client_for("county")
    page = client.get("/pilots/funds/")
    options = dict(page.context["form"].fields["organization"].choices)
    assert world.county.pk in {getattr(k, "value", k) for k in options}
    assert not ({getattr(k, "value", k) for k in options} & {world.zhonghe.pk, world.shounan.pk})
    before = Fund.objects.count()
    response = client.post(
        "/pilots/funds/new/", {"name": "街道基金", "organization": world.zhonghe.pk}, follow=True
    )
    assert Fund.objects.count() == before
    assert any("Organization" in str(m) or "组织" in str(m) for m in response.context["messages"])
    with pytest.raises(funds.PilotError) as refused:
        funds.fund_create(by=world.users["county"], organization=world.zhonghe, name="街道基金")
    assert refused.value.field == "organization" and "鄞州区中河街道团工委" in refused.value.message
    assert Fund.objects.count() == before
    created = funds.fund_create(by=world.users["county"], organization=world.county, name="县试点基金")
    assert created.organization == world.county
