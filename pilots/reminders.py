"""Who is due for a reminder, decided from the database at each run (beat is only a clock).

`select(on)` finds the candidates with a few indexed queries; `sweep(on)` bulk-creates their claim rows
(unique per slot, kind, deadline and sequence, so a second or concurrent sweep adds nothing); `dispatch()`
takes pending claims with a compare-and-set UPDATE and writes message, in-app notices and the outbox of
the other channels in the same transaction; `deliver_pending()` drains that outbox with retries and backoff.

Kinds: due soon (deadline within N days), overdue (every `overdue_every_days` days after the deadline,
numbered), returned for revision (once per return, from the day after), escalation (after M sent overdue
reminders or K days late: the staff of the parent organization get one message listing their late units).
Quiet: a filed report, an ended or paused program, a moved deadline (the claim names its deadline).

Theme days (grassroots app): from the day of the month set by GRASSROOTS_THEME_DAY_REMIND_DAY, every branch
in `grassroots.rollups.missing_theme_days` gets one claim for the month (no slot, no program; unique per
organization, kind and deadline), dispatched like the others to the branch's secretaries; a theme day
recorded before dispatch makes it quiet.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from league.models import Membership, Notice, Organization, Role

from .channels import channels
from .models import (
    FILED_STATES,
    Delivery,
    DeliveryState,
    OrganizationWebhook,
    PilotProgram,
    Reminder,
    ReminderKind,
    ReminderMessage,
    ReminderPolicy,
    ReminderState,
    ReportSlot,
    ReportState,
)

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 6
BACKOFF_SECONDS = 60
LEASE_SECONDS = 300


REPORT_KINDS = [ReminderKind.DUE_SOON, ReminderKind.OVERDUE, ReminderKind.RETURNED, ReminderKind.ESCALATION]


@dataclass(frozen=True)
class Candidate:
    slot_id: int | None
    program_id: int | None
    organization_id: int
    kind: str
    deadline: dt.date
    sequence: int


# Plain strings for the raw INSERT of the claims (the database driver need not know Django's choices).
DUE_SOON, OVERDUE, RETURNED, ESCALATION = (
    str(k.value) for k in (ReminderKind.DUE_SOON, ReminderKind.OVERDUE, ReminderKind.RETURNED,
                           ReminderKind.ESCALATION)
)  # fmt: skip


def policies(on: dt.date, program_ids=None) -> dict[int, dict]:
    """Settings of every program running on `on` and not paused (one query)."""
    fields = [f for f in ReminderPolicy.DEFAULTS if f != "paused"]
    qs = PilotProgram.objects.active(on).exclude(reminder_policy__paused=True)
    if program_ids is not None:
        qs = qs.filter(pk__in=program_ids)
    out = {}
    for row in qs.values("pk", *[f"reminder_policy__{f}" for f in fields]):
        out[row["pk"]] = {
            f: ReminderPolicy.DEFAULTS[f]
            if row[f"reminder_policy__{f}"] is None
            else row[f"reminder_policy__{f}"]
            for f in fields
        }
    return out


def theme_day_deadline(on: dt.date) -> dt.date | None:
    """The day of `on`'s month from which a missing theme day is reminded, or None before it (or when off)."""
    day = int(getattr(settings, "GRASSROOTS_THEME_DAY_REMIND_DAY", 0) or 0)
    if day <= 0 or not apps.is_installed("grassroots"):
        return None
    deadline = on.replace(day=min(day, calendar.monthrange(on.year, on.month)[1]))
    return deadline if on >= deadline else None


def select_theme_days(on: dt.date) -> list[Candidate]:
    """Branches without this month's theme day from the reminder day on (one query), except those
    already claimed for this month."""
    deadline = theme_day_deadline(on)
    if deadline is None:
        return []
    from grassroots.rollups import missing_theme_days

    claimed = Reminder.objects.filter(
        organization=OuterRef("pk"), slot__isnull=True, kind=ReminderKind.THEME_DAY, deadline=deadline
    )
    branches = (
        missing_theme_days(on, within=None).exclude(Exists(claimed)).order_by().values_list("pk", flat=True)
    )
    return [Candidate(None, None, pk, ReminderKind.THEME_DAY, deadline, 1) for pk in branches]


