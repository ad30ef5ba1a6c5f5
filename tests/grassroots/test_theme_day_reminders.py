"""A branch without the month's theme day by the reminder day is reminded once, through the reminder sweep
of the pilots app (claims, dispatch, notices, history), like a report."""

import datetime as dt

import pytest
from django.utils import timezone

from league.models import Notice, Role
from pilots import reminders
from pilots.models import Reminder, ReminderKind, ReminderMessage, ReminderState
from tests.factories import MembershipFactory, UserFactory
from tests.grassroots import factories as f

MARCH_20 = dt.date(2026, 3, 20)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def run(day: dt.date) -> int:
    reminders.sweep(on=day)
    return reminders.dispatch(now=at(day))


@pytest.fixture(autouse=True)
def _remind_on_the_20th(settings):
    settings.GRASSROOTS_THEME_DAY_REMIND_DAY = 20


@pytest.fixture
def branch_secretary(world):
    user = UserFactory(username="branch_secretary")
    MembershipFactory(user=user, organization=world.zhonghe_branch, role=Role.SECRETARY)
    return user


def theme_day_claims(org=None):
    qs = Reminder.objects.filter(kind=ReminderKind.THEME_DAY)
    return qs.filter(organization=org) if org is not None else qs


def test_reminded_once_from_the_reminder_day_even_when_the_sweep_runs_twice(world, branch_secretary):
    f.theme_day(world.shounan_branch, held_on=dt.date(2026, 3, 6))
    assert reminders.sweep(on=dt.date(2026, 3, 19)) == []  # before the 20th: nothing
    assert not theme_day_claims().exists()

    found = reminders.sweep(on=MARCH_20)
    assert {c.organization_id for c in found} == {world.zhonghe_branch.pk}  # 首南's branch held it
    assert (found[0].slot_id, found[0].program_id, found[0].deadline) == (None, None, MARCH_20)
    assert reminders.dispatch(now=at(MARCH_20)) == 1
    assert reminders.sweep(on=MARCH_20) == []  # a second sweep the same day finds the claim
    assert run(MARCH_20) == 0
    assert run(dt.date(2026, 3, 27)) == 0  # nor a week later

    claim = theme_day_claims().get()
    assert (claim.organization, claim.state, claim.deadline) == (
        world.zhonghe_branch,
        ReminderState.SENT,
        MARCH_20,
    )
    message = ReminderMessage.objects.get(reminders=claim)
    assert message.program is None and message.organization == world.zhonghe_branch
    assert "2026-03" in message.title and world.zhonghe_branch.name in message.title
    notices = Notice.objects.filter(kind="reminder_theme_day")
    assert list(notices.values_list("recipient__username", flat=True)) == ["branch_secretary"]
    assert (
        notices.get().url
        == f"/grassroots/orgs/{world.zhonghe_branch.pk}/theme-days/new/?branch={world.zhonghe_branch.pk}"
    )


def test_next_month_is_a_new_reminder(world, branch_secretary):
    run(MARCH_20)
    run(dt.date(2026, 4, 21))
    assert sorted(theme_day_claims(world.zhonghe_branch).values_list("deadline", flat=True)) == [
        MARCH_20, dt.date(2026, 4, 20)]  # fmt: skip
    assert Notice.objects.filter(recipient=branch_secretary, kind="reminder_theme_day").count() == 2


def test_recorded_before_dispatch_is_quiet(world, branch_secretary):
    reminders.sweep(on=MARCH_20)
    f.theme_day(world.zhonghe_branch, held_on=dt.date(2026, 3, 19))  # recorded before the worker got to it
    reminders.dispatch(now=at(MARCH_20))
    claim = theme_day_claims(world.zhonghe_branch).get()
    assert (claim.state, claim.skip_reason) == (ReminderState.SKIPPED, "recorded")
    assert not Notice.objects.filter(kind="reminder_theme_day").exists()


def test_claim_left_over_into_the_next_month_is_quiet(world, branch_secretary):
    reminders.sweep(on=dt.date(2026, 3, 31))
    reminders.dispatch(now=at(dt.date(2026, 4, 1)))
    assert set(theme_day_claims().values_list("skip_reason", flat=True)) == {"month over"}
    assert not Notice.objects.filter(kind="reminder_theme_day").exists()


def test_reminder_day_is_configurable_and_capped_at_the_month_end(world, settings):
    settings.GRASSROOTS_THEME_DAY_REMIND_DAY = 31
    assert reminders.sweep(on=dt.date(2026, 2, 27), dry_run=True) == []
    found = reminders.sweep(on=dt.date(2026, 2, 28), dry_run=True)
    assert found and {c.deadline for c in found} == {dt.date(2026, 2, 28)}
    assert not Reminder.objects.exists()  # a dry run claims nothing
    settings.GRASSROOTS_THEME_DAY_REMIND_DAY = 0
    assert reminders.sweep(on=dt.date(2026, 2, 28)) == []


def test_report_only_sweeps_leave_theme_days_alone(world):
    assert reminders.sweep(on=MARCH_20, kinds=reminders.REPORT_KINDS) == []
    assert reminders.sweep(on=MARCH_20, program_ids=[]) == []
    assert not theme_day_claims().exists()


def test_history_pages_and_admin_show_it_to_the_branch_side_only(world, branch_secretary, client_for, client):
    run(MARCH_20)
    client.force_login(branch_secretary)
    own = client.get("/pilots/reminders/").content.decode()
    assert world.zhonghe_branch.name in own and "2026-03" in own
    street = client_for("street").get("/pilots/reminders/?kind=theme_day").content.decode()
    assert street.count('data-testid="reminder-row"') == 1  # the street's subtree: its branch
    sibling = client_for("street_sibling").get("/pilots/reminders/?kind=theme_day").content.decode()
    assert world.zhonghe_branch.name not in sibling and world.shounan_branch.name in sibling
    admin = client_for("admin").get("/admin/pilots/reminder/?kind__exact=theme_day")
    assert admin.status_code == 200 and world.zhonghe_branch.name in admin.content.decode()
    listed = client_for("county").get(f"/grassroots/orgs/{world.zhonghe.pk}/theme-days/?month=2026-03")
    assert (
        listed.content.decode().count('data-testid="reminded"') == 1
    )  # the branch list says who was reminded
    # the link of the notice opens the form with the branch chosen
    form = client.get(Notice.objects.get(recipient=branch_secretary).url)
    assert form.status_code == 200


@pytest.mark.parametrize("extra", [0, 25])
def test_sweep_and_dispatch_queries_do_not_grow_with_branches(world, extra, django_assert_max_num_queries):
    from tests.factories import OrganizationFactory

    for i in range(extra):
        branch = OrganizationFactory(parent=world.zhonghe, level="grassroots", code=f"ZJ-NB-YZ-ZH-X{i}")
        MembershipFactory(user=UserFactory(), organization=branch, role=Role.SECRETARY)
    with django_assert_max_num_queries(5):
        found = reminders.sweep(on=MARCH_20)
    assert len(found) >= 1 + extra
    with django_assert_max_num_queries(16):
        reminders.dispatch(now=at(MARCH_20), deliver=False)
    assert Notice.objects.filter(kind="reminder_theme_day").count() == extra
