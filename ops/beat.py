"""Celery beat as a singleton: django-celery-beat's database scheduler behind a lock.

Start as many beats as you like (by mistake, or one per server for failover): only the one holding the
lock sends tasks; the others stay on standby, retry the lock every few seconds, and take over within
one retry after the holder dies.

On PostgreSQL the lock is a session-level advisory lock on a connection of its own: PostgreSQL drops it
the moment that connection closes (process exit, crash, SIGKILL, lost host once TCP keepalives expire),
so there is no lease to tune and no clock to trust. On SQLite (one machine) it is an flock on a file
under VAR_DIR.
"""

from __future__ import annotations

import fcntl
import logging
import os

from django.conf import settings
from django_celery_beat.schedulers import DatabaseScheduler

logger = logging.getLogger(__name__)

# pg_try_advisory_lock takes a bigint; advisory locks are per database, so one key per deployment.
LOCK_KEY = 0x1EA9_BE47
STANDBY_RETRY_SECONDS = float(os.environ.get("BEAT_STANDBY_RETRY", "5"))


class PostgresLock:
    def __init__(self):
        self.conn = None

    def _connect(self):
        import psycopg2

        db = settings.DATABASES["default"]
        conn = psycopg2.connect(
            dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"], host=db["HOST"] or None,
            port=db["PORT"] or None, application_name="celery-beat-lock", connect_timeout=5,
            keepalives=1, keepalives_idle=10, keepalives_interval=5, keepalives_count=3,
        )  # fmt: skip
        conn.autocommit = True
        return conn

    def acquire(self) -> bool:
        try:
            if self.conn is None or self.conn.closed:
                self.conn = self._connect()
            with self.conn.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
                return bool(cursor.fetchone()[0])
        except Exception as exc:  # database unreachable: not ours
            logger.warning("beat lock: cannot reach PostgreSQL (%s)", exc.__class__.__name__)
            self.release()
            return False

    def still_held(self) -> bool:
        """The lock lives as long as its connection: check the connection is alive."""
        if self.conn is None or self.conn.closed:
            return False
        try:
            with self.conn.cursor() as cursor:
                cursor.execute("SELECT 1")
            return True
        except Exception:
            self.release()
            return False

    def release(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            except Exception:  # already broken
                pass
        self.conn = None


class FileLock:
    def __init__(self):
        self.path = settings.VAR_DIR / "celerybeat.lock"
        self.fd = None

    def acquire(self) -> bool:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self.fd = fd
        return True

    def still_held(self) -> bool:
        return self.fd is not None

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
        self.fd = None


def make_lock():
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return PostgresLock()
    return FileLock()


class SingletonDatabaseScheduler(DatabaseScheduler):
    """DatabaseScheduler that sends nothing unless it holds the beat lock."""

    def __init__(self, *args, **kwargs):
        self._lock = make_lock()
        self._active = False
        self._announced_standby = False
        super().__init__(*args, **kwargs)
        # Write last_run_at after every sent task, so a beat taking over does not repeat a run.
        self.sync_every_tasks = 1

    def tick(self, *args, **kwargs):
        if self._active and not self._lock.still_held():
            logger.error("beat lock lost: this beat stops scheduling and goes on standby")
            self._active = False
        if not self._active:
            if not self._lock.acquire():
                if not self._announced_standby:
                    logger.warning("beat lock held by another beat: this beat is on standby")
                    self._announced_standby = True
                return STANDBY_RETRY_SECONDS
            logger.warning("beat lock acquired: this beat schedules the periodic tasks")
            self._active = True
            self._announced_standby = False
            # Read the schedule afresh: the previous holder recorded when each task last ran.
            self._initial_read = True
            self._heap = None
        return super().tick(*args, **kwargs)

    def close(self):
        try:
            super().close()
        finally:
            self._lock.release()
