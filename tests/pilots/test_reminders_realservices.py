"""Reminders against the real services (PostgreSQL pass of make test): concurrent sweeps, a broker that is
stopped or paused (CLIENT PAUSE) while a page saves, and a worker SIGKILLed in the middle of a sweep."""

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from league.celery import app
from league.models import Notice, Role
from pilots import reminders
from pilots.models import Delivery, OrganizationWebhook, Reminder, ReminderState
from tests.concurrency import race
from tests.conftest import ROOT, wait_for
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.pilots.factories import monthly_program

pytestmark = [pytest.mark.realservices, pytest.mark.django_db(transaction=True)]


def _pg():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")


def _streets(world, n):
    orgs = []
    for i in range(n):
        org = OrganizationFactory(parent=world.county, level="street", code=f"ZJ-NB-YZ-R{i}")
        MembershipFactory(user=UserFactory(), organization=org, role=Role.SECRETARY)
        orgs.append(org)
    return orgs


def test_two_concurrent_sweeps_send_each_reminder_once(world, redis_url):
    _pg()
    monthly_program(world.county, [world.zhonghe, world.shounan, *_streets(world, 10)])
    day = dt.date.today()

    def sweep():
        reminders.sweep(on=day, kinds=reminders.REPORT_KINDS)
        reminders.dispatch(chunk=3)

    _results, errors = race([sweep, sweep])
    assert errors == [None, None], errors
    sent = Reminder.objects.filter(state=ReminderState.SENT)
    assert sent.count() > 12
    assert (
        Notice.objects.filter(kind__startswith="reminder_").exclude(kind="reminder_escalation").count()
        == sent.exclude(kind="escalation").count()
    )
    assert (
        Delivery.objects.filter(channel="inapp").values("message", "recipient").distinct().count()
        == Delivery.objects.filter(channel="inapp").count()
    )


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OwnRedis:
    def __init__(self, tmp: Path):
        self.port, self.dir = _free_port(), tmp

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        subprocess.run(["redis-server", "--daemonize", "yes", "--port", str(self.port), "--bind", "127.0.0.1",
                        "--save", "", "--appendonly", "no", "--dir", str(self.dir),
                        "--pidfile", str(self.dir / "redis.pid")], check=True)  # fmt: skip
        wait_for(lambda: self.cli("ping").stdout.strip() == "PONG", timeout=5, interval=0.05)

    def cli(self, *args):
        return subprocess.run(["redis-cli", "-p", str(self.port), *args], capture_output=True, text=True)

    def stop(self):
        self.cli("shutdown", "nosave")


@contextmanager
def broker(url):
    """Point this process's Celery app at `url` (its pools are built lazily from the setting)."""
    old = app.conf.broker_write_url

    def reset(to):
        app._pool = None
        app.amqp._producer_pool = None
        app.conf.broker_write_url = to

    reset(url)
    try:
        yield
    finally:
        reset(old)


@pytest.fixture
def own_redis(tmp_path, redis_url):
    _pg()
    redis = OwnRedis(tmp_path)
    redis.start()
    yield redis
    redis.stop()


def _send_now(client_for, program) -> float:
    started = time.monotonic()
    response = client_for("county").post(f"/pilots/programs/{program.pk}/reminders/send/")
    elapsed = time.monotonic() - started
    assert response.status_code == 302
    return elapsed


def test_page_answers_fast_with_the_broker_stopped_or_paused_and_reminders_catch_up(
    world, client_for, own_redis
):
    program = monthly_program(world.county, [world.zhonghe, world.shounan])
    with broker(own_redis.url):
        own_redis.stop()
        assert _send_now(client_for, program) < 2.0
        pending = Reminder.objects.filter(state=ReminderState.PENDING).count()
        assert pending >= 2  # the claims were saved: they are the outbox
        own_redis.start()
        own_redis.cli("client", "pause", "6000", "ALL")
        assert _send_now(client_for, program) < 2.0
        own_redis.cli("client", "unpause")
        # the broker is back: the next beat run sends everything once
        assert reminders.run()["messages"] > 0
        assert not Reminder.objects.filter(state=ReminderState.PENDING).exists()
        assert reminders.run()["messages"] == 0
    assert Notice.objects.filter(recipient=world.users["street"], kind__startswith="reminder_").count() == \
        Reminder.objects.filter(slot__organization=world.zhonghe, state="sent").exclude(kind="escalation").count()  # fmt: skip


