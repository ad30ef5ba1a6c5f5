"""The filing pages a secretary opens at month end (the burst journey) keep their query counts."""

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
    # session, user, memberships and the unread count are in every count; the report page of a secretary skips
    # the parent organization (they review nothing), the form reads no last version (it never showed it).
    assert counts == {"my reports": 6, "start report": 13, "report form": 6, "save draft": 12, "submit": 14,
                      "report page": 8, "report page (reviewer)": 9}  # fmt: skip
