"""2,000 phone votes cast concurrently (issue 10): nothing lost, nothing counted twice; the tally < 1 s.

    python -m tests.perf.bench_votes --voters 2000 --clients 32 --base-url http://127.0.0.1:8000 --out docs/benchmarks.md
    python -m tests.perf.run votes ...   (the same, as `make bench` calls it)

It builds, through the election services, an election at the congress vote (11 formal candidates, 9 seats,
two counters and a scrutineer) and adds `voters` delegates present in bulk; `vote_start` prints one paper
with a one-time code per delegate present. Every delegate then votes by phone with their code, `clients` at
a time: with `--base-url`, through the public page exactly as a phone does (GET the code's ballot with its
CSRF token, POST the marks) against the running server; without it, through `services.phone_vote` in
threads, each with its own database connection. `--twice N` delegates submit their code twice at the
same moment (two browsers, released together). Then:

- one ballot stored per delegate, every code used once, the duplicates refused (one of each pair accepted);
- the tally (`services.round_count`: the ballots read back, double entries matched, `tally.tally`) gives
  every candidate exactly the "yes" votes that were cast, and the invalid ballots as invalid;
- the tally is timed (`--tally-repeats` runs, median and p95) with its query count.

tests/elections/test_bench_votes.py runs it at tiny scale (and concurrently in the PostgreSQL pass).
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

TALLY_TARGET = 1.0
VOTE_PATH = "/public/elections/vote/"


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "league.settings")
    import django

    django.setup()


# --- the election ---------------------------------------------------------------------------------------


def build(voters: int, *, organization=None, by=None) -> int:
    """An election at its congress vote with `voters` delegates present (+ two counters and a scrutineer,
    who are present too). Returns the round's id."""
    from elections import services
    from elections.models import State, Voter
    from tests.elections.factories import election_at

    if organization is None:
        from league.models import Organization
        from tests.perf.bench_sweep import ensure_streets

        organization = Organization.objects.get(pk=ensure_streets(1)[0])
    election = election_at(State.FORMAL, org=organization, by=by, voters=3, present=3)
    Voter.objects.bulk_create(
        [Voter(election=election, name=f"代表{i:05d}", sector=f"第{i % 20 + 1}组", present=True)
         for i in range(voters)],
        batch_size=2000,
    )  # fmt: skip
    return services.vote_start(by=by, election=election).pk


def marks_for(i: int, candidate_ids: list[int], seats: int) -> dict[str, str]:
    """The i-th delegate's ballot: six "yes" (valid), or seats + 1 "yes" for one in twenty (invalid)."""
    n = len(candidate_ids)
    yes_count = seats + 1 if i % 20 == 19 and seats + 1 <= n else min(6, seats)
    start = (i * 7) % n
    yes = {candidate_ids[(start + k) % n] for k in range(yes_count)}
    out = {}
    for pos, pk in enumerate(candidate_ids):
        out[str(pk)] = "yes" if pk in yes else ("no" if (i + pos) % 3 == 0 else "abstain")
    return out


def expected_tally(ballots: list[dict[str, str]], seats: int) -> tuple[dict[str, int], int, int]:
    """Yes votes per candidate id over the valid ballots, and the numbers of valid and invalid ballots."""
    votes: dict[str, int] = {}
    valid = invalid = 0
    for marks in ballots:
        yes = [k for k, v in marks.items() if v == "yes"]
        if len(yes) > seats:
            invalid += 1
            continue
        valid += 1
        for k in yes:
            votes[k] = votes.get(k, 0) + 1
    return votes, valid, invalid


# --- casting --------------------------------------------------------------------------------------------