class Hanging(BaseHTTPRequestHandler):
    """A robot whose first request hangs until released (the worker is killed meanwhile)."""

    first = threading.Event()
    release = threading.Event()
    keys: list = []

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        Hanging.keys.append(self.headers["X-Idempotency-Key"])
        if not Hanging.first.is_set():
            Hanging.first.set()
            Hanging.release.wait(30)
        self.send_response(200)
        self.send_header("Content-Length", "13")
        self.end_headers()
        self.wfile.write(b'{"errcode":0}')

    def log_message(self, *args):
        pass


def _worker(redis_url, log: Path) -> subprocess.Popen:
    s = connection.settings_dict
    db_url = "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(**s)
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "CELERY_BROKER_URL": redis_url,
        "REMINDER_DISPATCH_CHUNK": "1",
        "GRASSROOTS_THEME_DAY_REMIND_DAY": "0",  # this test counts report reminders to streets only
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "league", "worker", "-l", "info", "--concurrency", "1",
         "-n", f"kill-{time.time_ns()}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    assert wait_for(lambda: "ready." in log.read_text() or proc.poll() is not None, timeout=30)
    assert proc.poll() is None, log.read_text()[-2000:]
    return proc


def test_worker_killed_mid_sweep_loses_and_duplicates_nothing(world, own_redis, tmp_path):
    from pilots.tasks import reminders_sweep

    streets = [world.zhonghe, world.shounan, *_streets(world, 4)]
    last_month = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    monthly_program(world.county, streets, starts_on=last_month, ends_on=last_month + dt.timedelta(days=120))
    Hanging.first.clear(), Hanging.release.clear()
    Hanging.keys = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hanging)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    for org in streets:
        OrganizationWebhook.objects.create(
            organization=org, url=f"http://127.0.0.1:{server.server_port}/send"
        )
    expected = len(reminders.select(timezone.localdate()))
    worker = _worker(own_redis.url, tmp_path / "w1.log")
    try:
        with broker(own_redis.url):
            reminders_sweep.delay()
            assert Hanging.first.wait(30), (tmp_path / "w1.log").read_text()[-2000:]
            worker.send_signal(signal.SIGKILL)
            worker.wait(10)
            Hanging.release.set()
            done_before = Reminder.objects.filter(state=ReminderState.SENT).count()
            assert 0 < done_before < expected  # killed mid-sweep
            worker = _worker(own_redis.url, tmp_path / "w2.log")
            reminders_sweep.delay()  # the next beat run
            assert wait_for(lambda: not Reminder.objects.filter(state="pending").exists()
                            and Reminder.objects.count() == expected
                            and not Delivery.objects.filter(state="pending").exists(), timeout=30), (
                Reminder.objects.count(), Reminder.objects.filter(state="pending").count(), expected,
                list(Delivery.objects.exclude(state="sent").values_list("channel", "state", "last_error")),
                "")  # fmt: skip
    finally:
        worker.kill()
        worker.wait(10)
        server.shutdown()
    sent = Reminder.objects.filter(state=ReminderState.SENT)
    assert sent.count() == expected
    messages = sent.exclude(kind="escalation").values("message").distinct().count()  # to the streets
    assert Notice.objects.filter(kind__startswith="reminder_").count() == \
        Delivery.objects.filter(channel="inapp").count()  # fmt: skip
    assert Delivery.objects.filter(channel="webhook").count() == messages  # one per street message
    # every webhook delivery was posted once; the one in flight when the worker died waits for its lease
    assert len(Hanging.keys) == len(set(Hanging.keys))
    in_flight = Delivery.objects.filter(channel="webhook", state="sending")
    assert in_flight.count() <= 1
    assert Delivery.objects.filter(channel="webhook", state="sent").count() + in_flight.count() == messages
