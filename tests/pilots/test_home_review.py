"""The home page's review panel counts the queue only up to a cap (never every submitted report)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pilots import panels
from tests.pilots.conftest import month_start
from tests.pilots.factories import filed_report


@pytest.fixture
def two_waiting(recent_program, world):
    for org, user in ((world.zhonghe, "street"), (world.shounan, "street_sibling")):
        slot = recent_program.slots.get(organization=org, period_start=month_start(-1))
        filed_report(slot, world.users[user])


def _panel(client):
    with CaptureQueriesContext(connection) as ctx:
        html = client.get("/").content.decode()
    start = html.index('data-testid="home-review"')
    return html[start : html.index("</p>", start)], ctx.captured_queries


def test_the_exact_count_below_the_cap(two_waiting, client_for):
    text, _ = _panel(client_for("county"))
    assert "2" in text and ("超过" not in text and "More than" not in text)


def test_more_than_the_cap(two_waiting, client_for, monkeypatch):
    monkeypatch.setattr(panels, "REVIEW_COUNT_CAP", 1)
    text, queries = _panel(client_for("county"))
    assert ("超过 1 份" in text) or ("More than 1 " in text)
    assert any("LIMIT 2" in q["sql"] for q in queries if "COUNT(*)" in q["sql"])


def test_the_oldest_reports_show_their_organization_and_period_without_a_query_each(
    recent_program, client_for, world
):
    """The panel reads only the columns it shows: a second waiting report adds a row, not a query."""
    client = client_for("county")
    slots = [recent_program.slots.get(organization=org, period_start=month_start(-1))
             for org in (world.zhonghe, world.shounan)]  # fmt: skip
    filed_report(slots[0], world.users["street"])
    client.get("/")
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    report = filed_report(slots[1], world.users["street_sibling"])
    with CaptureQueriesContext(connection) as two:
        html = client.get("/").content.decode()
    assert len(two.captured_queries) == len(one.captured_queries)
    panel = html[html.index('data-testid="home-review"') :]
    assert f'/pilots/reports/{report.pk}/">{world.shounan.name} · {slots[1].period_label}</a>' in panel
