"""draft → submitted → returned (reason) → submitted → accepted, with permissions and kept versions."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from league.models import Notice
from pilots import services
from pilots.models import Report, ReportState, ReturnReason
from tests.pilots.factories import filed_report

NOW = dt.datetime(2026, 1, 30, 4, tzinfo=dt.UTC)


def test_full_cycle_keeps_every_version(jan_slot, world):
    street, county = world.users["street"], world.users["county"]
    report = filed_report(jan_slot, street, now=NOW)
    assert (report.state, report.version, report.late) == (ReportState.SUBMITTED, 1, False)
    report = services.report_return(report=report, by=county, reason=ReturnReason.FIGURES,
                                    comment="活动次数与附件不符", now=NOW)  # fmt: skip
    assert report.state == ReportState.RETURNED
    jan_slot.refresh_from_db()
    assert jan_slot.deadline == dt.date(2026, 2, 6)  # reopened for a week
    services.report_save(report=report, by=street, **{**report.snapshot(), "figures": {
        "youth_reached": 320, "activities": 6, "funds_raised": 5000}})  # fmt: skip
    report = services.report_submit(report=report, by=street, now=NOW + dt.timedelta(days=3))
    assert report.version == 2 and report.late is False  # within the reopened deadline
    report = services.report_accept(report=report, by=county)
    assert report.state == ReportState.ACCEPTED
    v1, v2 = report.versions.order_by("number")
    assert v1.figures["activities"] == 4 and v2.figures["activities"] == 6
    assert v1.return_reason == ReturnReason.FIGURES and v1.return_comment == "活动次数与附件不符"


def test_return_notifies_the_filer(jan_slot, world, django_capture_on_commit_callbacks):
    report = filed_report(jan_slot, world.users["street"], now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_return(report=report, by=world.users["county"], reason=ReturnReason.VAGUE,
                               comment="请写明具体活动", now=NOW)  # fmt: skip
    notice = Notice.objects.get(recipient=world.users["street"])
    assert "请写明具体活动" in notice.body and notice.url == f"/pilots/reports/{report.pk}/"


def test_submitting_after_the_deadline_is_late(jan_slot, world):
    report = filed_report(jan_slot, world.users["street"], now=dt.datetime(2026, 2, 1, 2, tzinfo=dt.UTC))
    assert report.late is True and report.versions.get().late is True


def test_sibling_secretary_cannot_file_for_another_street(jan_slot, world):
    with pytest.raises(PermissionDenied):
        services.report_start(slot=jan_slot, by=world.users["street_sibling"], on=dt.date(2026, 1, 5))
    assert not Report.objects.exists()


def test_secretary_cannot_review_and_other_county_cannot_either(jan_slot, world):
    report = filed_report(jan_slot, world.users["street"], now=NOW)
    for name in ("street", "other_county", "instructor"):
        with pytest.raises(PermissionDenied):
            services.report_accept(report=report, by=world.users[name])
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert services.report_accept(report=report, by=world.users["city"]).state == ReportState.ACCEPTED


def test_period_not_yet_open_is_refused(program, world):
    dec = program.slots.get(organization=world.zhonghe, period_start=dt.date(2026, 12, 1))
    with pytest.raises(services.PilotError) as exc:
        services.report_start(slot=dec, by=world.users["street"], on=dt.date(2026, 11, 20))
    assert "2026-12" in exc.value.message and exc.value.field == "period"
    assert not Report.objects.exists()


def test_second_report_for_the_same_slot_is_refused(jan_slot, world):
    filed_report(jan_slot, world.users["street"], now=NOW)
    with pytest.raises(services.PilotError) as exc:
        services.report_start(slot=jan_slot, by=world.users["street"], on=dt.date(2026, 1, 5))
    assert "already" in exc.value.message
    assert Report.objects.count() == 1


def test_submit_with_required_fields_empty_names_them(jan_slot, world):
    street = world.users["street"]
    report = services.report_start(slot=jan_slot, by=street, on=dt.date(2026, 1, 5))
    services.report_save(report=report, by=street, progress="有进展", figures={"activities": 2})
    with pytest.raises(services.PilotError) as exc:
        services.report_submit(report=report, by=street, now=NOW)
    assert "problems met" in exc.value.message and "服务青年人数" in exc.value.message
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT and report.version == 0 and not report.versions.exists()


def test_figures_must_be_non_negative_numbers(jan_slot, world):
    street = world.users["street"]
    report = services.report_start(slot=jan_slot, by=street, on=dt.date(2026, 1, 5))
    for bad in ("abc", "-3"):
        with pytest.raises(services.PilotError) as exc:
            services.report_save(report=report, by=street, progress="x", figures={"activities": bad})
        assert exc.value.field == "activities"
    report.refresh_from_db()
    assert report.progress == "" and report.figures == {}


def test_accepting_a_returned_report_is_refused(jan_slot, world):
    county = world.users["county"]
    report = filed_report(jan_slot, world.users["street"], now=NOW)
    services.report_return(report=report, by=county, reason=ReturnReason.OTHER, comment="补充", now=NOW)
    with pytest.raises(services.PilotError) as exc:
        services.report_accept(report=report, by=county)
    assert "Returned for revision" in exc.value.message
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED and report.reviewed_by == county


def test_return_needs_a_reason_and_comment(jan_slot, world):
    report = filed_report(jan_slot, world.users["street"], now=NOW)
    with pytest.raises(services.PilotError) as exc:
        services.report_return(report=report, by=world.users["county"], reason="", comment="x")
    assert exc.value.field == "reason"
    with pytest.raises(services.PilotError) as exc:
        services.report_return(
            report=report, by=world.users["county"], reason=ReturnReason.OTHER, comment=" "
        )
    assert exc.value.field == "comment"
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_submitted_report_cannot_be_edited(jan_slot, world):
    report = filed_report(jan_slot, world.users["street"], now=NOW)
    with pytest.raises(services.PilotError):
        services.report_save(report=report, by=world.users["street"], progress="改")
    report.refresh_from_db()
    assert report.progress.startswith("完成")
