"""Two tabs submitting the same draft at the same moment store one submission (real PostgreSQL).

The report form's save and submit lock the report row (services.report_lock) when they first read it, so
the second request waits, then finds the report submitted and is sent to it with a message.
"""

import threading

import pytest
from django.db import connection
from django.test import Client

from pilots import tallies
from pilots.models import Report, ReportState
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
    barrier = threading.Barrier(2)
    results = []

    def run(progress):
        try:
            client = Client()
            client.force_login(world.users["street"])
            barrier.wait(timeout=10)
            response = client.post(edit, _form(progress=progress, submit="1"), follow=True)
            # the page's text, not response.context: the test client's template signal is shared by threads
            results.append((response.status_code, response.content.decode()))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(p,)) for p in ("第一个标签页", "第二个标签页")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
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
    barrier = threading.Barrier(2)
    results = []

    def run(persona):
        try:
            client = Client()
            client.force_login(world.users[persona])
            barrier.wait(timeout=10)
            results.append(client.post(edits[persona][1], _form(submit="1")).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(p,)) for p in edits]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert results == [302, 302]
    for slot, _ in edits.values():
        report = Report.objects.get(slot=slot)
        assert report.state == ReportState.SUBMITTED and report.versions.count() == 1
    assert tallies.stored() == tallies.recount()
