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


@pytest.mark.parametrize("persona", ["county", "province", "admin", "street"])
def test_the_panels_one_statement_reads_the_orms_count_and_oldest_rows(
    recent_program, world, persona, monkeypatch
):
    """review_summary (SQL written once) gives the count and the oldest rows of the ORM's two queries it replaces:
    the same reports in the same order (ties on the submission time by id), their periods and organizations,
    capped alike, for reviewers of a county, a province and the whole country (and nothing for a secretary)."""
    from django.utils import timezone

    from pilots.models import Report
    from pilots.selectors import review_queue_for

    at = timezone.now().replace(microsecond=0)
    secretary = {world.zhonghe.pk: world.users["street"], world.shounan.pk: world.users["street_sibling"]}
    slots = recent_program.slots.filter(period_start__lte=month_start(0)).order_by("-period_start", "-id")
    for i, slot in enumerate(slots):  # tied three by three on the submission time, not in id order
        report = filed_report(slot, secretary[slot.organization_id])
        Report.objects.filter(pk=report.pk).update(submitted_at=at.replace(hour=i % 3))
    user = world.users[persona]

    def orm(cap):
        queue = review_queue_for(user)
        count = queue.order_by()[: cap + 1].count()
        oldest = list(queue.select_related(None).select_related("slot__organization")
                      .only(*panels.HOME_REVIEW_FIELDS)[: panels.HOME_REVIEW_COUNT])  # fmt: skip
        return count, [(r.pk, r.slot_id, r.slot.period_label, r.slot.organization.pk, r.slot.organization.name)
                       for r in oldest]  # fmt: skip

    for cap in (panels.REVIEW_COUNT_CAP, 2):
        monkeypatch.setattr(panels, "REVIEW_COUNT_CAP", cap)
        expected = orm(cap)
        if persona == "street":
            assert expected == (0, [])
        count, oldest = panels.review_summary(user)
        got = [(r.pk, r.slot_id, r.slot.period_label, r.slot.organization.pk, r.slot.organization.name)
               for r in oldest]  # fmt: skip
        assert (count, got) == expected
    if persona != "street":
        assert expected[0] == 3 and len(expected[1]) == panels.HOME_REVIEW_COUNT