def select(on: dt.date, program_ids=None, kinds=None) -> list[Candidate]:
    """The report reminders due on `on`: three queries whatever the number of slots."""
    kinds = set(kinds or REPORT_KINDS)
    settings_by_program = policies(on, program_ids)
    if not settings_by_program:
        return []
    widest = max(p["due_soon_days"] for p in settings_by_program.values())
    start_of_day = timezone.make_aware(dt.datetime.combine(on, dt.time.min))
    slots = (
        ReportSlot.objects.filter(program_id__in=list(settings_by_program))
        .opened(on)
        .outstanding()
        .filter(
            Q(deadline__lt=on)
            | Q(deadline__gte=on, deadline__lte=on + timedelta(days=widest))
            | Q(report__state=ReportState.RETURNED, report__reviewed_at__lt=start_of_day)
        )
        .values_list("pk", "program_id", "organization_id", "deadline", "report__state", "report__version")
        .order_by()  # no join to the organizations and no sort just for the model's default ordering
    )
    sent_overdue = dict(
        Reminder.objects.filter(
            program_id__in=list(settings_by_program), kind=ReminderKind.OVERDUE, state=ReminderState.SENT,
            slot__deadline__lt=on, deadline=F("slot__deadline"),
        )
        .values_list("slot_id")
        .annotate(n=Count("pk"))
    )  # fmt: skip
    out: list[Candidate] = []
    add = out.append
    due_soon, overdue, returned, escalation = (
        kind in kinds for kind in (ReminderKind.DUE_SOON, ReminderKind.OVERDUE, ReminderKind.RETURNED,
                                   ReminderKind.ESCALATION)
    )  # fmt: skip
    # A plain loop over tuples (no per-row closures or model instances): 80,000 slots take ~0.1 s.
    for slot_id, program_id, org_id, deadline, state, version in slots:
        p = settings_by_program[program_id]
        is_returned = state == ReportState.RETURNED
        if is_returned and deadline >= on and returned:
            add(Candidate(slot_id, program_id, org_id, RETURNED, deadline, version or 1))
        if deadline < on:
            late = (on - deadline).days
            if overdue:
                add(Candidate(slot_id, program_id, org_id, OVERDUE, deadline,
                              (late - 1) // p["overdue_every_days"] + 1))  # fmt: skip
            if escalation and (
                sent_overdue.get(slot_id, 0) >= p["escalate_after_reminders"]
                or late >= p["escalate_after_days"]
            ):
                add(Candidate(slot_id, program_id, org_id, ESCALATION, deadline, 1))
        elif not is_returned and due_soon and (deadline - on).days <= p["due_soon_days"]:
            add(Candidate(slot_id, program_id, org_id, DUE_SOON, deadline, 1))
    return out


def sweep(
    *, on: dt.date | None = None, program_ids=None, kinds=None, dry_run: bool = False
) -> list[Candidate]:
    """Create the claim rows of everything due (one INSERT; existing claims are left alone). A sweep of
    some programs only (`program_ids`) leaves theme days alone."""
    on = on or timezone.localdate()
    candidates = select(on, program_ids, kinds)
    if program_ids is None and (kinds is None or ReminderKind.THEME_DAY in kinds):
        candidates += select_theme_days(on)
    if not dry_run and candidates:
        insert_claims(candidates)
    return candidates


def _array(values) -> str:
    """A PostgreSQL array literal of numbers, ISO dates or double-quoted plain words (the claim columns)."""
    return "{" + ",".join("NULL" if v is None else str(v) for v in values) + "}"


def insert_claims(candidates: list[Candidate], now: dt.datetime | None = None) -> None:
    """One statement for any number of claims, skipping those that exist already (the unique (slot or organization, kind,
    deadline, sequence)): so a second sweep, or one running at the same moment, adds nothing.

    PostgreSQL: INSERT … SELECT FROM unnest(arrays) ON CONFLICT DO NOTHING, six array parameters whatever
    the count; SQLite: INSERT OR IGNORE through executemany. Building 80,000 model instances for
    bulk_create cost more than the rest of the sweep together (~0.3 ms a row)."""
    now = now or timezone.now()
    ops = connection.ops
    table = connection.ops.quote_name(Reminder._meta.db_table)
    columns = "slot_id, program_id, organization_id, kind, deadline, sequence, state, skip_reason, created_at, claim_token"
    created = ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} ({columns}) "
                "SELECT s, p, o, k, d, q, %s, '', %s, '' "
                "FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::varchar[], %s::date[], %s::integer[]) "
                # No NOT EXISTS pre-filter: with stale statistics the planner chose a nested loop with a
                # sequential scan (minutes at 80,000 claims); the unique index decides every row here.
                "AS t(s, p, o, k, d, q) ON CONFLICT DO NOTHING",
                # Each array goes as one text literal ('{1,2,…}'): adapting 400,000 values one by one on
                # the client and planning an ARRAY[…] of 80,000 typed constants took longer than the INSERT.
                [ReminderState.PENDING.value, created, _array(c.slot_id for c in candidates),
                 _array(c.program_id for c in candidates), _array(c.organization_id for c in candidates),
                 _array(f'"{c.kind}"' for c in candidates),
                 _array(c.deadline.isoformat() for c in candidates), _array(c.sequence for c in candidates)],
            )  # fmt: skip
        elif connection.vendor == "sqlite":
            cursor.executemany(
                f"INSERT OR IGNORE INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s, '', %s, '')",
                [(c.slot_id, c.program_id, c.organization_id, str(c.kind), ops.adapt_datefield_value(c.deadline),
                  c.sequence,
                  ReminderState.PENDING.value, created) for c in candidates],
            )  # fmt: skip
        else:  # any other backend: the ORM's bulk INSERT
            Reminder.objects.bulk_create(
                [Reminder(slot_id=c.slot_id, program_id=c.program_id, organization_id=c.organization_id,
                          kind=c.kind, deadline=c.deadline, sequence=c.sequence, created_at=now)
                 for c in candidates],
                ignore_conflicts=True,
            )  # fmt: skip


