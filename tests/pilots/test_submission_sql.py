"""A submission written in one statement (pilots/submission.py) stores the rows the ORM path stores.

Each case submits the same report twice, each time in a transaction rolled back: once through the ORM
(report.save, simple_history's post_save and league.history's origin, ReportVersion.objects, the counters'
upsert), once in one statement, and compares every row written. PostgreSQL only (SQLite takes the ORM path):
make test runs these in its PostgreSQL pass.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from django.db.models.signals import pre_save
from django.test.utils import CaptureQueriesContext
from simple_history.models import HistoricalRecords

from league.models import HistoryOrigin
from pilots import services, submission, tallies
from pilots.models import Report, ReportState, ReportVersion, ReturnReason
from tests.pilots.factories import REPORT_TEXT, filed_report

pytestmark = pytest.mark.django_db

ON_TIME = dt.datetime(2026, 1, 30, 4, tzinfo=dt.UTC)
LATE = dt.datetime(2026, 2, 3, 4, tzinfo=dt.UTC)  # January's deadline is 2026-01-31 (no grace)
CONTENT = {**REPORT_TEXT, "progress": "  本月召开青年座谈会。 ", "figures": {"youth_reached": "1,200",
           "activities": "3", "funds_raised": "800.5"}}  # fmt: skip


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes the ORM path: make test runs this in its PostgreSQL pass")


@pytest.fixture
def request_context():
    """The request simple_history's middleware keeps while a view runs (the history's user and IP)."""

    def enter(user, address="203.0.113.7"):
        HistoricalRecords.context.request = SimpleNamespace(user=user, META={"REMOTE_ADDR": address})

    yield enter
    if hasattr(HistoricalRecords.context, "request"):
        del HistoricalRecords.context.request


def _stored(report_pk, history_before, versions_before) -> dict:
    """Every row the submission wrote or changed, without the ids and instants a second run makes anew."""
    history = list(Report.history.filter(id=report_pk, history_id__gt=history_before).order_by("history_id")
                   .values())  # fmt: skip
    ids = [h.pop("history_id") for h in history]
    for h in history:
        h["history_date"] = h["history_date"] is not None
    origins = [
        {**o, "history_id": ids.index(o["history_id"])}
        for o in HistoryOrigin.objects.filter(
            history_model="pilots.historicalreport", history_id__in=ids
        ).values("history_model", "history_id", "ip_address")
    ]
    versions = [
        {k: v for k, v in version.items() if k != "id"}
        for version in ReportVersion.objects.filter(report_id=report_pk, pk__gt=versions_before)
        .order_by("pk")
        .values()
    ]
    return {
        "report": Report.objects.filter(pk=report_pk).values().get(),
        "history": history,
        "origins": origins,
        "versions": versions,
        "tallies": tallies.stored(),
    }


def _submit_both_ways(report_pk, monkeypatch, **kwargs) -> tuple[dict, dict]:
    """The rows after submitting `report_pk` through the ORM, then in one statement (each rolled back)."""
    history_before = max(Report.history.values_list("history_id", flat=True), default=0)
    versions_before = max(ReportVersion.objects.values_list("pk", flat=True), default=0)
    out = {}
    for one_statement in (False, True):
        monkeypatch.setattr(submission, "applies", lambda report, one_statement=one_statement: one_statement)
        with transaction.atomic():
            with CaptureQueriesContext(connection) as ctx:
                report = services.report_lock(by=kwargs["by"], pk=report_pk)
                services.report_submit(report=report, locked=True, **kwargs)
            writes = [q["sql"].split()[0] for q in ctx.captured_queries if not q["sql"].startswith("SELECT")]
            out[one_statement] = _stored(report_pk, history_before, versions_before)
            transaction.set_rollback(True)
        assert (
            writes == ["WITH"] if one_statement else writes[0] == "UPDATE" and set(writes[1:]) == {"INSERT"}
        )
    return out[False], out[True]


@pytest.mark.parametrize("now", [ON_TIME, LATE], ids=["on time", "late"])
@pytest.mark.parametrize("content", [CONTENT, None], ids=["saved and submitted", "submitted as saved"])
def test_a_draft_submitted_in_one_statement_stores_what_the_orm_stores(jan_slot, world, monkeypatch,
                                                                       request_context, now, content):  # fmt: skip
    street = world.users["street"]
    report = filed_report(jan_slot, street, submit=False)
    request_context(street)
    orm, one = _submit_both_ways(report.pk, monkeypatch, by=street, now=now, content=content)
    assert one == orm
    assert one["report"]["state"] == ReportState.SUBMITTED and one["report"]["late"] is (now == LATE)
    assert len(one["history"]) == 1 and one["history"][0]["history_user_id"] == street.pk
    assert one["history"][0]["history_type"] == "~" and one["history"][0]["history_change_reason"] is None
    assert one["origins"] == [{"history_model": "pilots.historicalreport", "history_id": 0,
                               "ip_address": "203.0.113.7"}]  # fmt: skip
    assert len(one["versions"]) == 1 and one["versions"][0]["late"] is (now == LATE)


def test_a_returned_report_resubmitted_in_one_statement_stores_what_the_orm_stores(jan_slot, world, monkeypatch,
                                                                                   request_context):  # fmt: skip
    """A late first version, returned (its deadline reopens), resubmitted on time: the report stays late, the
    new version is not; the counters move from returned to filed late."""
    street = world.users["street"]
    report = filed_report(jan_slot, street, now=LATE)
    services.report_return(report=report, by=world.users["county"], reason=ReturnReason.FIGURES,
                           comment="数字不符", now=LATE)  # fmt: skip
    request_context(street, "2001:db8::5")
    orm, one = _submit_both_ways(report.pk, monkeypatch, by=street, now=LATE + dt.timedelta(days=2),
                                 content={**REPORT_TEXT, "problems": "已核对"})  # fmt: skip
    assert one == orm
    assert (one["report"]["version"], one["report"]["late"], one["report"]["return_reason"]) == (2, True, "")
    assert [v["late"] for v in one["versions"]] == [False]
    assert one["origins"][0]["ip_address"] == "2001:db8::5"


def test_without_a_request_no_origin_is_stored_and_the_history_has_no_user(jan_slot, world, monkeypatch):
    """A submission outside a request (a task, the shell): simple_history names no user, league.history no IP."""
    street = world.users["street"]
    report = filed_report(jan_slot, street, submit=False)
    orm, one = _submit_both_ways(report.pk, monkeypatch, by=street, now=ON_TIME, content=None)
    assert one == orm
    assert one["origins"] == [] and one["history"][0]["history_user_id"] is None


def test_the_counters_of_every_level_stay_exact(jan_slot, world, request_context):
    street = world.users["street"]
    report = filed_report(jan_slot, street, submit=False)
    request_context(street)
    with transaction.atomic():
        report = services.report_lock(by=street, pk=report.pk)
        services.report_submit(report=report, by=street, now=LATE, content=REPORT_TEXT, locked=True)
    assert tallies.stored() == tallies.recount()
    assert Report.objects.get(pk=report.pk).state == ReportState.SUBMITTED


def test_it_applies_with_the_receivers_it_stands_in_for(jan_slot, world, settings):
    report = filed_report(jan_slot, world.users["street"], submit=False)
    assert submission.applies(report)
    report.skip_history_when_saving = True  # simple_history's way of saving without a historical row
    assert not submission.applies(report)
    del report.skip_history_when_saving
    settings.SIMPLE_HISTORY_ENABLED = False
    assert not submission.applies(report)


def test_another_receiver_sends_the_submission_through_the_orm(jan_slot, world):
    """A receiver the one statement would not call (an audit hook, say) makes the ORM path run, which calls it."""
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.number)

    street = world.users["street"]
    report = filed_report(jan_slot, street, submit=False)
    pre_save.connect(receiver, sender=ReportVersion)
    try:
        assert not submission.applies(report)
        services.report_submit(report=report, by=street, now=ON_TIME)
    finally:
        pre_save.disconnect(receiver, sender=ReportVersion)
    assert seen == [1] and submission.applies(report)
    assert Report.objects.get(pk=report.pk).state == ReportState.SUBMITTED
