"""Fund ledger: sources, applications, decisions, disbursements, refunds, rewards, reversals, bad input."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, InternalError, transaction

from pilots.funds import services as funds
from pilots.funds import stats
from pilots.funds.models import AppendOnlyError, ApplicationStatus, LedgerEntry, ProjectApplication
from pilots.services import PilotError

JAN2 = dt.date(2026, 1, 2)


def test_sources_add_up_to_ten_thousand(funded):
    s = stats.summary(funded)
    assert s["sources"] == Decimal("10000.00") and s["balance"] == Decimal("10000.00")
    assert [e.balance_after for e in funded.entries.all()] == [Decimal("3000.00"), Decimal("10000.00")]
    assert stats.check(funded)


def test_approve_in_part_then_disburse(application, world):
    county = world.users["county"]
    app = funds.application_decide(by=county, application=application, approve=True, amount="1500.00",
                                   reason="场地由街道提供")  # fmt: skip
    assert app.status == ApplicationStatus.PARTLY and app.amount_approved == Decimal("1500.00")
    funds.disburse(by=county, application=app, amount="1000", on=JAN2)
    s = stats.summary(app.fund)
    assert (s["approved"], s["disbursed"], s["committed"], s["balance"]) == (
        Decimal("1500.00"),
        Decimal("1000.00"),
        Decimal("500.00"),
        Decimal("9000.00"),
    )
    assert stats.per_unit(app.fund)[0]["disbursed"] == Decimal("1000.00")
    with pytest.raises(PilotError, match="more than the 500.00 yuan approved") as exc:
        funds.disburse(by=county, application=app, amount="500.01", on=JAN2)
    assert exc.value.field == "amount"


def test_approve_in_full_with_immediate_disbursement(application, world):
    app = funds.application_decide(by=world.users["county"], application=application, approve=True,
                                   disburse_now=True)  # fmt: skip
    assert app.status == ApplicationStatus.APPROVED
    assert app.disbursed() == Decimal("2000.00") and app.fund.balance() == Decimal("8000.00")


def test_deciding_twice_is_refused(application, world):
    county = world.users["county"]
    funds.application_decide(by=county, application=application, approve=True, disburse_now=True)
    with pytest.raises(PilotError, match="already decided"):
        funds.application_decide(by=county, application=application, approve=True, disburse_now=True)
    assert LedgerEntry.objects.filter(kind="disbursement").count() == 1


def test_reject_needs_a_reason(application, world):
    with pytest.raises(PilotError) as exc:
        funds.application_decide(by=world.users["county"], application=application, approve=False, reason=" ")
    assert exc.value.field == "reason"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    app = funds.application_decide(by=world.users["county"], application=application, approve=False,
                                   reason="方案不具体")  # fmt: skip
    assert app.status == ApplicationStatus.REJECTED
    with pytest.raises(PilotError, match="Only an approved application"):
        funds.disburse(by=world.users["county"], application=app, amount="1", on=JAN2)


def test_approved_cannot_exceed_request(application, world):
    with pytest.raises(PilotError, match="exceeds the 2,000.00 yuan requested") as exc:
        funds.application_decide(
            by=world.users["county"], application=application, approve=True, amount="2000.01"
        )
    assert exc.value.field == "amount_approved"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_database_refuses_approved_above_request(application):
    ProjectApplication.objects.filter(pk=application.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectApplication.objects.filter(pk=application.pk).update(
            status="approved", amount_approved=Decimal("2500"), decided_at=application.applied_at
        )


@pytest.mark.parametrize(
    "amount",
    ["-5", "0", "abc", "1.005", "NaN", "Infinity", "", "1e20", "1e999999", "-1e999999", "1e-999999", None],
)
def test_bad_amounts_store_nothing(fund, world, amount):
    with pytest.raises(PilotError) as exc:
        funds.entry_add(by=world.users["county"], fund=fund, kind="source", amount=amount, entry_date=JAN2,
                        source="工作经费")  # fmt: skip
    assert exc.value.field == "amount"
    assert not fund.entries.exists()


def test_float_amounts_are_refused(fund, world):
    with pytest.raises(PilotError, match="not a float"):
        funds.entry_add(
            by=world.users["county"], fund=fund, kind="source", amount=0.1, entry_date=JAN2, source="x"
        )


def test_disbursement_beyond_balance_is_refused(fund, world):
    county = world.users["county"]
    funds.entry_add(by=county, fund=fund, kind="source", amount="1000", entry_date=JAN2, source="工作经费")
    app = funds.application_submit(by=world.users["street"], fund=fund, organization=world.zhonghe, title="活动",
                                   plan="计划", amount="1500")  # fmt: skip
    funds.application_decide(by=county, application=app, approve=True)
    with pytest.raises(PilotError, match="below zero"):
        funds.disburse(by=county, application=app, amount="1500", on=JAN2)
    assert fund.balance() == Decimal("1000.00") and fund.entries.count() == 1


def test_reward_and_refund_are_entries_for_a_unit(funded, world):
    county = world.users["county"]
    funds.entry_add(by=county, fund=funded, kind="refund", amount="320", entry_date=JAN2,
                    organization=world.zhonghe, memo="2026年度团费退返")  # fmt: skip
    funds.entry_add(by=county, fund=funded, kind="reward", amount="500", entry_date=JAN2,
                    organization=world.zhonghe, memo="选树为全市先进典型")  # fmt: skip
    s = stats.summary(funded)
    assert (s["refunds"], s["rewards"], s["balance"]) == (
        Decimal("320.00"),
        Decimal("500.00"),
        Decimal("9820.00"),
    )
    with pytest.raises(PilotError) as exc:
        funds.entry_add(by=county, fund=funded, kind="reward", amount="500", entry_date=JAN2,
                        organization=world.zhuangqiao)  # fmt: skip
    assert exc.value.field == "organization"


def test_entries_are_reversed_never_edited(funded, world):
    county = world.users["county"]
    first = funded.entries.get(seq=1)
    with pytest.raises(AppendOnlyError):
        first.memo = "改"
        first.save()
    with pytest.raises(AppendOnlyError):
        first.delete()
    with (
        pytest.raises((IntegrityError, InternalError), match="append-only"),
        transaction.atomic(),
    ):  # a trigger
        LedgerEntry.objects.filter(pk=first.pk).update(amount=Decimal("1"))
    reversal = funds.entry_reverse(by=county, entry=first, reason="记错了")
    assert reversal.amount == Decimal("-3000.00") and reversal.created_by == county
    assert funded.balance() == Decimal("7000.00") and stats.check(funded)
    with pytest.raises(PilotError, match="already reversed"):
        funds.entry_reverse(by=county, entry=first, reason="again")
    with pytest.raises(PilotError, match="cannot itself be reversed"):
        funds.entry_reverse(by=county, entry=reversal, reason="again")


def test_reversing_a_source_cannot_go_below_zero(application, world):
    county = world.users["county"]
    funds.application_decide(by=county, application=application, approve=True, disburse_now=True)
    funds.entry_reverse(by=county, entry=application.fund.entries.get(seq=1), reason="退回")  # 8000 − 3000
    with pytest.raises(PilotError, match="below zero"):
        funds.entry_reverse(by=county, entry=application.fund.entries.get(seq=2), reason="退回")


def test_budget_lines_must_add_up(funded, world):
    with pytest.raises(PilotError, match="add up to 900.00 yuan") as exc:
        funds.application_submit(by=world.users["street"], fund=funded, organization=world.zhonghe, title="t",
                                 plan="p", amount="1000", budget_lines=[{"item": "a", "amount": "900"}])  # fmt: skip
    assert exc.value.field == "budget_lines"
    assert not ProjectApplication.objects.exists()


def test_who_may_write(application, world):
    with pytest.raises(PermissionDenied):
        funds.application_decide(by=world.users["street"], application=application, approve=True)
    with pytest.raises(PermissionDenied):
        funds.application_submit(by=world.users["street_sibling"], fund=application.fund, organization=world.zhonghe,
                                 title="t", plan="p", amount="1")  # fmt: skip
    with pytest.raises(PermissionDenied):
        funds.entry_add(by=world.users["other_county"], fund=application.fund, kind="source", amount="1",
                        entry_date=JAN2, source="x")  # fmt: skip


def test_future_dates_are_refused(fund, world):
    with pytest.raises(PilotError) as exc:
        funds.entry_add(by=world.users["county"], fund=fund, kind="source", amount="1",
                        entry_date=dt.date.today() + dt.timedelta(days=2), source="x")  # fmt: skip
    assert exc.value.field == "entry_date"
