"""Reminders on a fixed clock: who is due, exactly once, quiet rules, escalation, channels, pages."""

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.utils import timezone

from league.models import Notice, Role
from pilots import reminders, services
from pilots.models import (
    Delivery,
    DeliveryState,
    Frequency,
    OrganizationWebhook,
    Reminder,
    ReminderPolicy,
    ReminderState,
    ReportingSchedule,
)
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.pilots.factories import REPORT_TEXT, monthly_program


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def kinds(candidates, org=None):
    return sorted((c.kind, c.deadline.isoformat(), c.sequence) for c in candidates
                  if org is None or c.organization_id == org.pk)  # fmt: skip


def run(day: dt.date) -> int:
    reminders.sweep(
        on=day, kinds=reminders.REPORT_KINDS
    )  # theme days: tests/grassroots/test_theme_day_reminders.py
    return reminders.dispatch(now=at(day))


def file(slot, user, day):
    report = services.report_start(slot=slot, by=user, on=day)
    services.report_save(report=report, by=user, **REPORT_TEXT)
    return services.report_submit(report=report, by=user, now=at(day))


def test_due_soon_at_month_end_within_n_days(program, world):
    assert kinds(reminders.select(dt.date(2026, 1, 27)), world.zhonghe) == []
    assert kinds(reminders.select(dt.date(2026, 1, 28)), world.zhonghe) == [("due_soon", "2026-01-31", 1)]
    # February ends on the 28th in 2026
    assert kinds(reminders.select(dt.date(2026, 2, 25)), world.zhonghe) == [
        ("due_soon", "2026-02-28", 1), ("escalation", "2026-01-31", 1), ("overdue", "2026-01-31", 4)]  # fmt: skip


def test_overdue_is_numbered_every_n_days_and_grace_counts(world):
    program = monthly_program(world.county, [world.zhonghe], grace_days=5)
    ReminderPolicy.objects.create(program=program, overdue_every_days=3, escalate_after_days=30)
    assert kinds(reminders.select(dt.date(2026, 2, 5)), world.zhonghe) == [("due_soon", "2026-02-05", 1)]
    assert kinds(reminders.select(dt.date(2026, 2, 6)), world.zhonghe) == [("overdue", "2026-02-05", 1)]
    assert kinds(reminders.select(dt.date(2026, 2, 8)), world.zhonghe) == [("overdue", "2026-02-05", 1)]
    assert kinds(reminders.select(dt.date(2026, 2, 9)), world.zhonghe) == [("overdue", "2026-02-05", 2)]


def test_weekly_deadlines(world):
    program = monthly_program(world.county, [], name="weekly")
    from pilots.models import PilotUnit

    PilotUnit.objects.create(program=program, organization=world.zhonghe)
    schedule = ReportingSchedule.objects.create(program=program, frequency=Frequency.WEEKLY, due_weekday=4,
                                                starts_on=dt.date(2026, 3, 2), ends_on=dt.date(2026, 3, 15))  # fmt: skip
    services.generate_slots(schedule=schedule)
    monday, friday = dt.date(2026, 3, 2), dt.date(2026, 3, 6)
    assert ("due_soon", "2026-03-06", 1) not in kinds(reminders.select(monday), world.zhonghe)
    assert ("due_soon", "2026-03-06", 1) in kinds(reminders.select(dt.date(2026, 3, 3)), world.zhonghe)
    assert ("overdue", "2026-03-06", 1) in kinds(
        reminders.select(friday + dt.timedelta(days=1)), world.zhonghe
    )


def test_sweep_twice_sends_once(program, world):
    day = dt.date(2026, 1, 29)
    assert run(day) == 2  # 中河 and 首南
    assert run(day) == 0
    assert Notice.objects.filter(recipient=world.users["street"], kind="reminder_due_soon").count() == 1
    assert Reminder.objects.filter(state=ReminderState.SENT).count() == 2


def test_catch_up_after_missed_runs_sends_the_current_reminder_only(program, world):
    # Nothing ran in February: on 10 March the January report is 5 weeks late — one overdue reminder (#6)
    reminders.sweep(on=dt.date(2026, 3, 10), kinds=["overdue"])
    rows = Reminder.objects.filter(slot__organization=world.zhonghe, kind="overdue")
    assert sorted(rows.values_list("deadline", "sequence")) == [
        (dt.date(2026, 1, 31), 6),
        (dt.date(2026, 2, 28), 2),
    ]


