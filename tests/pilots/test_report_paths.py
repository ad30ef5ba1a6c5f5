"""Reports keep their organization's path (Report.path), the key of the review queue (pilots.selectors.
review_queue_for): copied when the report is created, rewritten when the organization or an ancestor moves and
when the report's slot changes organization; and their slot's period start (Report.period_start), with the path
the report list's key."""

import datetime as dt

import pytest

from league import policies
from pilots.models import Report, ReportSlot
from pilots.selectors import review_queue_for
from tests.conftest import PERSONAS
from tests.pilots.conftest import month_start
from tests.pilots.factories import filed_report


def _paths_match() -> bool:
    reports = Report.objects.select_related("slot__organization")
    return reports.exists() and all(r.path == r.slot.organization.path for r in reports)


def _old_review_queue_for(user):
    """review_queue_for as it was: scoped by each report's slot's organization's path, through the joins."""
    qs = Report.objects.for_user(user, "review").awaiting_review()
    paths = policies.scope_paths(user, "review")
    if paths:
        qs = qs.exclude(slot__organization__path__in=paths)
    return qs


@pytest.fixture
def reports(recent_program, world):
    """Submitted reports of 中河 and 首南 (two months each), a draft of 中河, and one of the county itself."""
    slots = recent_program.slots
    made = [
        filed_report(slots.get(organization=org, period_start=month_start(m)), world.users[who])
        for org, who in ((world.zhonghe, "street"), (world.shounan, "street_sibling"))
        for m in (-2, -1)
    ]
    made.append(filed_report(slots.get(organization=world.zhonghe, period_start=month_start(-3)),
                             world.users["street"], submit=False))  # fmt: skip
    sample = slots.get(organization=world.zhonghe, period_start=month_start(-1))
    own = ReportSlot.objects.create(schedule=sample.schedule, program=recent_program, organization=world.county,
                                    period_start=sample.period_start, period_end=sample.period_end,
                                    due_on=sample.due_on, deadline=sample.deadline)  # fmt: skip
    made.append(filed_report(own, world.users["admin"]))  # the county's own: not in its staff's queue
    return made


def test_a_report_keeps_its_organizations_path(reports, world):
    assert _paths_match()
    assert Report.objects.get(pk=reports[2].pk).path == world.shounan.path


def test_moving_the_organization_or_an_ancestor_moves_the_reports_path(reports, world):
    world.shounan.parent = world.other_county_org
    world.shounan.save()
    assert _paths_match()
    assert Report.objects.filter(path__startswith=world.other_county_org.path).count() == 2
    world.other_county_org.parent = world.province  # its street's reports follow the county
    world.other_county_org.save()
    assert _paths_match()


def test_a_slot_given_to_another_organization_takes_its_report_along(reports, world):
    slot = reports[0].slot
    slot.organization = world.zhuangqiao
    slot.save()
    assert _paths_match()
    assert Report.objects.get(pk=reports[0].pk).path == world.zhuangqiao.path


def test_a_report_keeps_its_slots_period_and_follows_it(reports, world):
    """Report.period_start, the report list's key (report_period_path), is its slot's: copied when the report is
    created, rewritten when the slot's period is changed (the admin), with update_fields or without."""
    assert all(r.period_start == r.slot.period_start for r in Report.objects.select_related("slot"))
    slot = reports[0].slot
    slot.period_start = slot.period_start - dt.timedelta(days=1)
    slot.save(update_fields=["period_start"])
    assert Report.objects.get(pk=reports[0].pk).period_start == slot.period_start
    slot.period_start = slot.period_start - dt.timedelta(days=1)
    slot.save()
    assert Report.objects.get(pk=reports[0].pk).period_start == slot.period_start


def test_saving_a_report_again_keeps_the_path(reports, world):
    report = Report.objects.get(pk=reports[0].pk)
    report.return_comment = "请补充"
    report.save(update_fields=["return_comment"])
    report.refresh_from_db()
    assert report.path == world.zhonghe.path


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_review_queue_lists_the_same_reports_as_the_join(reports, world, persona):
    user = world.users[persona]
    assert list(review_queue_for(user).values_list("pk", flat=True)) == list(
        _old_review_queue_for(user).values_list("pk", flat=True)
    )


def test_the_queue_follows_a_move(reports, world, client_for):
    county, other = world.users["county"], world.users["other_county"]
    assert review_queue_for(county).count() == 4 and not review_queue_for(other).exists()
    world.shounan.parent = world.other_county_org
    world.shounan.save()
    assert review_queue_for(county).count() == 2
    assert set(review_queue_for(other)) == {reports[2], reports[3]}
    body = client_for("county").get("/pilots/reports/review/").content.decode()
    assert f'id="review-{reports[0].pk}"' in body and f'id="review-{reports[2].pk}"' not in body


def test_rebuild_kept_paths_finds_and_rewrites_paths_a_bulk_load_left_wrong(reports, world):
    """`manage.py rebuild_kept_paths --check` fails when a report or pilot unit keeps another path than its
    organization's, or a report another period start than its slot's (as after a bulk load that did not set
    them), and the rebuild rewrites exactly those."""
    from io import StringIO

    from django.core.management import call_command

    from pilots.models import PilotUnit

    call_command("rebuild_kept_paths", "--check", stdout=StringIO())  # all kept right by the code paths
    Report.objects.filter(slot__organization=world.zhonghe).update(path="")
    PilotUnit.objects.filter(organization=world.shounan).update(path=world.zhonghe.path)
    shifted = Report.objects.filter(pk=reports[2].pk).update(period_start=dt.date(2001, 1, 1))
    wrong_reports = Report.objects.filter(slot__organization=world.zhonghe).count()
    assert wrong_reports and PilotUnit.objects.filter(organization=world.shounan).exists()
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("rebuild_kept_paths", "--check", stdout=out)
    assert f"reports: {wrong_reports} differ" in out.getvalue()
    assert f"report periods: {shifted} differ" in out.getvalue()
    out = StringIO()
    call_command("rebuild_kept_paths", stdout=out)
    units = PilotUnit.objects.filter(organization=world.shounan).count()
    assert (
        f"reports: {wrong_reports} rewritten" in out.getvalue()
        and f"pilot units: {units} rewritten" in out.getvalue()
        and f"report periods: {shifted} rewritten" in out.getvalue()
    )
    assert all(r.period_start == r.slot.period_start for r in Report.objects.select_related("slot"))
    assert _paths_match()
    assert all(u.path == u.organization.path for u in PilotUnit.objects.select_related("organization"))
    call_command("rebuild_kept_paths", "--check", stdout=StringIO())
