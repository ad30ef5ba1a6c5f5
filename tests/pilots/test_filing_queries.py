"""The filing pages a secretary opens at month end (the burst journey) keep their query counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pilots.models import Report
from tests.pilots.conftest import month_start
from tests.pilots.factories import REPORT_TEXT, filed_report

FORM = {
    **{k: v for k, v in REPORT_TEXT.items() if k != "figures"},
    **{f"fig_{k}": v for k, v in REPORT_TEXT["figures"].items()},
}


def _count(fn):
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    return response, len(ctx.captured_queries)


@pytest.mark.django_db
def test_filing_journey_query_counts(recent_program, client_for, world):
    # Something under "recently filed".
    filed_report(
        recent_program.slots.get(organization=world.zhonghe, period_start=month_start(-2)),
        world.users["street"],
    )
    client = client_for("street")
    client.get("/")  # the session and menus warm, as in the journey
    slot = recent_program.slots.get(organization=world.zhonghe, period_start=month_start(-1))
    response, n = _count(lambda: client.get("/pilots/my-reports/"))
    assert response.status_code == 200 and f'data-testid="file-{slot.pk}"' in response.content.decode()
    counts = {"my reports": n}
    response, counts["start report"] = _count(lambda: client.post(f"/pilots/slots/{slot.pk}/file/"))
    edit = response["Location"]
    response, counts["report form"] = _count(lambda: client.get(edit))
    assert response.status_code == 200
    response, counts["save draft"] = _count(lambda: client.post(edit, FORM))
    assert response.status_code == 302
    response, counts["submit"] = _count(lambda: client.post(edit, {**FORM, "submit": "1"}))
    assert response.status_code == 302 and Report.objects.get(slot=slot).state == "submitted"
    page = response["Location"]
    response, counts["report page"] = _count(lambda: client.get(page))
    assert response.status_code == 200 and 'data-testid="review-box"' not in response.content.decode()
    reviewer = client_for("county")
    reviewer.get("/")
    response, counts["report page (reviewer)"] = _count(lambda: reviewer.get(page))
    assert 'data-testid="review-box"' in response.content.decode()
    # session, user, memberships and the unread count are in every count; the report page reads no parent
    # organization (a reviewer's rights are checked on its path), the form reads no last version (it never showed it);
    # saving and submitting read the report once, locked, in the request's one transaction (no savepoint);
    # on PostgreSQL the submission's five writes are one statement (pilots/submission.py).
    submit = 7 if connection.vendor == "postgresql" else 11
    assert counts == {"my reports": 6, "start report": 13, "report form": 6, "save draft": 9, "submit": submit,
                      "report page": 8, "report page (reviewer)": 8}  # fmt: skip


@pytest.mark.django_db(transaction=True)  # the request's own transaction, as in production
def test_the_submit_post_reads_the_report_once_and_writes_each_row_once(recent_program, client_for, world):
    """The report form's Submit on a draft opened beforehand (the throughput benchmark's request)."""
    client = client_for("street")
    slot = recent_program.slots.get(organization=world.zhonghe, period_start=month_start(0))
    edit = client.post(f"/pilots/slots/{slot.pk}/file/")["Location"]
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(edit, {**FORM, "submit": "1"})
    assert response.status_code == 302
    # BEGIN and COMMIT are statements on SQLite only; no SAVEPOINT: the view's transaction is the service's.
    statements = [q["sql"] for q in ctx.captured_queries if q["sql"].split()[0] not in ("BEGIN", "COMMIT")]
    tables = [re.findall(r'(?:INTO|UPDATE|FROM) "(\w+)"', sql)[0] for sql in statements]
    writes = [re.findall(r'(?:INTO|UPDATE) "(\w+)"', sql) for sql in statements[4:]]
    assert tables[:4] == [
        "django_session", "auth_user", "league_membership",  # as on every page
        "pilots_report",  # the report with its slot, organization and program, locked, read once
    ]  # fmt: skip
    written = ["pilots_report", "pilots_historicalreport", "league_historyorigin",  # saved and submitted, audited
               "pilots_reportversion", "pilots_reporttally"]  # the version; the counters in one statement  # fmt: skip
    if connection.vendor == "postgresql":  # one statement writes them all (pilots/submission.py)
        assert writes == [written] and statements[4].startswith("WITH")
    else:
        assert writes == [[table] for table in written] and statements[4].startswith("UPDATE")
    report = Report.objects.get(slot=slot)
    assert report.state == "submitted" and report.versions.count() == 1 and report.history.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["street", "street_sibling", "county", "admin", "outsider"])
def test_outstanding_slots_are_those_of_the_organizations_in_scope(recent_program, world, persona):
    """On PostgreSQL the slots to file are scoped by their organization's path (the query joins it anyway), on
    SQLite by the ids of the organizations in scope: the same slots, in the same order, for every persona."""
    from pilots.models import ReportSlot, today
    from pilots.selectors import by_organizations_in_scope, outstanding_slots_for

    user = world.users[persona]
    filed_report(
        recent_program.slots.get(organization=world.zhonghe, period_start=month_start(-2)),
        world.users["street"],
    )
    by_ids = (
        by_organizations_in_scope(ReportSlot.objects.all(), user, "file")
        .opened(today())
        .outstanding()
        .order_by("deadline", "organization__path")
    )
    expected = list(by_ids.values_list("pk", flat=True))
    assert list(outstanding_slots_for(user).values_list("pk", flat=True)) == expected
    assert bool(expected) == (persona in ("street", "street_sibling", "admin")), expected