def test_quiet_rules(program, world, jan_slot):
    reminders.sweep(on=dt.date(2026, 1, 29), kinds=reminders.REPORT_KINDS)
    file(jan_slot, world.users["street"], dt.date(2026, 1, 29))  # filed before the worker got to it
    reminders.dispatch(now=at(dt.date(2026, 1, 29)))
    skipped = Reminder.objects.get(slot=jan_slot)
    assert (skipped.state, skipped.skip_reason) == ("skipped", "submitted")
    assert not Notice.objects.filter(recipient=world.users["street"]).exists()
    assert not any(c.slot_id == jan_slot.pk for c in reminders.select(dt.date(2026, 2, 3)))
    # paused and ended programs are quiet
    ReminderPolicy.objects.create(program=program, paused=True)
    assert reminders.select(dt.date(2026, 2, 26)) == []
    program.reminder_policy.paused = False
    program.reminder_policy.save()
    assert reminders.select(dt.date(2027, 1, 5)) == []


def test_moved_deadline_skips_the_old_claim_and_reminds_for_the_new_one(program, world):
    slot = program.slots.get(organization=world.shounan, period_start=dt.date(2026, 1, 1))
    reminders.sweep(on=dt.date(2026, 2, 2), kinds=["overdue"])
    slot.deadline = dt.date(2026, 2, 10)
    slot.save(update_fields=["deadline"])
    reminders.dispatch(now=at(dt.date(2026, 2, 2)))
    assert Reminder.objects.get(slot=slot).skip_reason == "deadline moved"
    assert kinds(reminders.select(dt.date(2026, 2, 11), kinds=["overdue"]), world.shounan) == [
        ("overdue", "2026-02-10", 1)]  # fmt: skip


def test_returned_report_gets_its_own_reminder_from_the_next_day(program, world, jan_slot):
    report = file(jan_slot, world.users["street"], dt.date(2026, 1, 30))
    services.report_return(report=report, by=world.users["county"], reason="vague", comment="具体些",
                           now=at(dt.date(2026, 2, 2)))  # fmt: skip
    deadline = type(jan_slot).objects.get(pk=jan_slot.pk).deadline
    assert ("returned", deadline.isoformat(), 1) not in kinds(
        reminders.select(dt.date(2026, 2, 2)), world.zhonghe
    )
    assert ("returned", deadline.isoformat(), 1) in kinds(
        reminders.select(dt.date(2026, 2, 3)), world.zhonghe
    )


def test_escalation_one_message_listing_the_late_units_to_the_parent_staff(program, world):
    ReminderPolicy.objects.create(program=program, escalate_after_reminders=2, escalate_after_days=60)
    run(dt.date(2026, 2, 1))  # overdue #1 for both streets
    assert not Reminder.objects.filter(kind="escalation").exists()
    run(dt.date(2026, 2, 8))  # overdue #2
    run(dt.date(2026, 2, 9))  # M = 2 reached: escalate both
    escalations = Notice.objects.filter(kind="reminder_escalation")
    assert list(escalations.values_list("recipient__username", flat=True)) == ["county"]
    body = escalations.get().body
    assert world.zhonghe.name in body and world.shounan.name in body
    run(dt.date(2026, 2, 10))
    assert escalations.count() == 1


def test_escalation_after_k_days_late(program, world):
    ReminderPolicy.objects.create(program=program, escalate_after_reminders=9, escalate_after_days=3)
    assert ("escalation", "2026-01-31", 1) not in kinds(reminders.select(dt.date(2026, 2, 2)), world.zhonghe)
    assert ("escalation", "2026-01-31", 1) in kinds(reminders.select(dt.date(2026, 2, 3)), world.zhonghe)


def test_email_channel_uses_the_mail_outbox(program, world):
    world.users["street"].email = "street@example.cn"
    world.users["street"].save()
    run(dt.date(2026, 1, 29))
    sent = [m for m in mail.outbox if m.to == ["street@example.cn"]]
    assert len(sent) == 1 and len(mail.outbox) == 2  # one per street secretary
    assert "2026-01-31" in sent[0].subject
    assert Delivery.objects.get(channel="email", target="street@example.cn").state == DeliveryState.SENT


