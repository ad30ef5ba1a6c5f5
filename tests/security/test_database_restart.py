"""The database restarts mid-work: pages answer 503 with a clear message, then recover; nothing is lost."""

import json
import os
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from league.backups import _pg_tool
from league.models import Organization
from tests.conftest import wait_for

# It stops the PostgreSQL every test of the pass shares: make test runs it alone, not beside other tests.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.exclusive]


def pg_ctl(*args):
    data = Path(os.environ["PG_DIR"]) / "data"
    run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*run_as, _pg_tool("pg_ctl"), "-D", str(data), "-w", *args], cwd="/tmp", check=True,
                   capture_output=True, timeout=60)  # fmt: skip


class Browser:
    """Plain HTTP against the live server (its WSGI handler reconnects the way gunicorn's does)."""

    def __init__(self, base: str, session_key: str):
        self.base = base
        self.cookies = {settings.SESSION_COOKIE_NAME: session_key}

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Referer": self.base + "/",
        }
        req = urllib.request.Request(self.base + path, data=body, headers=headers)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(req, timeout=10)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, dict(response.headers), response.read().decode()

    def get(self, path):
        return self.request(path)

    def edit(self, org, name, version):
        self.get(f"/orgs/{org.pk}/edit/")  # the form, and its CSRF cookie
        data = {"name": name, "kind": org.kind, "domain": org.domain, "version": version,
                "csrfmiddlewaretoken": self.cookies.get(settings.CSRF_COOKIE_NAME, "")}  # fmt: skip
        return self.request(f"/orgs/{org.pk}/edit/", data)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def restartable_postgres():
    if connection.vendor != "postgresql" or not os.environ.get("PG_DIR"):
        pytest.skip("needs the throwaway PostgreSQL that make test starts (PG_DIR)")
    port, sock = os.environ["PG_PORT"], Path(os.environ["PG_DIR"]) / "sock"
    options = f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300"
    yield (
        lambda: pg_ctl("-m", "fast", "stop"),
        lambda: pg_ctl("-o", options, "-l", "/tmp/league-pg-restart.log", "start"),
    )
    connection.close()


def test_pages_answer_clearly_while_the_database_is_down_and_nothing_is_lost(
    world, live_server, restartable_postgres
):
    stop, start = restartable_postgres
    login = Client()
    login.force_login(world.users["county"])
    browser = Browser(live_server.url, login.cookies[settings.SESSION_COOKIE_NAME].value)
    org = world.zhonghe
    status, _, text = browser.edit(org, "中河（重启前）", 1)
    assert status == 302, text[:500]
    connection.close()
    stop()
    try:
        status, headers, text = browser.get("/")
        assert status == 503 and headers["Retry-After"]
        assert "数据库暂时无法连接" in text and "Traceback" not in text
        data = {"name": "中河（数据库停止时）", "kind": org.kind, "domain": org.domain, "version": 2,
                "csrfmiddlewaretoken": browser.cookies.get(settings.CSRF_COOKIE_NAME, "")}  # fmt: skip
        status, _, text = browser.request(f"/orgs/{org.pk}/edit/", data)
        assert status == 503 and "没有被部分保存" in text
        status, _, text = browser.get("/healthz")
        assert status == 503 and json.loads(text)["database"].startswith("error")
    finally:
        start()
    assert wait_for(lambda: browser.get("/")[0] == 200, timeout=30)
    saved = Organization.objects.get(pk=org.pk)
    assert saved.name == "中河（重启前）" and saved.version == 2  # committed before: kept; during: not stored
    assert browser.edit(saved, "中河（重启后）", 2)[0] == 302
    assert Organization.objects.get(pk=org.pk).name == "中河（重启后）"
