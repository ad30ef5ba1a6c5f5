"""Writes of the ops app: enqueue probe tasks, claim a task once, mark it done."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import TaskRecord, TaskState


def default_lease() -> float:
    """Seconds a claim lasts: below the broker's visibility timeout, so a task handed to a second
    worker (because the first died) always finds the first claim expired and can take it over."""
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    return max(1.0, min(600.0, visibility * 0.8))


@transaction.atomic
def enqueue_probes(*, batch: str, count: int, seconds: float, enqueued_by: str) -> list[str]:
    """Create `count` pending records and send one probe task per record once the rows are committed."""
    from .tasks import probe

    keys = [f"{batch}:{uuid.uuid4().hex[:12]}" for _ in range(count)]
    TaskRecord.objects.bulk_create(
        TaskRecord(key=key, batch=batch, task="ops.probe", enqueued_by=enqueued_by) for key in keys
    )
    lease = default_lease()

    def send():
        for key in keys:
            # The hard time limit stays below the lease: a live claim never expires under a running task.
            probe.apply_async(kwargs={"key": key, "seconds": seconds}, time_limit=max(1, int(lease) - 1))

    transaction.on_commit(send)
    return keys


def claim(*, key: str, node: str, lease: float | None = None) -> bool:
    """Compare-and-set: take a pending task, or one whose previous claimer's lease ran out. True if ours."""
    now = timezone.now()
    lease = default_lease() if lease is None else lease
    claimable = Q(state=TaskState.PENDING) | Q(state=TaskState.RUNNING, lease_until__lt=now)
    updated = (
        TaskRecord.objects.filter(claimable, key=key)
        .update(state=TaskState.RUNNING, node=node, attempts=F("attempts") + 1,
                lease_until=now + timedelta(seconds=lease))
    )  # fmt: skip
    return updated == 1


def complete(*, key: str, node: str) -> bool:
    """Mark a claimed task done; only its current claimer may, and only once."""
    updated = TaskRecord.objects.filter(key=key, state=TaskState.RUNNING, node=node).update(
        state=TaskState.DONE, done_by=node, completions=F("completions") + 1, done_at=timezone.now()
    )
    return updated == 1


def record_beat_run(*, batch: str, task_id: str, node: str) -> TaskRecord:
    """One row per periodic run (the beat probe): counting rows counts runs."""
    record, _ = TaskRecord.objects.get_or_create(
        key=f"{batch}:{task_id}"[:80],
        defaults={"batch": batch, "task": "ops.beat_probe", "state": TaskState.DONE, "node": node,
                  "done_by": node, "attempts": 1, "completions": 1, "done_at": timezone.now()},
    )  # fmt: skip
    return record
