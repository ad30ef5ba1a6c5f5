"""Filing and reviewing through the pages: one click to file, the form, attachments, review in place."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from league import uploads
from league.models import Notice
from pilots import services
from pilots.models import Attachment, Report, ReportState, ReturnReason
from pilots.selectors import units_for
from tests.pilots.conftest import month_start
from tests.pilots.factories import REPORT_TEXT, PilotProgramFactory, filed_report

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _form(**overrides):
    data = {k: v for k, v in REPORT_TEXT.items() if k != "figures"}
    data.update({f"fig_{k}": v for k, v in REPORT_TEXT["figures"].items()})
    data.update(overrides)
    return data


def test_home_lists_what_is_due_and_files_in_one_click(recent_program, client_for, world):
    client = client_for("street")
    body = client.get("/").content.decode()
    assert 'data-testid="home-file"' in body and "首南" not in body
    slot = recent_program.slots.get(organization=world.zhonghe, period_start=month_start(-1))
    response = client.post(f"/pilots/slots/{slot.pk}/file/")
    report = Report.objects.get(slot=slot)
    assert response.status_code == 302 and response["Location"] == f"/pilots/reports/{report.pk}/edit/"
    # clicking again opens the same draft
    assert client.post(f"/pilots/slots/{slot.pk}/file/")["Location"] == response["Location"]
    assert Report.objects.filter(slot=slot).count() == 1


def test_home_shows_a_returned_report_with_its_reason_and_comment(recent_program, client_for, world):
    """The home list reads only the columns it shows; a returned report still shows why, and "Continue"."""
    slot = recent_program.slots.get(organization=world.zhonghe, period_start=month_start(-1))
    report = filed_report(slot, world.users["street"])
    client = client_for("street")
    client.cookies["django_language"] = "en"
    with CaptureQueriesContext(connection) as filed:
        client.get("/")
    services.report_return(
        report=report, by=world.users["county"], reason=ReturnReason.VAGUE, comment="写具体些"
    )
    with CaptureQueriesContext(connection) as returned:
        body = client.get("/").content.decode()
    assert len(returned.captured_queries) == len(filed.captured_queries)  # no column read row by row
    home = body[body.index('data-testid="home-file"') :]
    assert f"{ReturnReason.VAGUE.label}：写具体些" in home
    assert f'data-testid="file-{slot.pk}">Continue' in home and recent_program.name in home
    assert f"{world.zhonghe.name} · {slot.period_label}" in home


def test_file_a_report_with_an_attachment_and_submit(recent_program, client_for, world):
    client = client_for("street")
    slot = recent_program.slots.get(organization=world.zhonghe, period_start=month_start(0))
    client.post(f"/pilots/slots/{slot.pk}/file/")
    report = Report.objects.get(slot=slot)
    upload = uploads.in_memory(PNG, "活动照片.png")
    response = client.post(f"/pilots/reports/{report.pk}/edit/", {**_form(), "file": upload, "submit": "1"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and report.figures["activities"] == 4
    assert report.attachments.get().content_type == "image/png"


def test_submit_with_empty_fields_shows_which_and_stores_nothing(recent_program, client_for, world):
    client = client_for("street")
    slot = recent_program.slots.get(organization=world.zhonghe, period_start=month_start(0))
    client.post(f"/pilots/slots/{slot.pk}/file/")
    report = Report.objects.get(slot=slot)
    response = client.post(
        f"/pilots/reports/{report.pk}/edit/", _form(problems="", fig_activities="", submit="1")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "遇到的问题" in body and "开展活动次数" in body
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT and report.version == 0


def test_bad_figure_is_shown_on_its_field(recent_program, client_for, world):
    client = client_for("street")
    slot = recent_program.slots.get(organization=world.zhonghe, period_start=month_start(0))
    client.post(f"/pilots/slots/{slot.pk}/file/")
    report = Report.objects.get(slot=slot)
    response = client.post(f"/pilots/reports/{report.pk}/edit/", _form(fig_funds_raised="很多", save="1"))
    assert response.status_code == 200
    assert "筹集资金" in response.context["form"].errors["fig_funds_raised"][0]
    report.refresh_from_db()
    assert report.progress == ""


def test_disallowed_attachment_is_refused_with_its_name(recent_program, client_for, world):
    client = client_for("street")
    slot = recent_program.slots.get(organization=world.zhonghe, period_start=month_start(0))
    client.post(f"/pilots/slots/{slot.pk}/file/")
    report = Report.objects.get(slot=slot)
    bad = uploads.in_memory(b"#!/bin/sh\necho hi\n", "总结.docx")
    response = client.post(f"/pilots/reports/{report.pk}/edit/", {**_form(), "file": bad, "save": "1"})
    assert response.status_code == 200 and "总结.docx" in response.content.decode()
    assert not Attachment.objects.exists()


def test_period_not_open_cannot_be_filed(recent_program, client_for, world):
    slot = recent_program.slots.get(organization=world.zhonghe, period_start=month_start(1))
    response = client_for("street").post(f"/pilots/slots/{slot.pk}/file/", follow=True)
    assert not Report.objects.exists()
    assert month_start(1).strftime("%Y-%m") in response.content.decode()


def test_sibling_and_county_cannot_file_for_zhonghe(recent_program, client_for, world):
    slot = recent_program.slots.get(organization=world.zhonghe, period_start=month_start(0))
    assert client_for("street_sibling").post(f"/pilots/slots/{slot.pk}/file/").status_code == 404
    assert client_for("county").post(f"/pilots/slots/{slot.pk}/file/").status_code == 403
    assert not Report.objects.exists()


def test_attachment_is_served_only_in_scope_as_a_download(recent_program, client_for, world):
    slot = recent_program.slots.get(organization=world.zhonghe, period_start=month_start(0))
    street = world.users["street"]
    report = services.report_start(slot=slot, by=street)
    attachment = services.attachment_add(report=report, by=street, upload=uploads.in_memory(PNG, "照片.png"))
    response = client_for("county").get(f"/pilots/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff" and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    assert client_for("street_sibling").get(f"/pilots/attachments/{attachment.pk}/").status_code == 404
    assert client_for("outsider").get(f"/pilots/attachments/{attachment.pk}/").status_code == 404


def test_review_queue_accepts_and_returns_in_place(recent_program, client_for, world):
    street = world.users["street"]
    first = filed_report(
        recent_program.slots.get(organization=world.zhonghe, period_start=month_start(-2)), street
    )
    second = filed_report(
        recent_program.slots.get(organization=world.zhonghe, period_start=month_start(-1)), street
    )
    client = client_for("county")
    body = client.get("/pilots/reports/review/").content.decode()
    assert body.index(f"review-{first.pk}") < body.index(f"review-{second.pk}")  # oldest first
    hx = {"HTTP_HX_REQUEST": "true"}
    response = client.post(f"/pilots/reports/{first.pk}/review/", {"decision": "accept"}, **hx)
    assert response.status_code == 200 and f'id="review-{first.pk}"' in response.content.decode()
    response = client.post(
        f"/pilots/reports/{second.pk}/review/", {"decision": "return", "reason": "", "comment": "x"}, **hx
    )
    assert "退回原因" in response.content.decode() or "reason" in response.content.decode().lower()
    second.refresh_from_db()
    assert second.state == ReportState.SUBMITTED
    client.post(f"/pilots/reports/{second.pk}/review/", {"decision": "return", "reason": ReturnReason.FIGURES,
                                                          "comment": "数据不符"})  # fmt: skip
    first.refresh_from_db(), second.refresh_from_db()
    assert first.state == ReportState.ACCEPTED and second.state == ReportState.RETURNED


def test_accepting_a_returned_report_through_the_page_changes_nothing(recent_program, client_for, world):
    report = filed_report(recent_program.slots.get(organization=world.zhonghe, period_start=month_start(-1)),
                          world.users["street"])  # fmt: skip
    services.report_return(report=report, by=world.users["county"], reason=ReturnReason.OTHER, comment="补充")
    response = client_for("county").post(
        f"/pilots/reports/{report.pk}/review/", {"decision": "accept"}, follow=True
    )
    assert "退回" in response.content.decode()
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED


def test_secretary_cannot_review(recent_program, client_for, world):
    report = filed_report(recent_program.slots.get(organization=world.zhonghe, period_start=month_start(-1)),
                          world.users["street"])  # fmt: skip
    assert (
        client_for("street").post(f"/pilots/reports/{report.pk}/review/", {"decision": "accept"}).status_code
        == 403
    )
    assert client_for("street").get("/pilots/reports/review/").status_code == 403


def test_versions_can_be_compared(recent_program, client_for, world):
    street = world.users["street"]
    report = filed_report(
        recent_program.slots.get(organization=world.zhonghe, period_start=month_start(-1)), street
    )
    services.report_return(
        report=report, by=world.users["county"], reason=ReturnReason.VAGUE, comment="具体些"
    )
    services.report_save(
        report=report, by=street, **{**REPORT_TEXT, "progress": "新增副书记3名，召开座谈会2次。"}
    )
    services.report_submit(report=report, by=street)
    body = client_for("county").get(f"/pilots/reports/{report.pk}/compare/").content.decode()
    assert "diff-del" in body and "diff-add" in body and "召开座谈会2次" in body
    assert client_for("street_sibling").get(f"/pilots/reports/{report.pk}/compare/").status_code == 404


def test_returned_report_notice_reaches_the_street(
    recent_program, client_for, world, django_capture_on_commit_callbacks
):
    report = filed_report(recent_program.slots.get(organization=world.zhonghe, period_start=month_start(-1)),
                          world.users["street"])  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        client_for("county").post(f"/pilots/reports/{report.pk}/review/",
                                  {"decision": "return", "reason": ReturnReason.VAGUE, "comment": "请补充"})  # fmt: skip
    assert Notice.objects.filter(recipient=world.users["street"], kind="report_returned").exists()
    body = client_for("street").get("/").content.decode()
    assert "请补充" in body  # the home panel shows the reason


def test_report_list_filters_and_exports(recent_program, client_for, world):
    filed_report(
        recent_program.slots.get(organization=world.zhonghe, period_start=month_start(-1)),
        world.users["street"],
    )
    filed_report(recent_program.slots.get(organization=world.shounan, period_start=month_start(-1)),
                 world.users["street_sibling"], submit=False)  # fmt: skip
    client = client_for("county")
    page = client.get("/pilots/reports/?state=submitted").context["page"]
    listed = [
        Report.objects.get(pk=row[0]) for row in page
    ]  # rows are REPORT_ROW_COLUMNS tuples, the pk first
    assert [r.slot.organization.code for r in listed] == ["ZJ-NB-YZ-ZH"]
    response = client.get("/pilots/reports/export.xlsx?state=submitted")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    assert client_for("street").get("/pilots/reports/").context["page"].paginator.count == 1


def test_report_list_program_select_offers_the_programs_in_scope_and_filters(
    recent_program, client_for, world
):
    """The program select is written from (id, name) rows: the programs in scope, the chosen one selected; a
    program outside the scope is refused naming the field, as Django's ModelChoiceField refuses it."""
    from django import forms

    from pilots.selectors import programs_for
    from tests.pilots.factories import PilotProgramFactory

    filed_report(recent_program.slots.get(organization=world.zhonghe, period_start=month_start(-1)),
                 world.users["street"])  # fmt: skip
    elsewhere = PilotProgramFactory(organization=world.other_county_org, name="他县试点")
    client = client_for("county")
    client.cookies["django_language"] = "en"
    response = client.get(f"/pilots/reports/?program={recent_program.pk}")
    programs = list(programs_for(world.users["county"]).order_by("-starts_on", "name"))
    expected = forms.Select(choices=[("", "---------"), *((p.pk, p.name) for p in programs)]).render(
        "program", str(recent_program.pk), attrs={"id": "id_program"}
    )
    body = response.content.decode()
    assert expected in body and "他县试点" not in body and f'value="{recent_program.pk}" selected' in body
    listed = [Report.objects.get(pk=row[0]) for row in response.context["page"]]  # the pk first in each row
    assert [r.slot.program_id for r in listed] == [recent_program.pk]
    refused = client.get(f"/pilots/reports/?program={elsewhere.pk}").content.decode()
    assert 'invalid-feedback d-block">Select a valid choice.' in refused


