"""Excel export of 100,000 report rows in the background (issue 10), on the seeded national dataset.

    python -m tests.perf.bench_export --rows 100000 --base-url URL --worker-pid PID --out docs/benchmarks.md
    python -m tests.perf.run export ...   (the same, as `make bench` calls it)

The platform admin opens the report list filtered to the national program's latest months holding at least
`rows` reports (`?program=…&since=…&until=…`, a quarter at national scale) and presses "Export to Excel"
through the running server: past EXPORT_BACKGROUND_THRESHOLD rows the export becomes a job, which the
Celery worker writes (`league.export_run`: the scoped, filtered rows rebuilt in the worker, a streamed
openpyxl write-only workbook, progress every 5,000 rows, the owner's notice). Timed from the request to
the job seen done in the database. The worker's peak memory: its high-water mark is reset before the
request (`/proc/PID/clear_refs`, for the worker and its pool processes) and read after (`VmHWM`).

Then raw openpyxl, the brief's bar: the file's rows read back (not timed) and written again with
`Workbook(write_only=True)` to a file beside it. Checked: the file holds exactly the rows the same filters
count in the database, and the owner was notified. Without `--base-url` (tests/pilots/test_bench_export.py,
at tiny scale) the request goes through Django's test client and the job runs in-process, as the worker
would run it.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

SECONDS_TARGET = 60.0
RSS_TARGET_MB = 300.0
RAW_RATIO_TARGET = 2.0
EXPORT_PATH = "/pilots/reports/export.xlsx"


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "league.settings")
    import django

    django.setup()


def choose_months(rows: int, program=None) -> tuple[dict, int]:
    """The filters of the latest months of the program with the most reports adding up to at least `rows`
    (all its months if they hold fewer): ({program, since, until}, reports they hold)."""
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    from pilots.models import Report

    if program is None:
        top = Report.objects.order_by().values("slot__program").annotate(n=Count("id")).order_by("-n").first()
        program_id = top["slot__program"]
    else:
        program_id = program.pk
    months = (Report.objects.filter(slot__program_id=program_id).order_by()
              .annotate(month=TruncMonth("slot__period_start")).values("month")
              .annotate(n=Count("id")).order_by("-month"))  # fmt: skip
    chosen, total = [], 0
    for m in months:
        chosen.append(m["month"])
        total += m["n"]
        if total >= rows:
            break
    first, last = min(chosen), max(chosen)
    return {"program": str(program_id), "since": f"{first:%Y-%m}", "until": f"{last:%Y-%m}"}, total


def _pool(pid: int) -> list[int]:
    """The worker and its pool processes (children of the worker)."""
    out = [pid]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def reset_peaks(pids: list[int]) -> bool:
    """Reset each process's peak RSS to its current RSS (Linux ≥ 4.0, root or the owner)."""
    try:
        for pid in pids:
            Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds the processes have used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def peak_mb(pids: list[int]) -> float:
    peaks = []
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return max(peaks, default=0.0)


def request_export(params: dict, base_url: str | None, username: str):
    """Press "Export to Excel" on the filtered report list; returns the job the redirect names."""
    from urllib.parse import urlencode

    from league.models import ExportJob

    path = f"{EXPORT_PATH}?{urlencode(params)}"
    if base_url:
        from tests.perf.harness import WebUser
        from tests.perf.run import PASSWORD

        user = WebUser(base_url)
        user.login(username, PASSWORD)
        response = user.request(path)
        status, location = response.status, response.location
    else:
        from django.contrib.auth import get_user_model
        from django.test import Client

        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        response = client.get(path)
        status, location = response.status_code, response.get("Location", "")
    if status != 302 or not location.rstrip("/").split("/")[-1].isdigit():
        raise RuntimeError(f"the export did not become a job: {status} {location}")
    return ExportJob.objects.get(pk=int(location.rstrip("/").split("/")[-1]))


