"""Probe tasks: what a deployment check enqueues to see every worker take a share, exactly once."""

import time

from celery import shared_task

from . import services


@shared_task(bind=True, name="ops.probe")
def probe(self, key: str, seconds: float = 0.0) -> str:
    """Claim the record, work for `seconds`, mark it done. A redelivered copy finds it claimed or done."""
    node = self.request.hostname or "eager"
    if not services.claim(key=key, node=node):
        return "skipped"
    time.sleep(seconds)  # stands for real work: the window in which a worker can die holding the task
    services.complete(key=key, node=node)
    return "done"


@shared_task(bind=True, name="ops.beat_probe")
def beat_probe(self, batch: str) -> str:
    """Scheduled by beat in the singleton check: one row per run that reached a worker."""
    services.record_beat_run(
        batch=batch, task_id=self.request.id or "eager", node=self.request.hostname or ""
    )
    return batch
