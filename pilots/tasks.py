"""Background tasks of the pilots app: thin, safe to run twice (claims make them exactly-once)."""

import logging
import os
import threading

from celery import shared_task

log = logging.getLogger(__name__)


@shared_task(name="pilots.reminders_sweep", acks_late=True)
def reminders_sweep(kinds: list[str] | None = None, on: str | None = None) -> dict:
    """Beat runs this weekly (Monday 09:00) and daily; who is due is decided from the database now.
    `on` (ISO date, default today) sweeps as of another day — for a catch-up run or a test."""
    import datetime as dt

    from . import reminders

    chunk = int(os.environ.get("REMINDER_DISPATCH_CHUNK", "500"))
    result = reminders.run(kinds=kinds, chunk=chunk, on=dt.date.fromisoformat(on) if on else None)
    log.info("reminder sweep: %s", result)
    return result


@shared_task(name="pilots.reminders_dispatch", acks_late=True)
def reminders_dispatch() -> int:
    from . import reminders

    return reminders.dispatch(chunk=int(os.environ.get("REMINDER_DISPATCH_CHUNK", "500")))


def enqueue_safely(task, wait: float = 1.0, **kwargs) -> bool:
    """Send a task without ever failing or holding the caller: the publish runs in a thread that the
    caller waits for at most `wait` seconds; a broker that is down or hanging is logged, and the claim
    rows wait in the database for the next sweep (a late publish is harmless: dispatch is idempotent)."""
    outcome = {}

    def publish():
        try:
            task.apply_async(kwargs=kwargs, retry=False)
            outcome["ok"] = True
        except Exception as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=publish, name=f"enqueue-{task.name}", daemon=True)
    thread.start()
    thread.join(wait)
    if outcome.get("ok"):
        return True
    log.warning("broker unavailable, %s left for the next sweep: %s", task.name,
                outcome.get("error", f"no answer within {wait} s"))  # fmt: skip
    return False
