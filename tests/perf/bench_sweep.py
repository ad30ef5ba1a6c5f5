"""The reminder sweep over 40,000 units (issue 10): < 10 s, a constant number of queries, and no
duplicate reminder when two sweeps run at once.

    python -m tests.perf.bench_sweep --units 4000 40000 --repeats 5 --json sweep.json --out docs/benchmarks.md
    python -m tests.perf.run sweep ...   (the same, as `make bench` calls it)

For each size it builds (in bulk) a pilot program enrolling that many synthetic streets, each with two
report slots nothing was filed for: one due in two days ("due soon") and one eight days past its deadline
("overdue"); secretaries are the synthetic ones (`seed_demo --scale` people). Then:

- **sweep** — `pilots.reminders.sweep` (select + one bulk INSERT of the claims), timed and its queries
  counted, `repeats` times (the claims are deleted between runs, untimed);
- **sweep again** — the same sweep with every claim already there (what the daily run mostly does);
- **dispatch** — `pilots.reminders.dispatch`, once: messages, in-app notices and deliveries in chunks;
- **two at once** — on PostgreSQL two processes, released together, each running sweep then dispatch on a
  fresh program (on SQLite the two run one after the other, and the section says so); afterwards every
  (slot, kind) has exactly one claim, every claim one message, every message one notice per secretary.

Runs on the configured database (DATABASE_URL); tests/pilots/test_bench_sweep.py runs it at tiny scale.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import multiprocessing
import os
import sys
import time

PREFIX = "提醒基准试点"
KINDS = ("due_soon", "overdue")
TARGET_SECONDS = 10.0


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "league.settings")
    import django

    django.setup()


# --- the data -------------------------------------------------------------------------------------------


def ensure_streets(units: int) -> list[int]:
    """Ids of `units` synthetic streets with a secretary each (creating counties and people in bulk through
    league.demo's scale helpers when there are not enough)."""
    from league.demo import seed_scale, seed_scale_people
    from league.models import Level, Organization

    def streets():
        return list(
            Organization.objects.filter(code__startswith="SYN-", level=Level.STREET)
            .order_by("id")
            .values_list("id", flat=True)[:units]
        )

    found = streets()
    if len(found) < units:
        have = Organization.objects.filter(code__startswith="SYN-", level=Level.COUNTY).count()
        seed_scale(have + math.ceil((units - len(found)) / 13), streets_per_county=13, branches_per_street=0)
        found = streets()
    seed_scale_people()
    return found


def build(units: int, *, on: dt.date, label: str = "") -> int:
    """A program of `units` streets, each with a slot due soon and an overdue one. Returns its id."""
    from django.db import transaction

    from league.models import Level, Organization
    from pilots.models import Frequency, PilotProgram, PilotUnit, ProgramKind, ReportingSchedule, ReportSlot

    streets = ensure_streets(units)
    runner = Organization.objects.filter(code="SYN-P1").first()
    with transaction.atomic():
        program = PilotProgram.objects.create(
            organization=runner, name=f"{PREFIX} {label or units} {time.time_ns()}"[:120],
            kind=ProgramKind.STREET_PATTERN, starts_on=on - dt.timedelta(days=90),
            ends_on=on + dt.timedelta(days=90),
        )  # fmt: skip
        schedule = ReportingSchedule.objects.create(
            program=program, name="月报", frequency=Frequency.MONTHLY, reporting_level=Level.STREET,
            grace_days=0, starts_on=program.starts_on, ends_on=program.ends_on,
        )  # fmt: skip
        paths = dict(Organization.objects.filter(pk__in=streets).values_list("pk", "path"))
        PilotUnit.objects.bulk_create(
            [PilotUnit(program=program, organization_id=s, path=paths[s], joined_on=program.starts_on)
             for s in streets],
            batch_size=5000,
        )  # fmt: skip
        due, late = on + dt.timedelta(days=2), on - dt.timedelta(days=8)
        slots = []
        for s in streets:
            slots.append(
                ReportSlot(
                    schedule=schedule,
                    program=program,
                    organization_id=s,
                    due_on=due,
                    deadline=due,
                    period_start=on - dt.timedelta(days=27),
                    period_end=on,
                )
            )
            slots.append(ReportSlot(schedule=schedule, program=program, organization_id=s, due_on=late,
                                    deadline=late, period_start=on - dt.timedelta(days=60),
                                    period_end=on - dt.timedelta(days=30)))  # fmt: skip
        ReportSlot.objects.bulk_create(slots, batch_size=5000)
    return program.pk


def drop(program_id: int) -> None:
    """Retire a benchmark program: delete what the sweep and dispatch wrote for it and end the program, so
    later sweeps pass it by. Its units and slots stay (deleting 40,000 units one history row at a time
    took minutes; the benchmark database is throwaway)."""
    from pilots.models import Delivery, PilotProgram, Reminder, ReminderMessage

    # In-app notices carry no program: they stay in the synthetic secretaries' inboxes (harmless).
    Delivery.objects.filter(message__program_id=program_id).delete()
    Reminder.objects.filter(program_id=program_id).delete()
    ReminderMessage.objects.filter(program_id=program_id).delete()
    long_ago = dt.date(2000, 1, 1)
    PilotProgram.objects.filter(pk=program_id).update(starts_on=long_ago, ends_on=long_ago)


# --- measurements ---------------------------------------------------------------------------------------


def timed(fn):
    """(result, seconds, queries) of fn() on the default connection."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - started
    return result, seconds, len(ctx.captured_queries)


def measure(units: int, *, on: dt.date, repeats: int, dispatch: bool = False, keep: bool = False) -> dict:
    from pilots import reminders
    from pilots.models import Reminder
    from tests.perf.harness import Stats

    started = time.perf_counter()
    program_id = build(units, on=on)
    built = time.perf_counter() - started
    sweeps, queries, candidates = Stats("sweep"), set(), 0
    for i in range(repeats):
        if i:
            Reminder.objects.filter(program_id=program_id).delete()
        found, seconds, n = timed(lambda: reminders.sweep(on=on, program_ids=[program_id]))
        sweeps.samples.append(seconds)
        queries.add(n)
        candidates = len(found)
    again, again_queries = Stats("sweep again"), set()
    for _ in range(max(1, repeats // 2)):
        _found, seconds, n = timed(lambda: reminders.sweep(on=on, program_ids=[program_id]))
        again.samples.append(seconds)
        again_queries.add(n)
    claims = Reminder.objects.filter(program_id=program_id).count()
    out = {
        "units": units, "slots": units * 2, "candidates": candidates, "claims": claims, "build_s": built,
        "sweep": {"median": sweeps.median, "p95": sweeps.p95, "n": len(sweeps.samples),
                  "queries": sorted(queries)},
        "sweep_again": {"median": again.median, "p95": again.p95, "n": len(again.samples),
                        "queries": sorted(again_queries)},
    }  # fmt: skip
    if dispatch:
        written, seconds, n = timed(lambda: reminders.dispatch(chunk=500, deliver=False))
        out["dispatch"] = {"seconds": seconds, "queries": n, "messages": written, "chunk": 500}
    out["check"] = check(program_id)
    if not keep:
        drop(program_id)
    return out


def check(program_id: int) -> dict:
    """Exactly one claim per (slot, kind), one message per sent claim, one in-app notice per (message,
    secretary). Returns the counts and the number of duplicates of each."""
    from django.db.models import Count

    from pilots.models import Delivery, Reminder, ReminderMessage, ReminderState

    claims = Reminder.objects.filter(program_id=program_id)
    per_slot_kind = claims.values("slot_id", "kind").annotate(n=Count("id"))
    sent = claims.filter(state=ReminderState.SENT)
    messages = ReminderMessage.objects.filter(program_id=program_id)
    inapp = Delivery.objects.filter(message__program_id=program_id, channel="inapp")
    return {
        "claims": claims.count(),
        "slot_kinds": per_slot_kind.count(),
        "duplicate_claims": per_slot_kind.filter(n__gt=1).count(),
        "pending": claims.filter(state=ReminderState.PENDING).count(),
        "sent": sent.count(),
        "sent_without_message": sent.filter(message__isnull=True).count(),
        "messages": messages.count(),
        "messages_shared": messages.annotate(n=Count("reminders")).filter(n__gt=1).count(),
        "notices": inapp.count(),
        "duplicate_notices": inapp.values("message_id", "recipient_id").annotate(n=Count("id"))
        .filter(n__gt=1).count(),
    }  # fmt: skip


def _one_run(program_id: int, on: dt.date, barrier) -> dict:
    """One of the two concurrent runs (a process or, on SQLite, a plain call): sweep, then dispatch."""
    from django.db import connections

    from pilots import reminders

    try:
        if barrier is not None:  # a child process: released together with the other one
            barrier.wait(60)
        started = time.perf_counter()
        found = reminders.sweep(on=on, program_ids=[program_id])
        swept = time.perf_counter() - started
        messages = reminders.dispatch(chunk=500, deliver=False)
        return {"candidates": len(found), "sweep_s": swept, "total_s": time.perf_counter() - started,
                "messages": messages, "error": ""}  # fmt: skip
    except Exception as exc:  # reported, and the check below fails on it
        return {"error": f"{exc.__class__.__name__}: {exc}"}
    finally:
        if barrier is not None:
            connections.close_all()


def _child(program_id, on, barrier, queue):
    queue.put(_one_run(program_id, on, barrier))


def concurrent(units: int, *, on: dt.date, parallel: bool | None = None, keep: bool = False) -> dict:
    """Two sweeps (each followed by dispatch) at once on a fresh program, then the duplicate check.
    parallel (default: on PostgreSQL): two forked processes; else one run after the other."""
    from django.db import connection, connections

    program_id = build(units, on=on, label=f"{units} concurrent")
    if parallel is None:
        parallel = connection.vendor == "postgresql"
    started = time.perf_counter()
    if parallel:
        connections.close_all()  # the children must not share the parent's socket
        ctx = multiprocessing.get_context("fork")
        barrier, queue = ctx.Barrier(2), ctx.Queue()
        procs = [ctx.Process(target=_child, args=(program_id, on, barrier, queue)) for _ in range(2)]
        for p in procs:
            p.start()
        runs = [queue.get(timeout=3600) for _ in procs]
        for p in procs:
            p.join(60)
    else:
        runs = [_one_run(program_id, on, None) for _ in range(2)]
    elapsed = time.perf_counter() - started
    result = {"units": units, "mode": "two processes at once" if parallel else "one after the other",
              "parallel": parallel, "runs": runs, "elapsed_s": elapsed, "check": check(program_id)}  # fmt: skip
    result["ok"] = ok(result["check"], expected=units * len(KINDS)) and not any(r["error"] for r in runs)
    if not keep:
        drop(program_id)
    return result


def ok(c: dict, expected: int) -> bool:
    return (c["claims"] == c["slot_kinds"] == expected and c["duplicate_claims"] == 0 and c["pending"] == 0
            and c["sent_without_message"] == 0 and c["messages_shared"] == 0 and c["duplicate_notices"] == 0
            and c["notices"] == c["messages"] == c["sent"])  # fmt: skip


def run(sizes: list[int], *, repeats: int = 5, concurrent_units: int | None = None, on: dt.date | None = None,
        dispatch: bool = True, parallel: bool | None = None) -> dict:  # fmt: skip
    from django.utils import timezone

    from tests.perf.sections import context

    on = on or timezone.localdate()
    results = {"context": context(), "on": on.isoformat(), "sizes": []}
    for i, units in enumerate(sizes):  # dispatch alone at the smallest size; at full size in the pair below
        results["sizes"].append(measure(units, on=on, repeats=repeats, dispatch=dispatch and i == 0))
    results["concurrent"] = concurrent(concurrent_units or max(sizes), on=on, parallel=parallel)
    results["load_after"] = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return results


# --- Markdown -------------------------------------------------------------------------------------------


def render(results: dict) -> str:
    from tests.perf.harness import table
    from tests.perf.sections import context_line

    def s(x):
        return f"{x:.2f}"

    sizes = results["sizes"]
    largest = sizes[-1]
    counts = {q for r in sizes for q in r["sweep"]["queries"]}
    fast = largest["sweep"]["p95"] < TARGET_SECONDS
    c = results["concurrent"]
    out = [
        "## Reminder sweep over 40,000 units (issue 10)", "",
        "Reproduce: `python -m tests.perf.bench_sweep --units 4000 40000` (or `make bench`, which runs it on "
        "its PostgreSQL). Each unit is a street with two slots nothing was filed for — one due in two days, "
        "one eight days overdue — so a sweep finds two reminders per unit. *sweep* = `pilots.reminders.sweep` "
        "(select + one bulk INSERT of the claim rows, `ON CONFLICT DO NOTHING` on the unique "
        "(slot, kind, deadline, sequence)); *sweep again* = the same run when every claim exists already; "
        "*dispatch* = messages, in-app notices and deliveries for every claim, 500 claims per transaction.",
        "", context_line(results["context"]) + f" Load average at the end: {results.get('load_after', '?')}.",
        "",
    ]  # fmt: skip
    rows = []
    for r in sizes:
        d = r.get("dispatch", {})
        rows.append([f"{r['units']:,}", f"{r['candidates']:,}", s(r["sweep"]["median"]), s(r["sweep"]["p95"]),
                     ", ".join(map(str, r["sweep"]["queries"])), s(r["sweep_again"]["median"]),
                     ", ".join(map(str, r["sweep_again"]["queries"])),
                     s(d["seconds"]) if d else "—", f"{d['queries']:,}" if d else "—",
                     f"{d['messages']:,}" if d else "—"])  # fmt: skip
    out.append(table(["units", "reminders", "sweep median s", "sweep p95 s", "sweep queries",
                      "again median s", "again queries", "dispatch s", "dispatch queries", "messages"],
                     rows))  # fmt: skip
    out += [
        "",
        f"Sweep repeated {sizes[0]['sweep']['n']} times per size (median, p95). Target < {TARGET_SECONDS:g} s "
        f"at {largest['units']:,} units: {'met' if fast else '**missed**'} (p95 {s(largest['sweep']['p95'])} s). "
        f"Queries per sweep at every size: {', '.join(map(str, sorted(counts)))} — "
        f"{'met (constant)' if len(counts) == 1 else '**missed** (grows with the data)'}. Dispatch writes in "
        "chunks of 500 claims (one transaction each, ~10 queries), so its query count is constant per chunk "
        "and grows with the number of reminders, by design: a crash loses at most one chunk's work.",
        "",
        f"**Two sweeps at once** ({c['units']:,} units, {c['mode']}, each sweep followed by dispatch): "
        f"{c['elapsed_s']:.1f} s for both; {c['check']['claims']:,} claims for {c['check']['slot_kinds']:,} "
        f"(slot, kind) pairs, {c['check']['duplicate_claims']} duplicate claims, {c['check']['pending']} left "
        f"pending, {c['check']['messages']:,} messages, {c['check']['notices']:,} in-app notices, "
        f"{c['check']['duplicate_notices']} duplicate notices — {'met' if c['ok'] else '**missed**'}.",
    ]  # fmt: skip
    runs = [r for r in c["runs"] if not r.get("error")]
    if runs:
        out.append(
            "Per run: " + "; ".join(
                f"found {r['candidates']:,}, swept in {r['sweep_s']:.2f} s, wrote {r['messages']:,} messages, "
                f"done in {r['total_s']:.1f} s" for r in runs
            ) + " (the claims are unique rows, so whichever process inserts second adds nothing; dispatch "
            "takes claims with a compare-and-set UPDATE, so a claim is sent by one process only)."
        )  # fmt: skip
    errors = [r["error"] for r in c["runs"] if r.get("error")]
    if errors:
        out.append("Errors: " + "; ".join(f"`{e[:200]}`" for e in errors))
    return "\n".join(out) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, nargs="+", default=[4000, 40000])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--concurrent-units", type=int)
    parser.add_argument("--no-dispatch", action="store_true", help="Measure the sweep only.")
    parser.add_argument("--json")
    parser.add_argument("--out", help="docs/benchmarks.md: (re)write this benchmark's section")
    args = parser.parse_args(argv)
    setup_django()
    results = run(sorted(args.units), repeats=args.repeats, concurrent_units=args.concurrent_units,
                  dispatch=not args.no_dispatch)  # fmt: skip
    from tests.perf.sections import publish

    publish("sweep", render(results), results, args.json, args.out)
    return 0 if results["concurrent"]["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
