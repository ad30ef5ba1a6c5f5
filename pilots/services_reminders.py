"""Writes of reminders: send a program's due reminders now, pause or resume a program's reminders."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from league import policies

from .models import PilotProgram, ReminderPolicy


@transaction.atomic
def reminders_send_now(*, program: PilotProgram, by) -> int:
    """Claim what is due in `program` now (the claims are the outbox), and ask a worker to send them once
    committed; a broker that is down is logged and the next sweep sends them. Returns claims found."""
    from . import reminders
    from .tasks import enqueue_safely, reminders_dispatch

    if not policies.can(by, "manage", program.organization):
        raise PermissionDenied
    candidates = reminders.sweep(program_ids=[program.pk])
    transaction.on_commit(lambda: enqueue_safely(reminders_dispatch))
    return len(candidates)


@transaction.atomic
def reminders_pause(*, program: PilotProgram, by, paused: bool) -> ReminderPolicy:
    if not policies.can(by, "manage", program.organization):
        raise PermissionDenied
    policy, created = ReminderPolicy.objects.get_or_create(program=program, defaults={"paused": paused})
    if not created and policy.paused != paused:
        policy.paused = paused
        policy.save(update_fields=["paused"])
    return policy
