"""Property-based: any sequence of operations, valid or not, keeps the ledger adding up.

A small model predicts which operations are valid; the services must agree (refusing exactly the invalid
ones, changing nothing when they refuse), and after every step: balance = sources + refunded dues −
disbursements − rewards, never below zero, each entry's balance_after is the running sum, and no
application is paid beyond what was approved nor approved beyond what was requested.
"""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pilots.funds import services as funds
from pilots.funds import stats
from pilots.funds.models import DECIDED, LedgerEntry
from pilots.services import PilotError

DAY = dt.date(2026, 2, 1)
money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("4000"), places=2)
ops = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(["source", "refund", "reward"]), money),
        st.tuples(st.just("apply"), money),
        st.tuples(st.just("decide"), st.integers(0, 4), st.booleans(), money),
        st.tuples(st.just("disburse"), st.integers(0, 4), money),
        st.tuples(st.just("reverse"), st.integers(0, 30)),
    ),
    max_size=25,
)
counter = itertools.count()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=ops)
@pytest.mark.django_db
def test_any_sequence_keeps_the_ledger_adding_up(world, program, steps):
    county, street = world.users["county"], world.users["street"]
    fund = funds.fund_create(
        by=county, organization=world.county, program=program, name=f"基金{next(counter)}"
    )
    balance, apps, entries = Decimal("0"), [], []  # the model: apps [requested, approved|None, paid, decided]
    for step in steps:
        kind = step[0]
        try:
            if kind in ("source", "refund", "reward"):
                amount = step[1]
                ok = kind != "reward" or amount <= balance
                e = funds.entry_add(by=county, fund=fund, kind=kind, amount=amount, entry_date=DAY, source="来源",
                                    organization=None if kind == "source" else world.zhonghe)  # fmt: skip
                balance += e.amount
                entries.append(e)
            elif kind == "apply":
                ok = True
                a = funds.application_submit(by=street, fund=fund, organization=world.zhonghe, title="项目", plan="计划",
                                             amount=step[1])  # fmt: skip
                apps.append([a, step[1], None, Decimal("0"), False])
            elif kind == "decide":
                if not apps:
                    continue
                entry = apps[step[1] % len(apps)]
                a, requested, _approved, _paid, decided = entry
                approve, amount = step[2], step[3]
                ok = not decided and (not approve or amount <= requested)
                funds.application_decide(
                    by=county, application=a, approve=approve, amount=amount, reason="理由"
                )
                entry[2], entry[4] = (amount if approve else None), True
            elif kind == "disburse":
                if not apps:
                    continue
                entry = apps[step[1] % len(apps)]
                a, _requested, approved, paid, _decided = entry
                amount = step[2]
                ok = approved is not None and paid + amount <= approved and amount <= balance
                funds.disburse(by=county, application=a, amount=amount, on=DAY)
                entry[3] += amount
                balance -= amount
            else:  # reverse
                if not entries:
                    continue
                e = entries[step[1] % len(entries)]
                already = LedgerEntry.objects.filter(reverses=e).exists()
                ok = not e.reverses_id and not already and balance - e.amount >= 0
                r = funds.entry_reverse(by=county, entry=e, reason="更正")
                balance += r.amount
                entries.append(r)
                if e.application_id:
                    for row in apps:
                        if row[0].pk == e.application_id:
                            row[3] += e.amount  # a reversed disbursement is no longer paid
        except PilotError:
            assert not ok, step
        else:
            assert ok, step
        s = stats.summary(fund)
        assert s["balance"] == balance >= 0
        assert s["balance"] == s["sources"] + s["refunds"] - s["disbursed"] - s["rewards"]
        assert stats.check(fund)
        for a, requested, approved, paid, _decided in apps:
            a.refresh_from_db()
            assert a.disbursed() == paid
            if a.status in DECIDED:
                assert a.amount_approved == approved <= requested
                assert paid <= approved