# --- dispatch: claim, write the message and the in-app notices, queue the other channels ----------------


def _recorded_theme_days(reminders: list[Reminder]) -> set[tuple[int, dt.date]]:
    """(organization, month) of the theme-day claims whose theme day has been recorded since (one query)."""
    wanted = [r for r in reminders if r.kind == ReminderKind.THEME_DAY]
    if not wanted:
        return set()
    from grassroots.models import ThemeDay

    months = {r.deadline.replace(day=1) for r in wanted}
    return set(
        ThemeDay.objects.filter(organization_id__in={r.organization_id for r in wanted}, month__in=months)
        .values_list("organization_id", "month")
    )  # fmt: skip


def _quiet_reason(reminder: Reminder, on: dt.date, recorded=frozenset()) -> str:
    if reminder.kind == ReminderKind.THEME_DAY:
        if (reminder.organization_id, reminder.deadline.replace(day=1)) in recorded:
            return "recorded"
        if reminder.deadline.replace(day=1) != on.replace(day=1):
            return "month over"
        return ""
    slot, program = reminder.slot, reminder.program
    report = getattr(slot, "report", None)
    if report is not None and report.state in FILED_STATES:
        return "submitted"
    if program.ends_on < on:
        return "pilot ended"
    policy = getattr(program, "reminder_policy", None)
    if policy is not None and policy.paused:
        return "paused"
    if slot.deadline != reminder.deadline:
        return "deadline moved"
    if reminder.kind == ReminderKind.RETURNED and (report is None or report.state != ReportState.RETURNED):
        return "no longer returned"
    return ""


def _text(kind: str, reminders: list[Reminder]) -> tuple[str, str]:
    first = reminders[0]
    if kind == ReminderKind.THEME_DAY:
        values = {"branch": first.organization.name, "month": f"{first.deadline:%Y-%m}"}
        return _("Theme day of %(month)s not recorded yet: %(branch)s") % values, _(
            "Record this month's theme day (主题团日) with its attendance and the fixed items done."
        )
    slot, program = first.slot, first.program
    values = {"program": program.name, "period": slot.period_label, "deadline": f"{slot.deadline:%Y-%m-%d}",
              "n": first.sequence}  # fmt: skip
    if kind == ReminderKind.DUE_SOON:
        return _("Report due by %(deadline)s: %(program)s, %(period)s") % values, ""
    if kind == ReminderKind.OVERDUE:
        return _(
            "Report overdue (reminder %(n)s): %(program)s, %(period)s, deadline %(deadline)s"
        ) % values, ""
    if kind == ReminderKind.RETURNED:
        return _(
            "Returned report waiting for revision: %(program)s, %(period)s, by %(deadline)s"
        ) % values, ""
    lines = [
        f"{r.slot.organization.name} · {r.slot.period_label} · {r.slot.deadline:%Y-%m-%d}" for r in reminders
    ]
    title = _("%(count)s late reports in %(program)s") % {"count": len(reminders), "program": program.name}
    return title, "\n".join(lines)


