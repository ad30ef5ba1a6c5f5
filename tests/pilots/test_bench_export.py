"""The Excel export benchmark (tests/perf/bench_export.py, `make bench`) at tiny scale, so it cannot rot: the
admin's filtered report export becomes a job, the job's task body writes it, the rows are checked against
the database and written again with raw openpyxl, and its section is written. No time is asserted
(targets are met in `make bench`); the real worker's path is tests/league/test_exports_worker.py."""

import os

import pytest
from django.core.management import call_command

from pilots.models import Report
from tests.perf import bench_export, sections


@pytest.fixture
def seeded(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EXPORT_BACKGROUND_THRESHOLD = 0
    call_command("seed_demo", "--scale", "2", "--streets", "8", "--branches", "1", verbosity=0)


def test_export_benchmark_exports_the_chosen_months_and_writes_its_section(seeded, tmp_path):
    params, in_months = bench_export.choose_months(30)
    assert in_months >= 30 or in_months == Report.objects.filter(slot__program_id=params["program"]).count()
    results = bench_export.run(30, worker_pid=os.getpid())
    assert results["job"]["status"] == "done", results["job"]["error"]
    assert results["rows_ok"] and results["notified"]
    assert results["expected_rows"] == results["job"]["rows"] == results["raw"]["rows"] > 0
    assert results["raw"]["seconds"] > 0 and results["ratio"] > 0
    assert results["worker_peak_mb"] > 0  # this process stands in for the worker

    out = tmp_path / "benchmarks.md"
    out.write_text("# Benchmarks\n\n<!-- bench:begin -->\ngenerated\n<!-- bench:end -->\n")
    for _ in range(2):
        sections.write_section(out, "export", bench_export.render(results))
    text = out.read_text()
    assert text.count("## Excel export of 100,000 report rows in the background") == 1 and "generated" in text
    assert f"the job wrote {results['job']['rows']:,}" in text and "— the same" in text
    assert "Raw openpyxl write-only" in text and "Worker's peak RSS" in text


def test_a_failed_job_is_reported_not_hidden(seeded, monkeypatch):
    from league import exports

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(exports, "write_xlsx", broken)
    results = bench_export.run(30)
    assert results["ok"] is False and results["job"]["status"] == "failed"
    assert "**The job failed**: disk full" in bench_export.render(results)
