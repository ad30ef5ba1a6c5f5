"""A hand-off between a benchmark and docs/benchmarks.md: each benchmark owns one section between its own
markers and rewrites only that (the generated national-scale block and the other sections stay as they
are). Also the small helpers the reminder and vote benchmarks share."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
from pathlib import Path


def write_section(path: Path, name: str, body: str) -> None:
    """Replace (or add, before the generated national block) the section `name` of `path`."""
    begin, end = f"<!-- bench-{name}:begin -->", f"<!-- bench-{name}:end -->"
    block = f"{begin}\n{body.strip()}\n{end}\n"
    old = path.read_text() if path.exists() else "# Benchmarks\n"
    if begin in old and end in old:
        head, rest = old.split(begin, 1)
        text = head + block + rest.split(end, 1)[1].lstrip("\n")
    elif "<!-- bench:begin -->" in old:
        head, rest = old.split("<!-- bench:begin -->", 1)
        text = head + block + "\n<!-- bench:begin -->" + rest
    else:
        text = old.rstrip("\n") + "\n\n" + block
    path.write_text(text)


def publish(name: str, text: str, results: dict, json_path: str | None, out: str | None) -> None:
    """A benchmark's ending: print its section, keep its results as JSON, (re)write its section of `out`."""
    print(text)
    if json_path:
        Path(json_path).write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str))
    if out:
        write_section(Path(out), name, text)


def database_version() -> str:
    """The server's version string ("15.18 (Debian …)" or "SQLite 3.40.1")."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT 'SQLite ' || sqlite_version()")
        return cursor.fetchone()[0]


def context() -> dict:
    """When, where and on what: the date, the machine's load (uptime), cores and the database."""
    from django.db import connection

    db = database_version()
    try:
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "unknown"
    return {
        "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load": load,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "database": f"{connection.vendor} {db.split(' (')[0]}",
    }


def context_line(c: dict) -> str:
    return (f"Measured {c['when']} on {c['cores']} cores, {c['database']}, load average "
            f"(1, 5, 15 min) at the start: {c['load']}.")  # fmt: skip