def test_program_page_shows_units_and_phase_strip(recent_program, client_for, world):
    services.phase_add(by=world.users["county"], program=recent_program, name="实施",
                       starts_on=recent_program.starts_on, ends_on=recent_program.ends_on - dt.timedelta(days=3))  # fmt: skip
    body = client_for("county").get(f"/pilots/programs/{recent_program.pk}/").content.decode()
    assert "phase-strip" in body and "鄞州区首南街道团工委" in body
    assert "首南" not in client_for("street").get(f"/pilots/programs/{recent_program.pk}/").content.decode().split(
        'data-testid="unit-table"')[1]  # fmt: skip


@pytest.mark.parametrize("persona", ["admin", "province", "county", "street", "street_sibling", "instructor"])
def test_program_page_pages_the_units_in_scope(recent_program, client_for, world, persona, settings):
    """The units are counted by the path they keep: the pages hold exactly the units the user may see."""
    settings.PAGE_SIZE = 1
    in_scope = list(
        units_for(world.users[persona]).filter(program=recent_program).order_by("organization__path")
    )
    assert in_scope or persona == "instructor"
    client, url = client_for(persona), f"/pilots/programs/{recent_program.pk}/"
    shown = []
    for number in range(1, len(in_scope) + 1):
        page = client.get(f"{url}?page={number}").context["page"]
        assert page.paginator.count == len(in_scope)
        shown += [row[0] for row in page.object_list]  # (unit pk, organization id, name, level, path) rows
    assert shown == [unit.pk for unit in in_scope]


