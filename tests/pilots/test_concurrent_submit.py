"""Two tabs submitting the same draft at the same moment store one submission (real PostgreSQL).

The report form's save and submit lock the report row (services.report_lock) when they first read it, so
the second request waits, then finds the report submitted and is sent to it with a message.
"""

import pytest
from django.db import connection

from pilots import tallies
from pilots.models import Report, ReportState
from tests.concurrency import post_as, race
from tests.pilots.conftest import month_start
from tests.pilots.test_pages import _form

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL: make test runs this in its PostgreSQL pass")


def test_two_tabs_submitting_one_draft_at_once_store_one_version(recent_program, client_for, world):
    slot = recent_program.slots.get(organization=world.zhonghe, period_start=month_start(0))
    edit = client_for("street").post(f"/pilots/slots/{slot.pk}/file/")["Location"]
    tabs = [
        post_as(world.users["street"], edit, _form(progress=progress, submit="1"), follow=True)
        for progress in ("第一个标签页", "第二个标签页")
    ]
    responses, errors = race(tabs)
    assert errors == [None, None], errors
    # the page's text, not response.context: the test client's template signal is shared by threads
    results = [(response.status_code, response.content.decode()) for response in responses]
    assert [code for code, _ in results] == [200, 200]
    submitted, refused = (sum(text in page for _, page in results) for text in ("报告已报送。", "不能再修改"))
    assert (submitted, refused) == (1, 1)  # "Report submitted." and "… can no longer be changed."
    report = Report.objects.get(slot=slot)
    assert report.state == ReportState.SUBMITTED and report.version == 1 and report.versions.count() == 1
    assert report.versions.get().progress == report.progress
    assert report.history.filter(state=ReportState.SUBMITTED).count() == 1
    assert tallies.stored() == tallies.recount()


def test_two_streets_submitting_at_once_both_count_in_their_ancestors(recent_program, client_for, world):
    """Two secretaries of sibling streets submit at the same moment: both reports are stored, and the shared
    counter rows of their county, city, province and country hold both (the upsert locks rows in key order)."""
    edits = {}
    for persona, organization in (("street", world.zhonghe), ("street_sibling", world.shounan)):
        slot = recent_program.slots.get(organization=organization, period_start=month_start(0))
        edits[persona] = (slot, client_for(persona).post(f"/pilots/slots/{slot.pk}/file/")["Location"])
    responses, errors = race(
        [post_as(world.users[p], edit, _form(submit="1")) for p, (_, edit) in edits.items()]
    )
    assert errors == [None, None], errors
    assert [response.status_code for response in responses] == [302, 302]
    for slot, _ in edits.values():
        report = Report.objects.get(slot=slot)
        assert report.state == ReportState.SUBMITTED and report.versions.count() == 1
    assert tallies.stored() == tallies.recount()
