"""make scale on real processes: nginx, two app instances, two workers, a singleton beat.

The tests run in this order on one deployment (the last ones kill processes). Figures on this machine:
the whole file takes about 40 s, most of it the start-up and the 6 s visibility timeout.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import threading
import urllib.error
import uuid
from datetime import datetime

import pytest

from tests.conftest import ROOT
from tests.scale.conftest import PASSWORD, Browser, wait_until

pytestmark = [pytest.mark.scale]


def _records(deployment, batch):
    return deployment.query(
        "SELECT key, state, enqueued_by, node, done_by, attempts, completions FROM ops_taskrecord "
        "WHERE batch = %s ORDER BY key",
        [batch],
    )


def test_session_is_kept_while_requests_alternate_between_instances(deployment):
    browser = deployment.browser()
    upstreams = []
    for _ in range(8):
        response = browser.request("/")
        assert response.status == 200, (response.status, response.headers.get("Location"))
        assert "ops" in response.text  # the logged-in user's name in the navigation bar
        upstreams.append(response.upstream)
    assert len(set(upstreams)) == 2, upstreams
    assert min(upstreams.count(u) for u in set(upstreams)) >= 3, upstreams  # round robin

    # One logout, through whichever instance, ends the session on both.
    browser.request("/accounts/logout/", {})
    for _ in range(2):
        assert browser.request("/").status == 302


def test_production_settings_and_static_files_from_nginx(deployment):
    browser = deployment.browser()
    missing = browser.request("/no-such-page/")
    assert missing.status == 404
    assert "Traceback" not in missing.text and "DEBUG = True" not in missing.text
    static = browser.request("/static/css/app.css")
    assert static.status == 200 and static.upstream is None  # nginx answered, no app instance involved
    assert static.headers["Server"] == "nginx"
    login = Browser(deployment.base).login("ops", PASSWORD)
    session_cookie = [c for c in login.headers.get_all("Set-Cookie") if c.startswith("sessionid=")]
    assert session_cookie and "HttpOnly" in session_cookie[0]
    assert login.headers["X-Frame-Options"] == "DENY" and "Content-Security-Policy" in login.headers


def test_tasks_enqueued_by_either_instance_run_on_both_workers(deployment):
    browser = deployment.browser()
    batch = f"both-{uuid.uuid4().hex[:6]}"
    instances = set()
    for _ in range(4):
        response = browser.request("/ops/probes/", {"count": "4", "seconds": "0.3", "batch": batch})
        assert response.status == 200, response.text[:300]
        instances.add(json.loads(response.text)["instance"])
    assert instances == {"web1", "web2"}

    def all_done():
        rows = _records(deployment, batch)
        return len(rows) == 16 and all(row[1] == "done" for row in rows) and rows

    rows = wait_until(all_done, 30, "the probe tasks did not all finish", deployment)
    assert {row[2] for row in rows} == {"web1", "web2"}
    assert {row[4].split("@")[0] for row in rows} == {"worker1", "worker2"}
    assert all(row[6] == 1 for row in rows)
    summary = json.loads(browser.request(f"/ops/probes/?batch={batch}").text)
    assert summary["completions"] == 16 and summary["state"] == {"done": 16}


def test_rolling_restart_loses_no_request(deployment):
    browser = deployment.browser()
    before = {name: deployment.pid(name) for name in ("web1", "web2")}
    results = {"ok": 0, "failed": []}
    stop = threading.Event()

    def loop():
        paths = ["/", "/healthz", "/orgs/"]
        i = 0
        while not stop.is_set():
            path = paths[i % len(paths)]
            i += 1
            try:
                response = browser.request(path, timeout=30)
                if response.status == 200:
                    results["ok"] += 1
                else:
                    results["failed"].append((path, response.status))
            except (urllib.error.URLError, OSError) as exc:
                results["failed"].append((path, repr(exc)))

    threads = [threading.Thread(target=loop) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        subprocess.run([str(ROOT / "scripts/scale.sh"), "rolling-restart"], env=deployment.env, check=True,
                       timeout=120, capture_output=True)  # fmt: skip
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    after = {name: deployment.pid(name) for name in ("web1", "web2")}
    assert all(before[name] != after[name] for name in before), (before, after)
    assert results["failed"] == []
    assert results["ok"] > 100, results["ok"]


def test_a_worker_killed_holding_tasks_leaves_them_to_the_other_once(deployment):
    browser = deployment.browser()
    batch = f"kill-{uuid.uuid4().hex[:6]}"
    response = browser.request("/ops/probes/", {"count": "4", "seconds": "1.5", "batch": batch})
    assert response.status == 200, response.text[:300]

    def worker1_holds_two():
        held = [
            row
            for row in _records(deployment, batch)
            if row[1] == "running" and row[3].startswith("worker1@")
        ]
        return len(held) == 2 and held

    held = wait_until(worker1_holds_two, 15, "worker1 never held two tasks", deployment)
    os.killpg(deployment.pid("worker1"), signal.SIGKILL)

    def all_done():
        rows = _records(deployment, batch)
        return all(row[1] == "done" for row in rows) and rows

    rows = wait_until(all_done, 30, "the killed worker's tasks were not taken over", deployment)
    by_key = {row[0]: row for row in rows}
    for key, *_ in held:
        _, _, _, node, done_by, attempts, completions = by_key[key]
        assert done_by.startswith("worker2@"), by_key[key]
        assert (attempts, completions) == (2, 1), by_key[key]  # claimed by both, completed once
    assert all(row[6] == 1 for row in rows)
    assert len(rows) == 4


# celery beat's own line for each send, e.g.
# "[2026-12-05 18:42:17,123: INFO/MainProcess] Scheduler: Sending due task beat-1a2b3c (ops.beat_probe)"
SENT = re.compile(
    r"^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}): \w+/MainProcess\] "
    r"Scheduler: Sending due task (\S+) ",
    re.MULTILINE,
)


def _sends(log: str, name: str) -> list[float]:
    """When a beat sent the periodic task `name`, from its log (seconds)."""
    return [
        datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S,%f").timestamp()
        for stamp, task in SENT.findall(log)
        if task == name
    ]


def test_two_beats_schedule_each_periodic_run_once(deployment):
    """Two beats running: one run per second is sent (by the lock holder only), and each run happens once.

    The schedule is judged by when the beats sent (their logs), not by when a worker finished a run: a
    worker still busy with an earlier test's tasks runs two queued probes back to back, which says
    nothing about the beats.
    """
    batch = f"beat-{uuid.uuid4().hex[:6]}"
    deployment.manage(
        "from django_celery_beat.models import IntervalSchedule, PeriodicTask; import json; "
        "every, _ = IntervalSchedule.objects.get_or_create(every=1, period='seconds'); "
        f"PeriodicTask.objects.create(name={batch!r}, task='ops.beat_probe', interval=every, "
        f"kwargs=json.dumps({{'batch': {batch!r}}}))"
    )
    second_log = open(deployment.dir / "logs" / "beat2.log", "w")
    second = subprocess.Popen([str(ROOT / ".venv/bin/celery"), "-A", "league", "beat", "-l", "info"],
                              cwd=ROOT, env=deployment.env, stdout=second_log, stderr=subprocess.STDOUT,
                              start_new_session=True)  # fmt: skip
    try:
        wait_until(lambda: "on standby" in deployment.log("beat2"), 30, "the second beat did not start")

        def runs():
            return len(deployment.query("SELECT 1 FROM ops_taskrecord WHERE batch = %s", [batch]))

        def sends():
            return sorted(_sends(deployment.log("beat"), batch) + _sends(deployment.log("beat2"), batch))

        def every_send_ran_once(lost=0):
            before = len(sends())
            ran = runs()
            assert ran <= len(sends()), (ran, before)  # a run that no beat logged sending
            return ran >= before - lost

        def one_per_second(times):
            gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
            assert min(gaps) > 0.5, gaps  # two schedulers would send two runs per second
            return gaps

        wait_until(lambda: len(sends()) >= 6, 30, "beat did not send the probe", deployment)
        assert "Sending due task" not in deployment.log("beat2")  # the standby sends nothing
        assert max(one_per_second(sends())) < 3
        wait_until(every_send_ran_once, 30, "the workers did not run every send", deployment)

        # The active beat dies: the standby takes over, still one run per second, each run once.
        os.killpg(deployment.pid("beat"), signal.SIGKILL)
        wait_until(lambda: "beat lock acquired" in deployment.log("beat2"), 10, "no takeover", deployment)
        wait_until(
            lambda: len(_sends(deployment.log("beat2"), batch)) >= 4, 20, "no runs after the takeover",
            deployment,
        )  # fmt: skip
        one_per_second(sends())
        assert max(one_per_second(_sends(deployment.log("beat2"), batch))) < 3
        # The killed beat may have logged its last send and died before publishing it: one may be lost.
        wait_until(lambda: every_send_ran_once(lost=1), 30, "the workers did not run every send", deployment)
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(timeout=15)
        except subprocess.TimeoutExpired:
            second.kill()
        second_log.close()