def test_program_page_is_404_for_another_county(recent_program, client_for):
    assert client_for("other_county").get(f"/pilots/programs/{recent_program.pk}/").status_code == 404


def test_the_submit_button_saves_and_submits_in_one_step(recent_program, client_for, world):
    """One lock, one write, one history entry ("submitted" with the content); a stale form changes nothing."""
    client = client_for("street")
    slot = recent_program.slots.get(organization=world.zhonghe, period_start=month_start(0))
    client.post(f"/pilots/slots/{slot.pk}/file/")
    report = Report.objects.get(slot=slot)
    client.post(f"/pilots/reports/{report.pk}/edit/", _form(progress="初稿", save="1"))
    stale_token = report.content_token()  # the editor opened the form before the draft above was saved
    refused = client.post(
        f"/pilots/reports/{report.pk}/edit/", _form(progress="另一稿", token=stale_token, submit="1")
    )
    assert refused.status_code == 409
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT and report.progress == "初稿" and report.versions.count() == 0
    entries = report.history.count()
    response = client.post(f"/pilots/reports/{report.pk}/edit/", _form(progress="定稿", submit="1"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert (
        report.state == ReportState.SUBMITTED
        and report.progress == "定稿"
        and report.figures["activities"] == 4
    )
    assert report.history.count() == entries + 1
    last = report.history.order_by("-history_date").first()
    assert last.state == ReportState.SUBMITTED and last.progress == "定稿"
    version = report.versions.get()
    assert version.progress == "定稿" and version.number == 1


@pytest.mark.parametrize("persona", ["province", "county"])
def test_program_page_query_count(recent_program, client_for, persona, django_assert_max_num_queries):
    """Session, user, memberships; the program with its phases and schedules (one statement); the page of units with
    their count (one statement); their milestone and report figures (one statement); three for the lineups (the streets' paths come
    with the units); the latest briefings; the unread notices. (The report figures summed over the whole scope
    were read and never shown: no longer read.)"""
    client, url = client_for(persona), f"/pilots/programs/{recent_program.pk}/"
    client.get(url)
    with django_assert_max_num_queries(11):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("persona", ["county", "street"])
def test_report_page_query_count(recent_program, client_for, world, persona, django_assert_num_queries):
    """Session, user, memberships; the report with its slot, organization and program; its versions,
    attachments and excerpts; the unread notices. Whether the user may review it is read from the path of the
    reporting organization's parent, not from a read of the parent."""
    report = filed_report(recent_program.slots.get(organization=world.zhonghe, period_start=month_start(-1)),
                          world.users["street"])  # fmt: skip
    client, url = client_for(persona), f"/pilots/reports/{report.pk}/"
    client.get(url)
    with django_assert_num_queries(8):
        body = client.get(url).content.decode()
    assert ('data-testid="review-box"' in body) == (persona == "county")


def test_review_rights_follow_the_parent_read_from_the_path(world):
    """can_review checks the reporting organization's parent: the county above a street, not the street or a
    sibling county; an organization without a parent is checked itself."""
    from pilots.services import can_review

    assert can_review(world.users["county"], world.zhonghe)
    assert not can_review(world.users["other_county"], world.zhonghe)
    assert not can_review(world.users["street"], world.zhonghe)
    assert not can_review(world.users["county"], world.county)  # its parent (the city) is above the county
    assert can_review(world.users["city"], world.county)
    assert can_review(world.users["admin"], world.province) and not can_review(
        world.users["city"], world.province
    )


@pytest.mark.parametrize("persona", ["province", "county", "street"])
def test_program_list_query_count(recent_program, world, client_for, persona, django_assert_num_queries):
    """Session, user, memberships; a first page of programs no longer than a page in one query (no COUNT); the
    unread notices. The same with more programs."""
    client = client_for(persona)
    for extra in (0, 3):
        for n in range(extra):
            PilotProgramFactory(organization=world.county, name=f"另一试点{n}")
        client.get("/pilots/")
        with django_assert_num_queries(5):
            response = client.get("/pilots/")
        assert response.status_code == 200 and "近期试点" in response.content.decode()
