"""Security headers on every page, production-only settings, and templates the CSP can serve."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_pages_carry_the_security_headers(client_for, client):
    for response in (client_for("street").get("/"), client.get("/public/"), client.get("/accounts/login/")):
        csp = response["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
        assert directives["script-src"] == "'self'"
        assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
        assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_templates_have_no_inline_scripts_or_styles():
    """The CSP would block them in the browser: every template of every app is checked."""
    offenders = []
    for path in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in path.parts:
            continue
        text = path.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and 'type="application/json"' not in tag:
                offenders.append(f"{path}: inline {tag}")
        if re.search(r"\sstyle=", text):
            offenders.append(f"{path}: style= attribute")
        if re.search(r"\son[a-z]+=\"", text):
            offenders.append(f"{path}: inline event handler")
    assert not offenders, "\n".join(offenders)


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7!kq2-production-like-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "league.example.org",
}

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
r = Client().get("/public/", secure=True, HTTP_HOST="league.example.org")
plain = Client().get("/public/", HTTP_HOST="league.example.org")
print(json.dumps({
    "status": r.status_code, "hsts": r.get("Strict-Transport-Security"),
    "plain_status": plain.status_code, "plain_location": plain.get("Location"),
    "session_secure": settings.SESSION_COOKIE_SECURE, "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "session_httponly": settings.SESSION_COOKIE_HTTPONLY, "session_age": settings.SESSION_COOKIE_AGE,
    "browser_close": settings.SESSION_EXPIRE_AT_BROWSER_CLOSE,
}))
"""


def test_production_sends_hsts_redirects_to_https_and_secures_cookies(tmp_path):
    env = {**os.environ, **PRODUCTION, "VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "league.settings"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout.strip().splitlines()[-1])
    assert facts["status"] == 200
    assert facts["hsts"].startswith("max-age=31536000") and "includeSubDomains" in facts["hsts"]
    assert facts["plain_status"] == 301 and facts["plain_location"].startswith("https://")
    assert facts["session_secure"] and facts["csrf_secure"] and facts["session_httponly"]
    assert facts["session_age"] <= 12 * 3600 and facts["browser_close"]


def test_development_sends_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/public/")
