"""The reminder-sweep benchmark (tests/perf/bench_sweep.py, `make bench`) at tiny scale, so it cannot rot: it
builds units in bulk, sweeps at two sizes with the same number of queries, runs two sweeps (each with its
dispatch) and finds one claim, one message and one notice per (slot, kind), and writes its section. The
two sweeps run in two processes at once in the PostgreSQL pass (`realservices`). No time is asserted
(targets are met in `make bench`, never in timed unit tests)."""

import datetime as dt

import pytest
from django.db import connection

from pilots import reminders
from pilots.models import Reminder, ReminderKind
from tests.perf import bench_sweep, sections

ON = dt.date(2026, 11, 20)


def test_sweep_benchmark_measures_two_sizes_and_writes_its_section(db, tmp_path):
    results = bench_sweep.run([13, 39], repeats=2, on=ON, parallel=False)
    small, large = results["sizes"]
    assert (small["candidates"], large["candidates"]) == (26, 78)  # a due-soon and an overdue slot per unit
    assert small["claims"] == 26 and large["claims"] == 78
    # the sweep's query count does not grow with the units (nor when every claim exists already)
    assert small["sweep"]["queries"] == large["sweep"]["queries"] == large["sweep_again"]["queries"]
    assert len(large["sweep"]["queries"]) == 1
    assert small["dispatch"]["messages"] == 26 and small["check"]["notices"] == 26
    pair = results["concurrent"]
    assert pair["mode"] == "one after the other" and pair["ok"], pair
    assert pair["check"]["claims"] == pair["check"]["slot_kinds"] == 78
    assert pair["check"]["duplicate_claims"] == pair["check"]["duplicate_notices"] == 0
    assert [r["messages"] for r in pair["runs"]] == [78, 0]  # the second run found everything sent

    out = tmp_path / "benchmarks.md"
    out.write_text("# Benchmarks\n\nExports.\n\n<!-- bench:begin -->\ngenerated\n<!-- bench:end -->\n")
    for _ in range(2):  # rewriting replaces this section only
        sections.write_section(out, "sweep", bench_sweep.render(results))
    text = out.read_text()
    assert text.count("## Reminder sweep over 40,000 units") == 1
    assert text.index("<!-- bench-sweep:end -->") < text.index("<!-- bench:begin -->")
    assert "Exports." in text and "generated" in text
    assert "| units | reminders | sweep median s |" in text and "met (constant)" in text


def test_a_sweep_repeated_adds_nothing_and_the_claims_are_plain_rows(db):
    program_id = bench_sweep.build(5, on=ON)
    first = reminders.sweep(on=ON, program_ids=[program_id])
    again = reminders.sweep(on=ON, program_ids=[program_id])
    assert len(first) == len(again) == 10
    claims = Reminder.objects.filter(program_id=program_id)
    assert claims.count() == 10 and {c.state for c in claims} == {"pending"}
    assert {c.kind for c in claims} == {ReminderKind.DUE_SOON, ReminderKind.OVERDUE}
    assert all(c.created_at is not None and c.claim_token == "" for c in claims)


@pytest.mark.realservices
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_in_two_processes_at_once_remind_each_slot_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: make test runs this in its PostgreSQL pass")
    pair = bench_sweep.concurrent(130, on=ON, parallel=True)
    assert pair["mode"] == "two processes at once"
    assert not [r["error"] for r in pair["runs"] if r["error"]]
    assert pair["ok"], pair["check"]
    assert pair["check"]["claims"] == 260 and pair["check"]["notices"] == 260
    assert sum(r["messages"] for r in pair["runs"]) == 260  # shared between the two, none twice