class Robot(BaseHTTPRequestHandler):
    received: list = []
    answer = {"errcode": 0, "errmsg": "ok"}

    def do_POST(self):
        Robot.received.append(
            (
                self.headers["X-Idempotency-Key"],
                json.loads(self.rfile.read(int(self.headers["Content-Length"]))),
            )
        )
        body = json.dumps(Robot.answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def robot():
    Robot.received, Robot.answer = [], {"errcode": 0, "errmsg": "ok"}
    server = HTTPServer(("127.0.0.1", 0), Robot)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/cgi-bin/webhook/send?key=abc"
    server.shutdown()


def test_webhook_channel_posts_to_the_local_robot(program, world, robot):
    OrganizationWebhook.objects.create(organization=world.zhonghe, url=robot)
    run(dt.date(2026, 1, 29))
    assert len(Robot.received) == 1
    key, payload = Robot.received[0]
    assert payload["msgtype"] == "text" and "2026-01-31" in payload["text"]["content"]
    assert key == f"delivery-{Delivery.objects.get(channel='webhook').pk}"


def test_failed_webhook_is_recorded_and_retried_with_backoff(program, world, robot):
    OrganizationWebhook.objects.create(organization=world.zhonghe, url=robot)
    Robot.answer = {"errcode": 310000, "errmsg": "keywords not in content"}
    run(dt.date(2026, 1, 29))
    delivery = Delivery.objects.get(channel="webhook")
    assert (delivery.state, delivery.attempts) == ("pending", 1)
    assert "310000" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now() + dt.timedelta(seconds=50)
    assert reminders.deliver_pending()["sent"] == 0  # not due yet
    Robot.answer = {"errcode": 0}
    assert reminders.deliver_pending(now=delivery.next_attempt_at + dt.timedelta(seconds=1))["sent"] == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_error) == ("sent", 2, "")
    assert len(Robot.received) == 2


def test_unreachable_webhook_gives_up_after_max_attempts(program, world):
    OrganizationWebhook.objects.create(organization=world.zhonghe, url="http://127.0.0.1:9/robot")
    run(dt.date(2026, 1, 29))
    later = timezone.now()
    for _ in range(reminders.MAX_ATTEMPTS):
        later += dt.timedelta(days=1)
        reminders.deliver_pending(now=later)
    delivery = Delivery.objects.get(channel="webhook")
    assert (delivery.state, delivery.attempts) == ("failed", reminders.MAX_ATTEMPTS)


def _bigger_world(world, streets: int):
    orgs = [world.zhonghe, world.shounan]
    for i in range(streets):
        org = OrganizationFactory(parent=world.county, level="street", code=f"ZJ-NB-YZ-X{i}")
        MembershipFactory(user=UserFactory(), organization=org, role=Role.SECRETARY)
        orgs.append(org)
    return orgs


@pytest.mark.parametrize("extra", [0, 20])
def test_sweep_query_count_does_not_grow(world, extra, django_assert_max_num_queries):
    monthly_program(world.county, _bigger_world(world, extra))
    day = dt.date(2026, 3, 3)
    with django_assert_max_num_queries(5):  # slots, policies, sent overdue, missing theme days, insert
        candidates = reminders.sweep(on=day)
    assert len(candidates) >= 2 * (2 + extra)
    with django_assert_max_num_queries(15):
        reminders.dispatch(now=at(day), deliver=False)
    assert Notice.objects.filter(kind__startswith="reminder_").count() >= 2 + extra


def test_secretary_sees_own_history_sibling_does_not(program, world, client_for):
    run(dt.date(2026, 1, 29))
    page = client_for("street").get("/pilots/reminders/")
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="reminder-row"') == 1
    assert world.zhonghe.name in page.content.decode() and world.shounan.name not in page.content.decode()


def test_staff_program_view_and_send_now(program, world, client_for):
    county = client_for("county")
    assert county.post(f"/pilots/programs/{program.pk}/reminders/send/").status_code == 302
    assert Reminder.objects.filter(program=program).exists()
    page = county.get(f"/pilots/programs/{program.pk}/reminders/")
    assert page.status_code == 200
    assert client_for("street").post(f"/pilots/programs/{program.pk}/reminders/send/").status_code in (
        403,
        404,
    )
    assert client_for("other_county").get(f"/pilots/programs/{program.pk}/reminders/").status_code == 404


def test_admin_dry_run_changes_nothing_then_run_sends(program, world, client_for):
    policy = ReminderPolicy.objects.create(program=program)
    admin = client_for("admin")
    url = "/admin/pilots/reminderpolicy/"
    page = admin.post(url, {"action": "dry_run", "_selected_action": [policy.pk]})
    assert page.status_code == 200 and world.zhonghe.name in page.content.decode()
    assert not Reminder.objects.exists()
    admin.post(url, {"action": "run_now", "_selected_action": [policy.pk]})
    assert Reminder.objects.filter(state="sent").exists() or Reminder.objects.filter(state="skipped").exists()
    admin.post(url, {"action": "pause", "_selected_action": [policy.pk]})
    policy.refresh_from_db()
    assert policy.paused
