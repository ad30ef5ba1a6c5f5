"""Project-wide checks: production settings pass `check --deploy`; every string has its Chinese."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x7!kq2-production-like-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "league.example.org",
        "VAR_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' conftest, never in deployment
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def po_files():
    return sorted(p for p in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po") if ".venv" not in p.parts)


def test_there_are_chinese_catalogs():
    assert po_files(), "no zh_Hans catalogs found"


@pytest.mark.parametrize("po", po_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_string_is_translated_to_chinese(po):
    result = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True
    )
    stats = result.stderr
    assert result.returncode == 0, stats
    assert "untranslated" not in stats and "fuzzy" not in stats, f"{po}: {stats}"
