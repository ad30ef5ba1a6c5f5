"""The benchmark code (tests/perf/, `make bench`) at tiny scale against a live server, so it cannot rot:
it seeds, measures the floor and the pages, runs a short open-loop burst and writes its tables. No
figure is asserted against a target here (targets are met in `make bench`, never in timed unit tests)."""

import gc
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from pilots.models import Report
from tests.perf import run
from tests.perf.harness import GcPauses, Hit, Stats, WebUser, percentile, worst_second


def test_percentiles_are_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 95) == 95.0
    assert percentile(values, 99) == 99.0
    assert percentile([], 95) == 0.0
    assert Stats("x", [3.0, 1.0, 2.0]).median == 2.0


def test_the_slowest_second_of_a_burst_is_found_by_when_requests_were_answered():
    hits = [Hit("home", 0.010, 200, at=0.5 + i / 100) for i in range(40)]  # second 0: all 10 ms
    hits += [
        Hit("home", 0.010 if i < 30 else 0.900, 200, at=1.2 + i / 100) for i in range(40)
    ]  # second 1: a stall
    hits += [Hit("home", 2.0, 200, at=2.5)]  # second 2: too few requests to judge
    worst = worst_second(hits)
    assert worst == {"at": 1, "n": 40, "p95": 0.900, "max": 0.900}
    assert worst_second(hits[:10]) is None


def test_the_generators_own_gc_pauses_are_measured():
    with GcPauses() as pauses:
        garbage = [[i] for i in range(200_000)]
        gc.collect()
    del garbage
    assert pauses.longest > 0
    assert pauses._callback not in gc.callbacks


@pytest.fixture
def tiny(transactional_db):
    call_command("seed_demo", "--scale", "2", "--streets", "8", "--branches", "1", verbosity=0)


def test_a_dashboard_is_judged_by_its_own_bound_and_a_list_by_the_floor():
    page = {"duplicate_counts": 0, "errors": 0, "floor_p95": 0.005}
    assert run.page_target({**page, "label": "dashboard (country) · country", "p95": 0.9}) == (
        True,
        "p95 < 1000 ms",
    )
    assert run.page_target({**page, "label": "dashboard (province) · province", "p95": 0.21})[0] is False
    assert run.page_target({**page, "label": "people · province", "p95": 0.0149}) == (True, "< 3× floor")
    assert run.page_target({**page, "label": "people · province", "p95": 0.015})[0] is False
    assert (
        run.page_target({**page, "label": "people · province", "p95": 0.01, "duplicate_counts": 1})[0]
        is False
    )
    assert (
        run.page_target({**page, "label": "dashboard (country) · country", "p95": 0.1, "errors": 2})[0]
        is False
    )


def test_harness_measures_pages_and_a_burst_and_writes_its_tables(tiny, live_server, tmp_path):
    user = WebUser(live_server.url)
    user.login("sec-SYN-K1-S1", run.PASSWORD)
    assert user.request("/ping/").status == 200

    pages = run.bench_pages(live_server.url, repeats=1)
    assert pages["floor"]["n"] > 0 and pages["floor"]["p95"] > 0
    assert pages["pages"], "no page was measured"
    for page in pages["pages"]:
        assert page["status"] == 200 and page["errors"] == 0, page
        assert page["queries"] > 0 and len([page["median"]]) == 1

    secretaries = run.burst_secretaries(100)
    assert secretaries and all(s["username"].startswith("sec-SYN-") for s in secretaries)
    cold = run.bench_burst(live_server.url, "tiny", rate=8, seconds=1.0, offset=0, warm=False)
    warm = run.bench_burst(live_server.url, "tiny", rate=8, seconds=1.0, offset=0, warm=True)
    for burst in (cold, warm):
        assert burst["requests"] > 0 and burst["errors"] == 0, burst["error_samples"]
        assert burst["locked"] == 0
        assert burst["generator_gc_pause"] >= 0 and "worst_second" in burst
    assert "log in" in cold["steps"] and "log in" not in warm["steps"]
    assert cold["filing"] and "submit report" in cold["steps"]
    assert cold["stored"]["submitted"] == cold["stored"]["checked"] > 0
    assert cold["stored"]["duplicated_versions"] == 0
    assert Report.objects.get(slot_id=secretaries[0]["slot"]).versions.count() == 1

    throughput = run.bench_throughput(live_server.url, seconds=0.5, clients=1, submissions=2)
    assert throughput["floor_per_s"] > 0 and throughput["floor_failed"] == 0
    assert throughput["submissions"] > 0 and throughput["submission_failed"] == 0
    assert throughput["filings"] > 0 and throughput["filing_failed"] == 0
    stored = throughput["stored"]
    assert stored["submitted"] == stored["checked"] == throughput["submissions"] + throughput["filings"]
    assert stored["duplicated_versions"] == 0

    warm["worst_second"] = {"at": 3, "n": 25, "p95": 0.05, "max": 0.08}  # a tiny burst has no full second
    out = tmp_path / "benchmarks.md"
    out.write_text("# Exports\n\nThe export section another benchmark owns.\n")
    results = {"machine": run.machine(), "dataset": run.dataset(), "pages": pages, "bursts": [cold, warm],
               "seed": {"total": 1.0}, "scale": "tiny", "throughput": throughput,
               "login_cost": 0.01, "hasher": run.password_hasher()}  # fmt: skip
    run.write(out, results)
    run.write(out, results)  # rewriting replaces the generated block only
    (Path(os.environ.get("BENCH_HARNESS_OUT", tmp_path / "copy.md"))).write_text(out.read_text())
    text = out.read_text()
    assert text.count(run.BEGIN) == 1 and "The export section another benchmark owns." in text
    assert "| page | path | median ms | p95 ms | p95 / floor p95 |" in text
    assert "## Report submission throughput" in text and "Filing from scratch" in text
    assert results["hasher"] and f"ms of CPU ({results['hasher']})" in text  # the hasher measured, by name
    assert "## Month-end burst" in text and "secretaries already logged in" in text
    assert "Slowest second: 3–4 s into the run, p95 50.0 ms (slowest 80.0 ms) over the 25 requests" in text