def _cast_http(
    base_url: str, code: str, marks: dict, copies: int, together: bool
) -> list[tuple[int, float, str]]:
    """`copies` browsers open the code's ballot, then post it at the same moment (together) or one after
    the other. [(status, seconds, error)]."""
    from tests.perf.harness import WebUser

    users = [WebUser(base_url, timeout=60) for _ in range(copies)]
    for u in users:
        page = u.request(f"{VOTE_PATH}?code={code}")
        if page.status != 200:
            return [(page.status, page.seconds, page.body[:200].decode(errors="replace"))]
    data = {"code": code, "cast": "1", **{f"c{k}": v for k, v in marks.items()}}
    out: list[tuple[int, float, str]] = []
    barrier = threading.Barrier(copies if together else 1)

    def post(u):
        barrier.wait(30)
        r = u.request(VOTE_PATH, {**data, "csrfmiddlewaretoken": u.csrf})
        error = "" if r.status == 200 else r.body[:300].decode(errors="replace")
        out.append((r.status, r.seconds, error))

    if not together:
        for u in users:
            post(u)
        return out
    threads = [threading.Thread(target=post, args=(u,)) for u in users[1:]]
    for t in threads:
        t.start()
    post(users[0])
    for t in threads:
        t.join()
    return out


def _cast_service(code: str, marks: dict, copies: int, together: bool) -> list[tuple[int, float, str]]:
    """The same through services.phone_vote, each copy in its own thread (its own connection)."""
    from django.db import connections

    from elections import services
    from elections.services import ElectionError

    out: list[tuple[int, float, str]] = []
    barrier = threading.Barrier(copies if together else 1)

    def vote():
        try:
            barrier.wait(30)
            started = time.perf_counter()
            try:
                services.phone_vote(code=code, marks=marks, write_ins=[])
                out.append((200, time.perf_counter() - started, ""))
            except ElectionError as exc:
                out.append((400, time.perf_counter() - started, str(exc.messages)))
        except Exception as exc:  # recorded as a failure, never stops the run
            out.append((0, 0.0, f"{exc.__class__.__name__}: {exc}"))
        finally:
            if threading.current_thread() is not threading.main_thread():
                connections.close_all()

    if not together:
        for _ in range(copies):
            vote()
        return out
    threads = [threading.Thread(target=vote) for _ in range(copies - 1)]
    for t in threads:
        t.start()
    vote()
    for t in threads:
        t.join()
    return out


def cast_all(
    round_id: int, *, clients: int, twice: int, base_url: str | None, together: bool | None = None
) -> dict:
    """Every delegate votes, `clients` at a time; the first `twice` submit twice, at the same moment when
    `together` (default: on PostgreSQL; SQLite's in-memory test database takes one writer at a time)."""
    from django.db import connection

    from elections.models import BallotPaper, Round
    from tests.perf.harness import Stats

    if together is None:
        together = connection.vendor == "postgresql"
    rnd = Round.objects.get(pk=round_id)
    candidate_ids = sorted(rnd.candidates.values_list("pk", flat=True))
    codes = list(BallotPaper.objects.filter(round=rnd).order_by("number").values_list("code", flat=True))
    codes = codes[3:]  # the counters and the scrutineer do not vote here
    jobs = [
        (i, code, marks_for(i, candidate_ids, rnd.seats), 2 if i < twice else 1)
        for i, code in enumerate(codes)
    ]
    n = len(jobs)  # (a list being sorted looks empty to its key function)
    jobs.sort(key=lambda j: (j[0] * 7919) % n)  # the doubled ones spread over the run

    def job(j):
        _i, code, marks, copies = j
        if base_url:
            return code, _cast_http(base_url, code, marks, copies, together)
        return code, _cast_service(code, marks, copies, together)

    started = time.perf_counter()
    if clients <= 1:
        results = [job(j) for j in jobs]
    else:
        with ThreadPoolExecutor(max_workers=clients) as pool:
            results = list(pool.map(job, jobs))
    elapsed = time.perf_counter() - started
    latency = Stats("vote", [s for _c, rs in results for st, s, _e in rs if st == 200])
    accepted = {code: sum(1 for st, _s, _e in rs if st == 200) for code, rs in results}
    doubled = {code for _i, code, _m, copies in jobs if copies == 2}
    return {
        "mode": "HTTP (public phone-vote page, gunicorn)" if base_url else "services.phone_vote in threads",
        "clients": clients, "voters": len(jobs), "submissions": sum(copies for *_x, copies in jobs),
        "twice": len(doubled), "together": together, "elapsed_s": elapsed, "votes_per_s": len(jobs) / elapsed if elapsed else 0,
        "median": latency.median, "p95": latency.p95, "p99": latency.p99,
        "accepted": sum(accepted.values()), "codes_accepted_once": sum(1 for n in accepted.values() if n == 1),
        "codes_lost": sum(1 for n in accepted.values() if n == 0),
        "codes_twice": sum(1 for n in accepted.values() if n > 1),
        "doubled_refused": sum(1 for c in doubled if accepted[c] == 1),
        "refused_samples": [e[:160] for code, rs in results if accepted[code] != 1 for _st, _s, e in rs if e][:5],
        "ballots_cast": [marks for _i, _c, marks, _n in jobs],
    }  # fmt: skip


