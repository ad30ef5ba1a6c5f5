"""Background tasks of the pilots app: thin, safe to run twice (claims make them exactly-once)."""

import logging
import os

from celery import shared_task

log = logging.getLogger(__name__)


@shared_task(name="pilots.reminders_sweep", acks_late=True)
def reminders_sweep(kinds: list[str] | None = None) -> dict:
    """Beat runs this weekly (Monday 09:00) and daily; who is due is decided from the database now."""
    from . import reminders

    chunk = int(os.environ.get("REMINDER_DISPATCH_CHUNK", "500"))
    result = reminders.run(kinds=kinds, chunk=chunk)
    log.info("reminder sweep: %s", result)
    return result


@shared_task(name="pilots.reminders_dispatch", acks_late=True)
def reminders_dispatch() -> int:
    from . import reminders

    return reminders.dispatch(chunk=int(os.environ.get("REMINDER_DISPATCH_CHUNK", "500")))


def enqueue_safely(task, **kwargs) -> bool:
    """Send a task without ever failing the caller: a broker that is down or hanging is logged (short
    timeouts in settings, no publish retry); the claim rows wait in the database for the next sweep."""
    try:
        task.apply_async(kwargs=kwargs, retry=False)
    except Exception as exc:
        log.warning("broker unavailable, %s left for the next sweep: %s", task.name, exc)
        return False
    return True