def wait_done(job_id: int, timeout: float) -> dict:
    from league.models import ExportJob, ExportStatus

    stop = time.monotonic() + timeout
    while time.monotonic() < stop:
        job = ExportJob.objects.get(pk=job_id)
        if job.status in (ExportStatus.DONE, ExportStatus.FAILED):
            return {"status": job.status, "error": job.error, "rows": job.done_rows,
                    "path": job.file.path if job.file else "", "job_s": (job.finished_at - job.created_at).total_seconds()}  # fmt: skip
        time.sleep(0.1)
    raise RuntimeError(f"export job {job_id} not done after {timeout:.0f} s")


def raw_write(path: str) -> dict:
    """The file's rows read back (not timed), then written with openpyxl write-only to a file beside it."""
    from openpyxl import Workbook, load_workbook

    book = load_workbook(path, read_only=True)
    sheets = [(ws.title, [list(r) for r in ws.iter_rows(values_only=True)]) for ws in book.worksheets]
    book.close()
    target = Path(tempfile.mkstemp(suffix=".xlsx", dir=Path(path).parent)[1])
    started, cpu = time.perf_counter(), time.process_time()
    raw = Workbook(write_only=True)
    for title, rows in sheets:
        ws = raw.create_sheet(title)
        for row in rows:
            ws.append(row)
    raw.save(target)
    out = {"seconds": time.perf_counter() - started, "cpu_s": time.process_time() - cpu,
           "rows": sum(len(rows) - 1 for _, rows in sheets), "file_mb": target.stat().st_size / 1e6}  # fmt: skip
    target.unlink()
    return out


def run(rows: int, *, base_url: str | None = None, worker_pid: int | None = None, username: str = "admin",
        program=None, timeout: float = 900.0) -> dict:  # fmt: skip
    from django.contrib.auth import get_user_model
    from django.http import QueryDict

    from league.models import Notice
    from pilots.views.reports import report_export_source
    from tests.perf.sections import context

    results = {"context": context(), "rows_asked": rows}
    params, in_months = choose_months(rows, program)
    owner = get_user_model().objects.get(username=username)
    from urllib.parse import urlencode

    expected = report_export_source(owner, QueryDict(urlencode(params))).queryset.count()
    results.update({"params": params, "expected_rows": expected, "in_months": in_months})
    pids = _pool(worker_pid) if worker_pid else []
    results["peak_reset"] = reset_peaks(pids) if pids else False
    started = time.perf_counter()
    cpu_before = cpu_seconds(pids) if pids else None
    job = request_export(params, base_url, username)
    if not base_url:  # no worker: run the job's task body here, as the worker would
        from league import services

        cpu_before = time.process_time()
        try:
            services.export_job_run(job_id=job.pk)
        except Exception:  # marked failed with its error, as the worker would leave it: reported below
            pass
    done = wait_done(job.pk, timeout)
    results["seconds"] = time.perf_counter() - started
    if not base_url:
        results["cpu_s"] = time.process_time() - cpu_before
    elif pids:
        results["cpu_s"] = cpu_seconds(pids) - cpu_before
    results["job"] = done
    results["worker_peak_mb"] = peak_mb(pids) if pids else None
    results["notified"] = Notice.objects.filter(
        recipient=owner, kind="export", url__endswith=f"/{job.pk}/"
    ).exists()
    if done["status"] != "done":
        results["ok"] = False
        return results
    results["file_mb"] = Path(done["path"]).stat().st_size / 1e6
    results["raw"] = raw_write(done["path"])
    results["ratio"] = results["seconds"] / results["raw"]["seconds"]
    results["rows_ok"] = done["rows"] == expected == results["raw"]["rows"]
    results["load_after"] = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    peak = results["worker_peak_mb"]
    results["ok"] = (results["rows_ok"] and results["notified"] and results["seconds"] < SECONDS_TARGET
                     and results["ratio"] <= RAW_RATIO_TARGET
                     and (peak is None or peak < RSS_TARGET_MB))  # fmt: skip
    return results


