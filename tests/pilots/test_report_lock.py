"""The report form's save and submit read the report once, locked (services.report_lock), in the transaction
that saves it: the same report, slot, organization and program as the scoped ORM read, the same scope."""

import pytest
from django.db import transaction
from django.db.transaction import TransactionManagementError

from league import policies
from pilots import services, tallies
from pilots.models import Report, ReportState
from pilots.selectors import reports_for
from tests.conftest import PERSONAS
from tests.pilots.conftest import month_start
from tests.pilots.factories import REPORT_TEXT, assign_instructor, filed_report
from tests.pilots.test_pages import _form


def _fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


@pytest.fixture
def returned(recent_program, world):
    """A submitted and returned report of 中河 (every date, text, figure and foreign key filled in)."""
    slot = recent_program.slots.get(organization=world.zhonghe, period_start=month_start(-1))
    report = filed_report(slot, world.users["street"])
    return services.report_return(report=report, by=world.users["county"], reason="incomplete",
                                  comment="补充经费数字")  # fmt: skip


@pytest.mark.django_db
def test_the_locked_read_is_the_orm_read_field_for_field(returned, world):
    expected = (
        Report.objects.select_related("slot__organization", "slot__program")
        .get(pk=returned.pk)
    )  # fmt: skip
    with transaction.atomic():
        report = services.report_lock(by=world.users["street"], pk=returned.pk)
    assert _fields(report) == _fields(expected) and report.figures == REPORT_TEXT["figures"]
    assert _fields(report.slot) == _fields(expected.slot)
    assert _fields(report.slot.organization) == _fields(expected.slot.organization)
    assert _fields(report.slot.program) == _fields(expected.slot.program)
    assert report.slot.program.figure_fields and report.state == ReportState.RETURNED
    assert not report._state.adding and report._state.db == "default"


@pytest.mark.django_db
def test_the_locked_read_sees_what_reports_for_sees(returned, world):
    assign_instructor(world)  # the instructor sees 中河 alone, through an assigned unit
    for name in PERSONAS:
        user = world.users[name]
        policies.forget(user)
        with transaction.atomic():
            locked = services.report_lock(by=user, pk=returned.pk)
        assert (locked is not None) == reports_for(user, "view").filter(pk=returned.pk).exists(), name
        assert (locked is None) == (name in {"street_sibling", "other_county", "outsider"}), name


@pytest.mark.django_db(transaction=True)  # outside any transaction, as a request starts
def test_the_locked_read_needs_a_transaction_and_an_existing_report(returned, world):
    with pytest.raises(TransactionManagementError):
        services.report_lock(by=world.users["street"], pk=returned.pk)
    with pytest.raises(TransactionManagementError):
        services.report_submit(report=returned, by=world.users["street"], locked=True)
    with transaction.atomic():
        assert services.report_lock(by=world.users["street"], pk=returned.pk + 1000) is None


def test_sibling_and_outsider_get_404_and_county_403_on_the_form_post(returned, client_for, world):
    counters, entries = tallies.stored(), returned.history.count()
    path = f"/pilots/reports/{returned.pk}/edit/"
    for name, status in (("street_sibling", 404), ("outsider", 404), ("other_county", 404), ("county", 403)):
        for button in ("save", "submit"):
            assert client_for(name).post(path, _form(progress="改写", **{button: "1"})).status_code == status
    returned.refresh_from_db()
    assert returned.state == ReportState.RETURNED and returned.progress == REPORT_TEXT["progress"]
    assert returned.history.count() == entries and returned.versions.count() == 1
    assert tallies.stored() == counters


def test_a_refused_submission_undoes_the_attachment_and_the_texts(recent_program, client_for, world, settings,
                                                                  tmp_path):  # fmt: skip
    from league import uploads
    from pilots.models import Attachment
    from tests.pilots.test_pages import PNG

    settings.MEDIA_ROOT = tmp_path / "media"
    client = client_for("street")
    slot = recent_program.slots.get(organization=world.zhonghe, period_start=month_start(0))
    client.post(f"/pilots/slots/{slot.pk}/file/")
    report = Report.objects.get(slot=slot)
    counters = tallies.stored()
    response = client.post(
        f"/pilots/reports/{report.pk}/edit/",
        {
            **_form(progress="新的进展", problems=""),
            "file": uploads.in_memory(PNG, "照片.png"),
            "submit": "1",
        },
    )
    assert response.status_code == 200 and "遇到的问题" in response.content.decode()
    assert "新的进展" in response.content.decode()  # what the user typed is still on the form
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT and report.progress == "" and report.version == 0
    assert not Attachment.objects.exists() and tallies.stored() == counters
    # and the same form, completed, goes through
    response = client.post(f"/pilots/reports/{report.pk}/edit/", _form(submit="1"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and report.versions.get().number == 1
    assert tallies.stored() == tallies.recount()