def dispatch(*, chunk: int = 500, now: dt.datetime | None = None, deliver: bool = True) -> int:
    """Send every pending claim, `chunk` at a time (each chunk one transaction). Returns messages written."""
    written = 0
    while True:
        messages = _dispatch_chunk(chunk=chunk, now=now or timezone.now())
        if messages is None:
            break
        written += len(messages)
        if deliver and messages:
            deliver_pending(message_ids=messages)
    return written


@transaction.atomic
def _dispatch_chunk(*, chunk: int, now: dt.datetime) -> list[int] | None:
    on = timezone.localdate(now)
    # SKIP LOCKED: a second dispatcher running at the same time takes the next chunk instead of waiting for
    # this one (PostgreSQL; elsewhere a no-op and the compare-and-set below still decides).
    ids = list(
        Reminder.objects.select_for_update(skip_locked=True)
        .filter(state=ReminderState.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)[:chunk]
    )
    if not ids:
        return None
    token = uuid.uuid4().hex
    # Compare-and-set: a concurrent dispatcher waits on the row locks and then finds them no longer pending.
    Reminder.objects.filter(pk__in=ids, state=ReminderState.PENDING).update(
        state=ReminderState.SENT, claim_token=token, sent_at=now
    )
    claimed = list(
        Reminder.objects.filter(claim_token=token)
        .select_related("organization", "slot__organization", "slot__report", "slot__schedule",
                        "program__reminder_policy")
        .order_by("pk")
    )  # fmt: skip
    recorded = _recorded_theme_days(claimed)
    skipped = defaultdict(list)
    groups: dict[tuple, list[Reminder]] = defaultdict(list)
    for r in claimed:
        reason = _quiet_reason(r, on, recorded)
        if not reason and r.kind == ReminderKind.ESCALATION and r.slot.organization.parent_id is None:
            reason = "no parent organization"
        if reason:
            skipped[reason].append(r.pk)
        elif r.kind == ReminderKind.ESCALATION:
            groups[(r.kind, r.program_id, r.slot.organization.parent_id)].append(r)
        else:
            groups[(r.kind, r.program_id, r.organization_id, r.pk)].append(r)
    for reason, pks in skipped.items():
        Reminder.objects.filter(pk__in=pks).update(
            state=ReminderState.SKIPPED, skip_reason=reason, sent_at=None
        )
    if not groups:
        return []
    org_ids = {key[2] for key in groups}
    organizations = {o.pk: o for o in Organization.objects.filter(pk__in=org_ids)}
    for hook in OrganizationWebhook.objects.filter(organization_id__in=org_ids, enabled=True):
        organizations[hook.organization_id]._reminder_webhook = hook
    users_by_org: dict[tuple, list] = defaultdict(list)
    for m in Membership.objects.filter(
        organization_id__in=org_ids, role__in=[Role.SECRETARY, Role.STAFF]
    ).select_related("user"):
        if m.user.is_active:
            users_by_org[(m.organization_id, m.role)].append(m.user)
    messages, keys = [], []
    for key, reminders in groups.items():
        kind, program_id, org_id = key[:3]
        title, body = _text(kind, reminders)
        if kind == ReminderKind.ESCALATION:
            url = reverse("pilots:program_reminders", args=[program_id])
        elif kind == ReminderKind.THEME_DAY:
            url = reverse("grassroots:theme_day_new", args=[org_id]) + f"?branch={org_id}"
        else:
            url = reverse("pilots:my_reports")
        messages.append(ReminderMessage(program_id=program_id, organization_id=org_id, kind=kind, title=title[:200],
                                        body=body, url=url, created_at=now))  # fmt: skip
        keys.append(key)
    ReminderMessage.objects.bulk_create(messages)
    notices, deliveries, linked = [], [], []
    outbox = channels()
    for key, message in zip(keys, messages, strict=True):
        kind, org_id = key[0], key[2]
        role = Role.STAFF if kind == ReminderKind.ESCALATION else Role.SECRETARY
        users = users_by_org.get((org_id, role), [])
        for user in users:
            notices.append(Notice(recipient=user, kind=f"reminder_{kind}", title=message.title, body=message.body,
                                  url=message.url, created_at=now))  # fmt: skip
            deliveries.append(Delivery(message=message, channel="inapp", recipient=user, state=DeliveryState.SENT,
                                       attempts=1, sent_at=now, next_attempt_at=now))  # fmt: skip
        for channel in outbox.values():
            for user, target in channel.targets(
                message=message, users=users, organization=organizations[org_id]
            ):
                deliveries.append(Delivery(message=message, channel=channel.name, recipient=user, target=target,
                                           next_attempt_at=now))  # fmt: skip
        for r in groups[key]:
            r.message = message
            linked.append(r)
    Notice.objects.bulk_create(notices)
    Delivery.objects.bulk_create(deliveries)
    _link_messages(linked)
    return [m.pk for m in messages]


