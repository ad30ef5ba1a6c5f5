"""Two staff deciding or paying the same application at the same moment pay it once (real PostgreSQL).

Each request runs in its own thread with its own database connection; a barrier releases them together.
The fund row is locked (SELECT … FOR UPDATE) before the application is read, so the second request waits,
then sees the first one's decision or payment and is refused with a message.
"""

from decimal import Decimal

import pytest
from django.db import connection

from pilots.funds import services as funds
from pilots.funds.models import LedgerEntry
from tests.concurrency import post_as, race

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL: make test runs this in its PostgreSQL pass")


def _together(world, names, url, data):
    jobs = [post_as(world.users[name], url, data, follow=True) for name in names]
    responses, errors = race(jobs)
    assert errors == [None] * len(names), errors
    return {
        name: (response.status_code, [str(m) for m in response.context["messages"]])
        for name, response in zip(names, responses, strict=True)
    }


def test_two_staff_approving_and_paying_at_once_pay_once(application, world):
    url = f"/pilots/funds/applications/{application.pk}/decide/"
    results = _together(world, ["county", "city"], url, {"decision": "approve", "disburse_now": "on"})
    assert all(code == 200 for code, _messages in results.values())
    texts = [m for _code, messages in results.values() for m in messages]
    assert any("already decided" in t or "已" in t for t in texts), texts
    assert LedgerEntry.objects.filter(kind="disbursement").count() == 1
    assert application.fund.balance() == Decimal("8000.00")


def test_two_staff_paying_the_rest_at_once_pay_once(application, world):
    funds.application_decide(by=world.users["county"], application=application, approve=True)
    url = f"/pilots/funds/applications/{application.pk}/disburse/"
    _together(world, ["county", "city"], url, {"amount": "2000", "entry_date": "2026-03-01"})
    assert LedgerEntry.objects.filter(kind="disbursement").count() == 1
    application.refresh_from_db()
    assert application.disbursed() == Decimal("2000.00") and application.fund.balance() == Decimal("8000.00")
