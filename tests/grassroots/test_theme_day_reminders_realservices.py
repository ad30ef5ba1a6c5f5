"""The theme-day reminder through a real Celery worker and Redis (PostgreSQL pass of make test): the sweep
task sent twice at once claims and sends one reminder per branch, one notice to its secretary."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from league.models import Notice, Role
from pilots.models import Reminder, ReminderKind, ReminderState
from pilots.tasks import reminders_sweep
from tests.conftest import wait_for
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.realservices, pytest.mark.django_db(transaction=True)]


def _succeeded(task_id: str) -> bool:
    log = Path(os.environ.get("VAR_DIR", "/tmp")) / "test-worker.log"
    return f"[{task_id}] succeeded" in log.read_text()


def test_worker_sends_the_theme_day_reminder_once(celery_worker_process, world):
    from grassroots.services import ensure_default_items

    ensure_default_items()
    secretary = UserFactory(username="branch_secretary")
    MembershipFactory(user=secretary, organization=world.zhonghe_branch, role=Role.SECRETARY)
    if not settings.GRASSROOTS_THEME_DAY_REMIND_DAY:
        pytest.skip("theme-day reminders are turned off (GRASSROOTS_THEME_DAY_REMIND_DAY=0)")
    today = timezone.localdate()
    # the worker runs with the default reminder day; sweep as of that day of this month or today if later
    on = today.replace(day=max(today.day, min(settings.GRASSROOTS_THEME_DAY_REMIND_DAY, 28)))
    first, second = (
        reminders_sweep.delay(kinds=[ReminderKind.THEME_DAY.value], on=on.isoformat()) for _ in "12"
    )
    assert wait_for(lambda: _succeeded(first.id) and _succeeded(second.id), timeout=60)
    claims = Reminder.objects.filter(kind=ReminderKind.THEME_DAY, organization=world.zhonghe_branch)
    assert claims.count() == 1 and claims.get().state == ReminderState.SENT
    assert Notice.objects.filter(recipient=secretary, kind="reminder_theme_day").count() == 1
    third = reminders_sweep.delay(kinds=[ReminderKind.THEME_DAY.value], on=on.isoformat())
    assert wait_for(lambda: _succeeded(third.id), timeout=60)
    assert Notice.objects.filter(recipient=secretary, kind="reminder_theme_day").count() == 1