def _link_messages(linked: list[Reminder]) -> None:
    """Point each claim at its message. bulk_update builds a CASE WHEN per row (a third of a chunk's time
    at 500 claims); on PostgreSQL one UPDATE … FROM unnest(ids, message ids) does it."""
    if connection.vendor != "postgresql":
        Reminder.objects.bulk_update(linked, ["message"])
        return
    table = connection.ops.quote_name(Reminder._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET message_id = v.m FROM unnest(%s::bigint[], %s::bigint[]) AS v(r, m) "
            f"WHERE {table}.id = v.r",
            [[r.pk for r in linked], [r.message_id for r in linked]],
        )


# --- the outbox of external channels --------------------------------------------------------------------


def deliver_pending(*, message_ids=None, now: dt.datetime | None = None) -> dict[str, int]:
    """Send due deliveries; each is claimed (compare-and-set with a lease) before it is sent. A failure is
    recorded and retried after 1, 2, 4 … minutes, up to MAX_ATTEMPTS; then it stays failed."""
    now = now or timezone.now()
    due = Q(state=DeliveryState.PENDING, next_attempt_at__lte=now) | Q(
        state=DeliveryState.SENDING, lease_until__lt=now
    )
    qs = Delivery.objects.filter(due)
    if message_ids is not None:
        qs = qs.filter(message_id__in=message_ids)
    counts = {"sent": 0, "failed": 0, "retry": 0}
    registry = channels()
    for pk in list(qs.order_by("pk").values_list("pk", flat=True)):
        claimed = Delivery.objects.filter(due, pk=pk).update(
            state=DeliveryState.SENDING,
            attempts=F("attempts") + 1,
            lease_until=now + timedelta(seconds=LEASE_SECONDS),
        )
        if not claimed:
            continue
        delivery = Delivery.objects.select_related("message").get(pk=pk)
        channel = registry.get(delivery.channel)
        try:
            if channel is None:
                raise RuntimeError(f"no channel {delivery.channel!r}")
            channel.send(delivery)
        except Exception as exc:
            final = delivery.attempts >= MAX_ATTEMPTS
            log.warning("reminder delivery %s via %s failed (attempt %s): %s", pk, delivery.channel,
                        delivery.attempts, exc)  # fmt: skip
            Delivery.objects.filter(pk=pk).update(
                state=DeliveryState.FAILED if final else DeliveryState.PENDING,
                last_error=str(exc)[:2000],
                next_attempt_at=timezone.now()
                + timedelta(seconds=BACKOFF_SECONDS * 2 ** (delivery.attempts - 1)),
            )
            counts["failed" if final else "retry"] += 1
        else:
            Delivery.objects.filter(pk=pk).update(
                state=DeliveryState.SENT, sent_at=timezone.now(), last_error=""
            )
            counts["sent"] += 1
    return counts


def run(*, on: dt.date | None = None, kinds=None, chunk: int = 500) -> dict:
    """What the periodic task does: sweep, dispatch, then retry the outbox."""
    candidates = sweep(on=on, kinds=kinds)
    messages = dispatch(chunk=chunk)
    retried = deliver_pending()
    return {"candidates": len(candidates), "messages": messages, **retried}
