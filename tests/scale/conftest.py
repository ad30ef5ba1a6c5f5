"""`make scale` started for real (scripts/scale.sh) on the PostgreSQL and Redis of make test's second pass.

The tests here are marked `scale` and only run when the marker is asked for (`pytest -m scale`, the step
after the PostgreSQL pass in scripts/test.sh): they start nginx, two gunicorn instances, two workers and
a beat, which the other passes do not need.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import subprocess
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import psycopg2
import pytest

from tests.conftest import ROOT, wait_for

PASSWORD = "scale-check-Pw-2026"


def pytest_collection_modifyitems(config, items):
    if "scale" in (config.getoption("markexpr") or ""):
        return
    skipped = [item for item in items if item.get_closest_marker("scale")]
    if skipped:
        config.hook.pytest_deselected(items=skipped)
        items[:] = [item for item in items if not item.get_closest_marker("scale")]


class Response:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def upstream(self) -> str | None:
        return self.headers.get("X-Upstream")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies kept, redirects not followed: enough to log in through nginx and see who answered."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def request(self, path: str, data: dict | None = None, timeout: float = 20) -> Response:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body)
        if data is not None:
            req.add_header("X-CSRFToken", self.cookie("csrftoken") or "")
        try:
            with self.opener.open(req, timeout=timeout) as resp:
                return Response(resp.status, resp.headers, resp.read())
        except urllib.error.HTTPError as err:
            return Response(err.code, err.headers, err.read())

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def login(self, username: str, password: str) -> Response:
        page = self.request("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        return self.request(
            "/accounts/login/", {"username": username, "password": password, "csrfmiddlewaretoken": token}
        )


class Deployment:
    def __init__(self, directory: Path, port: int, db_url: str, proc: subprocess.Popen):
        self.dir, self.port, self.db_url, self.proc = directory, port, db_url, proc
        self.base = f"http://127.0.0.1:{port}"

    @property
    def env(self) -> dict:
        values = dict(
            line.split("=", 1) for line in (self.dir / "env").read_text().splitlines() if "=" in line
        )
        return {**os.environ, **values, "SCALE_DIR": str(self.dir)}

    def pid(self, name: str) -> int:
        return int((self.dir / "run" / f"{name}.pid").read_text())

    def log(self, name: str) -> str:
        path = self.dir / "logs" / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def query(self, sql: str, params=()) -> list[tuple]:
        with psycopg2.connect(self.db_url) as conn, conn.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall() if cursor.description else []
        conn.close()
        return rows

    def manage(self, code: str) -> str:
        return subprocess.run(
            [str(ROOT / ".venv/bin/python"), "manage.py", "shell", "-c", code],
            cwd=ROOT, env=self.env, check=True, capture_output=True, text=True, timeout=60,
        ).stdout  # fmt: skip

    def browser(self) -> Browser:
        browser = Browser(self.base)
        response = browser.login("ops", PASSWORD)
        assert response.status == 302, response.text[:500]
        return browser

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-2500:]}" for p in (self.dir / "logs").glob("*")
        )


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def deployment(tmp_path_factory):
    """scripts/scale.sh on a fresh database of make test's PostgreSQL and two spare Redis databases."""
    db_url = os.environ.get("DATABASE_URL", "")
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not db_url.startswith("postgres") or not broker.startswith("redis://"):
        pytest.skip("needs PostgreSQL and Redis: make test runs this after its PostgreSQL pass")
    name = f"scale_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(db_url)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name}")
    parts = urllib.parse.urlsplit(db_url)
    scale_db = urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    redis = urllib.parse.urlsplit(broker)
    redis_base = f"redis://{redis.hostname}:{redis.port}"
    for index in (5, 6):
        subprocess.run(["redis-cli", "-h", redis.hostname, "-p", str(redis.port), "-n", str(index), "flushdb"],
                       check=True, capture_output=True)  # fmt: skip

    directory = tmp_path_factory.mktemp("scale")
    port = _free_port()
    env = {
        **os.environ, "SCALE_DIR": str(directory), "PORT": str(port), "SEED": "0",
        "DATABASE_URL": scale_db, "CELERY_BROKER_URL": f"{redis_base}/5", "CACHE_URL": f"{redis_base}/6",
        # A dead worker's tasks come back after 6 s (claims last 4.8 s, tasks are stopped after 3 s).
        "CELERY_VISIBILITY_TIMEOUT": "6", "BEAT_STANDBY_RETRY": "0.5", "GUNICORN_WORKERS": "2",
    }  # fmt: skip
    env.pop("VAR_DIR", None)
    out = open(directory / "scale.out", "w")
    # Ctrl-C as at a terminal: a shell started in the background (`make test &`, nohup, some CI runners) hands
    # its children SIGINT ignored, and bash cannot trap a signal ignored on entry, so it is restored first.
    proc = subprocess.Popen([str(ROOT / "scripts/scale.sh")], cwd=ROOT, env=env, stdout=out,
                            stderr=subprocess.STDOUT, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # fmt: skip
    deploy = Deployment(directory, port, scale_db, proc)
    ready = wait_for(lambda: (directory / "run" / "ready").exists() or proc.poll() is not None, timeout=120)
    if not ready or proc.poll() is not None:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=30)
        raise RuntimeError(
            "make scale did not start:\n" + (directory / "scale.out").read_text() + deploy.logs()
        )
    deploy.manage(
        "from django.contrib.auth.models import User; "
        f"User.objects.create_superuser('ops', 'ops@example.org', {PASSWORD!r})"
    )
    yield deploy

    # Ctrl-C: everything make scale started must be gone.
    started = [p.stem for p in (directory / "run").glob("*.pid")]
    pids = {name: deploy.pid(name) for name in started if name != "scale"}
    os.killpg(proc.pid, signal.SIGINT)
    proc.wait(timeout=120)  # a warm shutdown of workers takes 5-7 s each; more on a loaded machine
    out.close()
    alive = [name for name, pid in pids.items() if _alive(pid)]
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.close()
    assert not alive, f"still running after Ctrl-C: {alive}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie child of a process that is gone counts as stopped.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split()[2] != "Z"


def wait_until(predicate, timeout: float, message: str, deployment: Deployment | None = None):
    value = wait_for(predicate, timeout=timeout, interval=0.1)
    if not value:
        raise AssertionError(message + ("\n" + deployment.logs() if deployment else ""))
    return value