# --- Markdown -------------------------------------------------------------------------------------------


def render(results: dict) -> str:
    from tests.perf.sections import context_line

    p, j = results["params"], results["job"]
    lines = [
        "## Excel export of 100,000 report rows in the background (issue 10)",
        "",
        "Reproduce: `make bench` (or `python -m tests.perf.bench_export --rows 100000 --base-url URL "
        "--worker-pid PID`). The platform admin filters the report list to the national program's latest "
        'months holding at least 100,000 reports and presses "Export to Excel" through gunicorn: past '
        "`EXPORT_BACKGROUND_THRESHOLD` rows it is a job, written by the Celery worker (the scoped, filtered "
        "rows rebuilt in the worker, a streamed openpyxl write-only workbook with typed cells, progress every "
        "5,000 rows, the owner's notice). Timed from the request to the job seen done. Raw openpyxl: the "
        "file's rows read back (not timed) and written again with `Workbook(write_only=True)`.",
        "",
        context_line(results["context"]) + f" Load average at the end: {results.get('load_after', '?')}.",
        "",
        f"- **Rows**: filters `program={p['program']}&since={p['since']}&until={p['until']}`; the database counts "
        f"{results['expected_rows']:,} reports for them, the job wrote {j['rows']:,}"
        + (f", the file holds {results['raw']['rows']:,}" if "raw" in results else "")
        + f" — {'the same' if results.get('rows_ok') else '**not the same**'}; the owner "
        + ("was notified." if results["notified"] else "**was not notified**."),
    ]
    if j["status"] != "done":
        return "\n".join(lines + [f"- **The job failed**: {j['error'][:300]}"]) + "\n"
    raw = results["raw"]
    peak = results["worker_peak_mb"]
    lines += [
        f"- **Time**: {results['seconds']:.1f} s from the request to the file ({j['job_s']:.1f} s from the job's "
        f"creation to its end), {j['rows'] / results['seconds']:,.0f} rows/s, a {results['file_mb']:.1f} MB file"
        + (f"; the task used {results['cpu_s']:.1f} s of CPU" if results.get("cpu_s") is not None else "")
        + f" "
        f"— target < {SECONDS_TARGET:g} s: {'met' if results['seconds'] < SECONDS_TARGET else '**missed**'}.",
        f"- **Raw openpyxl write-only** of the same rows: {raw['seconds']:.1f} s ({raw['cpu_s']:.1f} s CPU); the "
        f"export took **{results['ratio']:.2f}×** that — target ≤ {RAW_RATIO_TARGET:g}×: "
        f"{'met' if results['ratio'] <= RAW_RATIO_TARGET else '**missed**'}"
        + (f" (CPU: {results['cpu_s'] / raw['cpu_s']:.2f}×)." if results.get("cpu_s") and raw["cpu_s"] else "."),
        "- **Worker's peak RSS** during the export: "
        + (f"{peak:.0f} MB (high-water mark {'reset before the request' if results['peak_reset'] else 'since the worker started: not reset'})"
           f" — target < {RSS_TARGET_MB:g} MB: {'met' if peak < RSS_TARGET_MB else '**missed**'}."
           if peak is not None else "not measured (no worker process given)."),
    ]  # fmt: skip
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--base-url", help="Ask the export through this running server (its worker writes it)."
    )
    parser.add_argument("--worker-pid", type=int, help="The Celery worker's process, for its peak memory.")
    parser.add_argument("--username", default="admin")
    parser.add_argument("--json")
    parser.add_argument("--out", help="docs/benchmarks.md: (re)write this benchmark's section")
    args = parser.parse_args(argv)
    setup_django()
    results = run(args.rows, base_url=args.base_url, worker_pid=args.worker_pid, username=args.username)
    from tests.perf.sections import publish

    publish("export", render(results), results, args.json, args.out)
    return 0 if results["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
