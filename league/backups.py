"""Backups of the whole database: pg_dump/pg_restore on PostgreSQL, SQLite's online backup API otherwise.

    make backup                      -> var/backups/league-YYYYmmdd-HHMMSS.{dump,sqlite3}
    make restore FILE=var/backups/…  -> replaces the configured database with the backup's content
    manage.py restore FILE --into DATABASE_URL   restores into another (empty) database instead

Both work on a running site: pg_dump reads one consistent snapshot; SQLite's backup API copies pages
under a read lock, so the copy is consistent with WAL too.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.db import connections


class BackupError(Exception):
    pass


def _pg_tool(name: str) -> str:
    """The newest server version's client (the dump format must not be older than the server)."""
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    found = candidates[-1] if candidates else shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} not found: install the PostgreSQL client (apt-get install postgresql-client)"
        )
    return found


def _pg_env(db: dict) -> tuple[list[str], dict]:
    args = ["-h", str(db.get("HOST") or "localhost"), "-p", str(db.get("PORT") or 5432), "-U", db["USER"]]
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    return args, env


def default_path(directory: Path | None = None) -> Path:
    from django.utils import timezone

    directory = directory or settings.VAR_DIR / "backups"
    directory.mkdir(parents=True, exist_ok=True)
    vendor = connections["default"].vendor
    suffix = "dump" if vendor == "postgresql" else "sqlite3"
    return directory / f"league-{timezone.localtime():%Y%m%d-%H%M%S}.{suffix}"


def backup(path: Path, *, alias: str = "default") -> Path:
    connection = connections[alias]
    db = connection.settings_dict
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "postgresql":
        args, env = _pg_env(db)
        result = subprocess.run(
            [_pg_tool("pg_dump"), *args, "-Fc", "--no-owner", "--no-privileges", "-f", str(path), db["NAME"]],
            env=env, capture_output=True, text=True,
        )  # fmt: skip
        if result.returncode:
            raise BackupError(result.stderr.strip())
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        raise BackupError(f"no backup method for {connection.vendor}")
    return path


def restore(path: Path, *, database_url: str | None = None) -> None:
    """Load a backup into `database_url` (default: the configured database), replacing what is there."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such backup file")
    db = dj_database_url.parse(database_url) if database_url else connections["default"].settings_dict
    if db["ENGINE"] == "django.db.backends.postgresql":
        if not path.read_bytes()[:5] == b"PGDMP":
            raise BackupError(f"{path} is not a PostgreSQL backup (pg_dump -Fc)")
        args, env = _pg_env(db)
        if not database_url:
            connections["default"].close()
        result = subprocess.run(
            [_pg_tool("pg_restore"), *args, "--clean", "--if-exists", "--no-owner", "--no-privileges",
             "--single-transaction", "--exit-on-error", "-d", db["NAME"], str(path)],
            env=env, capture_output=True, text=True,
        )  # fmt: skip
        if result.returncode:
            raise BackupError(result.stderr.strip())
    elif db["ENGINE"] == "django.db.backends.sqlite3":
        if not path.read_bytes()[:16] == b"SQLite format 3\x00":
            raise BackupError(f"{path} is not an SQLite backup")
        if not database_url:
            connections["default"].close()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(db["NAME"])
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
    else:
        raise BackupError(f"no restore method for {db['ENGINE']}")