# --- the tally and the checks ---------------------------------------------------------------------------


def tally(round_id: int, repeats: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from elections import services
    from elections.models import Round
    from tests.perf.harness import Stats

    stats, queries, result = Stats("tally"), set(), None
    for _ in range(repeats):
        rnd = Round.objects.get(pk=round_id)  # nothing cached between runs
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            count = services.round_count(rnd)
            stats.samples.append(time.perf_counter() - started)
        queries.add(len(ctx.captured_queries))
        result = count
    return {
        "median": stats.median,
        "p95": stats.p95,
        "n": repeats,
        "queries": sorted(queries),
        "count": result,
    }


def check(round_id: int, cast: dict, count) -> dict:
    from django.db.models import Count

    from elections.models import Ballot, BallotPaper, Round

    rnd = Round.objects.get(pk=round_id)
    names = {str(pk): name for pk, name in rnd.candidates.values_list("pk", "name")}
    want_votes, want_valid, want_invalid = expected_tally(cast["ballots_cast"], rnd.seats)
    got = dict(count.result.votes)
    wrong = {names[k]: (got.get(names[k], 0), n) for k, n in want_votes.items() if got.get(names[k], 0) != n}
    phone = Ballot.objects.filter(round=rnd, source="phone")
    out = {
        "ballots": phone.count(),
        "papers_cast": BallotPaper.objects.filter(round=rnd, cast="phone").count(),
        "codes_used_twice": BallotPaper.objects.filter(round=rnd).values("code").annotate(n=Count("id"))
        .filter(n__gt=1).count(),
        "tally_ballots": len(count.phone) + len(count.agreed),
        "valid": count.result.valid, "invalid": count.result.invalid,
        "expected_valid": want_valid, "expected_invalid": want_invalid,
        "candidates_miscounted": wrong,
    }  # fmt: skip
    voters = cast["voters"]
    out["ok"] = (
        out["ballots"] == out["papers_cast"] == out["tally_ballots"] == voters == cast["accepted"]
        and cast["codes_lost"] == 0 and cast["codes_twice"] == 0 and cast["doubled_refused"] == cast["twice"]
        and out["valid"] == want_valid and out["invalid"] == want_invalid and not wrong
    )  # fmt: skip
    return out


def run(voters: int, *, clients: int = 32, twice: int = 200, base_url: str | None = None,
        tally_repeats: int = 20, organization=None, by=None, together: bool | None = None) -> dict:  # fmt: skip
    from tests.perf.sections import context

    results = {"context": context()}
    started = time.perf_counter()
    round_id = build(voters, organization=organization, by=by)
    results["build_s"] = time.perf_counter() - started
    results["cast"] = cast_all(round_id, clients=clients, twice=min(twice, voters), base_url=base_url,
                               together=together)  # fmt: skip
    t = tally(round_id, tally_repeats)
    count = t.pop("count")
    results["tally"] = t
    results["check"] = check(round_id, results["cast"], count)
    results["cast"].pop("ballots_cast")
    results["load_after"] = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    results["ok"] = results["check"]["ok"] and t["p95"] < TALLY_TARGET
    return results


# --- Markdown -------------------------------------------------------------------------------------------


def render(results: dict) -> str:
    from tests.perf.harness import ms
    from tests.perf.sections import context_line

    c, t, k = results["cast"], results["tally"], results["check"]
    counted = k["ok"]
    return "\n".join([
        "## Election: 2,000 phone votes cast concurrently (issue 10)", "",
        "Reproduce: `python -m tests.perf.bench_votes --voters 2000 --clients 32 --base-url URL` (or `make "
        "bench`, which runs it against its gunicorn). An election at its congress vote (11 candidates, 9 "
        "seats) with one printed paper and one-time code per delegate present; every delegate votes by "
        "phone, and some submit the same code twice at the same moment (two browsers released together). "
        "A code is claimed with a compare-and-set UPDATE (`cast = ''` → `phone`) in the same transaction "
        "as the ballot, so of simultaneous uses one wins. The tally is `elections.services.round_count` "
        "(ballots read back, double entries matched, the rules of `elections/tally.py`).", "",
        context_line(results["context"]) + f" Load average at the end: {results.get('load_after', '?')}.", "",
        f"- **Casting** ({c['mode']}, {c['clients']} at a time): {c['voters']:,} delegates, {c['submissions']:,} "
        f"submissions ({c['twice']} codes submitted twice {'at once' if c['together'] else 'in a row'}) in {c['elapsed_s']:.1f} s — "
        f"{c['votes_per_s']:.0f} votes/s; an accepted vote took median {ms(c['median'])} ms, p95 "
        f"{ms(c['p95'])} ms, p99 {ms(c['p99'])} ms (the POST; with HTTP the ballot page is opened before).",
        f"- **Nothing lost, nothing counted twice**: {k['ballots']:,} phone ballots stored, {k['papers_cast']:,} "
        f"codes used, {c['codes_lost']} codes lost, {c['codes_twice']} accepted twice; of the {c['twice']} codes "
        f"submitted twice, {c['doubled_refused']} were accepted once and refused once; the tally read "
        f"{k['tally_ballots']:,} ballots, {k['valid']:,} valid and {k['invalid']} invalid (expected "
        f"{k['expected_valid']:,} and {k['expected_invalid']}), every candidate's yes votes equal to those cast"
        + ("" if not k["candidates_miscounted"] else f" except {k['candidates_miscounted']}")
        + f" — {'met' if counted else '**missed**'}.",
        f"- **Tally** of {k['tally_ballots']:,} ballots: median {ms(t['median'])} ms, p95 {ms(t['p95'])} ms over "
        f"{t['n']} runs, {', '.join(map(str, t['queries']))} queries — target < {TALLY_TARGET:g} s: "
        f"{'met' if t['p95'] < TALLY_TARGET else '**missed**'}.",
    ] + ([f"- Unexpected refusals: {'; '.join(f'`{e}`' for e in c['refused_samples'])}"]
         if c["refused_samples"] else [])) + "\n"  # fmt: skip


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voters", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument(
        "--twice", type=int, default=200, help="Delegates who submit their code twice at once."
    )
    parser.add_argument("--base-url", help="Vote through the public page of this running server.")
    parser.add_argument("--tally-repeats", type=int, default=20)
    parser.add_argument("--json")
    parser.add_argument("--out", help="docs/benchmarks.md: (re)write this benchmark's section")
    args = parser.parse_args(argv)
    setup_django()
    results = run(args.voters, clients=args.clients, twice=args.twice, base_url=args.base_url,
                  tally_repeats=args.tally_repeats)  # fmt: skip
    from tests.perf.sections import publish

    publish("votes", render(results), results, args.json, args.out)
    return 0 if results["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
