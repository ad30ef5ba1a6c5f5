"""`make bench` driver. Each subcommand measures one thing against a running server and the database
behind it (DATABASE_URL) and writes JSON; `write` turns the JSON files into docs/benchmarks.md.

    python -m tests.perf.run pages  --base-url URL --json out.json [--repeats 30]
    python -m tests.perf.run burst  --base-url URL --json out.json --label PostgreSQL [--rate 133 --seconds 60]
    python -m tests.perf.run submit-throughput --base-url URL --json out.json
    python -m tests.perf.run write  --out docs/benchmarks.md --seed-log seed.log JSON...
    python -m tests.perf.run sweep|votes ...   (tests/perf/bench_sweep.py, bench_votes.py: their own sections)

The benchmarked pages are discovered from URL names (`PAGES`): a feature that has not landed is listed as
missing, so the harness grows with main without edits elsewhere.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import sys
import time
from pathlib import Path

PASSWORD = "league-demo"
FLOOR = "/ping/"
PAGE_TARGET = 3.0  # p95 < 3 × the floor's p95
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "league.settings")
    import django

    django.setup()


# --- the dataset and the actors -----------------------------------------------------------------------------


def actors() -> dict:
    """Who opens what: the country (platform admin), a synthetic province, county and street, and ids of the
    objects their pages show. Works for any --scale.

    The province is the last synthetic one in tree (path) order, the county and street the first ones under it:
    a statement that walks a path index from the first path instead of reading the subtree's range is slow for
    every province but the first ones (runs 1-10 measured SYN-P1, near the start, and missed such statements:
    the last of 30 provinces' pages took 40-400 ms where SYN-P1's took 6-50)."""
    from league.demo import synthetic_username
    from league.models import Level, Organization, Role

    province = (
        Organization.objects.filter(code__startswith="SYN-P", level=Level.PROVINCE).order_by("-path").first()
    )
    county = (
        Organization.objects.filter(path__startswith=province.path, level=Level.COUNTY)
        .order_by("path")
        .first()
    )
    street = (
        Organization.objects.filter(path__startswith=county.path, level=Level.STREET).order_by("path").first()
    )
    out = {
        "country": {"username": "admin"},
        "province": {"username": synthetic_username(province.code, Role.STAFF), "org": province.pk},
        "county": {"username": synthetic_username(county.code, Role.STAFF), "org": county.pk},
        "street": {"username": synthetic_username(street.code, Role.SECRETARY), "org": street.pk},
    }
    out["county"]["street_org"] = street.pk
    try:
        from pilots.models import PilotProgram
        from pilots.scale import NATIONAL_PROGRAM

        program = PilotProgram.objects.filter(name=NATIONAL_PROGRAM).first()
        for actor in ("country", "province", "county", "street"):
            out[actor]["program"] = program.pk if program else None
    except ImportError:
        pass
    try:
        from pilots.models import Report

        report = Report.objects.filter(slot__organization=street).order_by("-slot__period_start").first()
        out["street"]["report"] = report.pk if report else None
        out["county"]["report"] = out["street"]["report"]
    except ImportError:
        pass
    return out


def dataset() -> dict:
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from league.models import Organization

    data = {
        "organizations": dict(Organization.objects.order_by().values_list("level").annotate(n=Count("id"))),
        "users": get_user_model().objects.count(),
    }
    try:
        from pilots.models import Report, ReportSlot, ReportVersion

        data["report_slots"] = ReportSlot.objects.count()
        data["reports"] = dict(Report.objects.order_by().values_list("state").annotate(n=Count("id")))
        data["report_versions"] = ReportVersion.objects.count()
    except ImportError:
        pass
    return data


def login_cost() -> float:
    """Seconds of CPU one password check takes here (the configured hasher, as a login pays it)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import check_password

    from tests.perf.harness import Stats

    user = get_user_model().objects.filter(username__startswith="sec-SYN-").first()
    samples = []
    for _ in range(5):
        started = time.process_time()
        check_password(PASSWORD, user.password)
        samples.append(time.process_time() - started)
    return Stats("login", samples).median


def password_hasher() -> str:
    """The algorithm the synthetic secretaries' passwords are stored with (the configured default)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import identify_hasher

    user = get_user_model().objects.filter(username__startswith="sec-SYN-").first()
    return identify_hasher(user.password).algorithm if user else ""


def missing_benchmarks() -> list[str]:
    """Benchmarks of the issue whose feature is not on main yet, said plainly in the report."""
    from django.urls import NoReverseMatch, reverse

    def exists(name: str) -> bool:
        try:
            reverse(name)
        except NoReverseMatch:
            return False
        return True

    out = []
    if not exists("pilots:dashboard"):
        out.append("Dashboard for a province and for the country (live, query count identical at both "
                   "scales, EXPLAIN ANALYZE plans): the dashboard of issue 5 is not on main yet.")  # fmt: skip
    if not exists("pilots:my_reports"):
        out.append(
            "Filing and submitting reports in the month-end burst, 'every submission stored once' and "
            "submission throughput against the floor: the filing pages of issue 5 are not on main yet."
        )
    # The reminder sweep, the phone votes and the Excel export write their own sections (tests/perf/bench_*.py).
    return out


def machine() -> dict:
    from django import get_version
    from django.db import connection

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    from tests.perf.sections import database_version

    db = database_version()
    out = {
        "cpu": cpu, "cores": os.cpu_count(), "memory": mem, "os": platform.platform(),
        "python": platform.python_version(), "django": get_version(),
        "database": f"{connection.vendor} {db}",
    }  # fmt: skip
    if connection.vendor == "postgresql":  # whether a commit waits for its WAL on disk (scripts/services.sh)
        with connection.cursor() as cursor:
            settings = []
            for name in ("fsync", "synchronous_commit", "full_page_writes"):
                cursor.execute(f"SHOW {name}")
                settings.append(f"{name}={cursor.fetchone()[0]}")
        out["database commits"] = ", ".join(settings)
    return out


# --- pages ----------------------------------------------------------------------------------------------------

# (benchmark name, actor, URL name, args from the actor, query string). Names that do not resolve yet are
# reported as missing (the feature has not landed).
PAGES = [
    ("home", "street", "home", [], ""),
    ("home", "county", "home", [], ""),
    ("home", "province", "home", [], ""),
    ("home", "country", "home", [], ""),
    ("organization tree", "province", "organization_tree", [], ""),
    ("organization tree search", "country", "organization_tree", [], "?q=街道"),
    ("organization page (province)", "province", "organization_detail", ["org"], ""),
    ("organization page (county)", "county", "organization_detail", ["org"], ""),
    ("organization page (street)", "street", "organization_detail", ["org"], ""),
    ("tree children (county)", "county", "organization_children", ["org"], ""),
    ("notices", "county", "notice_list", [], ""),
    ("lineup page of a street", "street", "lineup_detail", ["org"], ""),
    ("lineup page of a street", "county", "lineup_detail", ["street_org"], ""),
    ("lineup statistics", "province", "lineup_stats", [], ""),
    ("lineup statistics", "country", "lineup_stats", [], ""),
    ("terms expiring", "province", "term_expiry", [], ""),
    ("people", "province", "person_list", [], ""),
    ("people", "country", "person_list", [], ""),
    ("my reports", "street", "pilots:my_reports", [], ""),
    ("programs", "province", "pilots:program_list", [], ""),
    ("program page", "province", "pilots:program_detail", ["program"], ""),
    ("report list", "county", "pilots:report_list", [], ""),
    ("report list", "province", "pilots:report_list", [], ""),
    ("report list", "country", "pilots:report_list", [], ""),
    ("review queue", "county", "pilots:review_queue", [], ""),
    ("review queue", "province", "pilots:review_queue", [], ""),
    ("report page", "county", "pilots:report_detail", ["report"], ""),
    ("briefings", "province", "pilots:briefing_list", [], ""),
    ("dashboard (province)", "province", "pilots:dashboard", [], "?program={program}"),
    ("dashboard (country)", "country", "pilots:dashboard", [], "?program={program}"),
    ("elections", "province", "elections:list", [], ""),
    ("funds", "province", "pilots:fund_list", [], ""),
    ("ratings", "province", "pilots:rating_rounds", [], ""),
    ("youth officers", "province", "grassroots:officer_list", ["org"], ""),
    ("lectures", "county", "grassroots:lecture_list", ["org"], ""),
]
DASHBOARDS = {"dashboard (province)", "dashboard (country)"}
# The dashboards' own targets (issue 10): p95 in seconds, absolute, not a multiple of the floor.
DASHBOARD_P95 = {"dashboard (province)": 0.2, "dashboard (country)": 1.0}


def page_target(page: dict) -> tuple[bool, str]:
    """(met, what the target is) for one measured page: a dashboard by its own p95 bound, any other page by
    p95 < PAGE_TARGET × the floor's p95 measured alongside; no page may repeat a COUNT or fail."""
    bound = DASHBOARD_P95.get(page["label"].split(" · ")[0])
    clean = page["duplicate_counts"] == 0 and page["errors"] == 0
    if bound is not None:
        return clean and page["p95"] < bound, f"p95 < {bound * 1000:g} ms"
    ratio = page["p95"] / page["floor_p95"] if page["floor_p95"] else float("inf")
    return clean and ratio < PAGE_TARGET, f"< {PAGE_TARGET:g}× floor"


def page_paths(who: dict) -> tuple[list[tuple[str, str, str]], list[str]]:
    """[(label, actor, path)] of pages that exist, and the labels of those that do not (yet)."""
    from django.urls import NoReverseMatch, reverse

    found, missing = [], []
    for name, actor, url_name, args, query in PAGES:
        label = f"{name} · {actor}"
        try:
            values = [who[actor][a] for a in args]
            if any(v is None for v in values):
                raise KeyError(args)
            found.append((label, actor, reverse(url_name, args=values) + query.format(**who[actor])))
        except (NoReverseMatch, KeyError):
            missing.append(label)
    return found, missing


def query_profile(username: str, path: str, explain: bool) -> dict:
    """Run the page in-process on the same database: its queries, COUNT(*) queries, and (PostgreSQL,
    when asked) EXPLAIN ANALYZE of its slowest queries."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(path).status_code
    queries = ctx.captured_queries
    # Paginator.count (and any .count()) is `SELECT COUNT(*) AS "__count"`; grouped counts are not.
    counts = [q for q in queries if '"__count"' in q["sql"] and "GROUP BY" not in q["sql"].upper()]
    out = {
        "status": status,
        "queries": len(queries),
        "count_queries": len(counts),
        "duplicate_counts": len(counts) - len({q["sql"] for q in counts}),
        "slowest_ms": max((float(q["time"]) * 1000 for q in queries), default=0.0),
        "plans": [],
    }
    if explain and connection.vendor == "postgresql":
        slowest = sorted(queries, key=lambda q: -float(q["time"]))[:3]
        for q in slowest:
            if not q["sql"].lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
                plan = "\n".join(row[0] for row in cursor.fetchall())
            out["plans"].append({"sql": q["sql"], "ms": float(q["time"]) * 1000, "plan": plan})
    return out


def bench_pages(base_url: str, repeats: int, only: list[str] | None = None) -> dict:
    from tests.perf.harness import WebUser, time_pages

    who = actors()
    found, missing = page_paths(who)
    if only:  # a quick check of some pages: labels containing any of the given words
        found = [f for f in found if any(word in f[0] for word in only)]
    users = {}
    for actor in {a for _, a, _ in found}:
        users[actor] = WebUser(base_url)
        users[actor].login(who[actor]["username"], PASSWORD)
    rows, floor_samples = [], []
    for label, actor, path in found:
        stats = time_pages(users[actor], {label: path}, repeats, FLOOR)
        floor_samples += stats["floor"].samples
        page = stats[label]
        profile = query_profile(who[actor]["username"], path, explain=label.split(" · ")[0] in DASHBOARDS)
        rows.append({
            "label": label, "path": path, "median": page.median, "p95": page.p95, "errors": page.errors,
            "floor_median": stats["floor"].median, "floor_p95": stats["floor"].p95, **profile,
        })  # fmt: skip
    from tests.perf.harness import Stats

    floor = Stats("floor", floor_samples)
    return {"floor": {"median": floor.median, "p95": floor.p95, "n": len(floor_samples)}, "pages": rows,
            "missing": missing, "repeats": repeats}  # fmt: skip


# --- the month-end burst --------------------------------------------------------------------------------------


def burst_secretaries(limit: int, offset: int = 0) -> list[dict]:
    """Secretaries of synthetic streets whose current-month report is not started yet, with that slot."""
    from django.utils import timezone

    from league.models import Membership, Role

    today = timezone.localdate()
    out = []
    try:
        from pilots.models import ReportSlot

        slots = (
            ReportSlot.objects.filter(
                period_start__lte=today, period_end__gte=today, report__isnull=True,
                organization__code__startswith="SYN-",
            )
            .order_by("organization__path")
            .values_list("organization_id", "pk")[offset : offset + limit]
        )  # fmt: skip
        by_org = dict(slots)
    except ImportError:
        by_org = {}
    memberships = Membership.objects.filter(
        role=Role.SECRETARY, organization_id__in=list(by_org)
    ).values_list("user__username", "organization_id")
    for username, org_id in memberships:
        out.append({"username": username, "org": org_id, "slot": by_org[org_id]})
    out.sort(key=lambda s: s["username"])
    return out


REPORT_FORM = {
    "progress": "本月完成班子配备，召开片区青年座谈会。", "innovations": "片区联系制度。",
    "problems": "活动经费不足。", "suggestions": "建议统筹经费。",
    "fig_youth_reached": "120", "fig_activities": "3", "fig_funds_raised": "800",
}  # fmt: skip


def filing_steps(secretary: dict) -> list:
    """Filing this month's report as the pilots pages do it (my reports → file the slot → the form → save a
    draft → submit → the report), or [] until those pages are on main."""
    from django.urls import NoReverseMatch, reverse

    try:
        my_reports = reverse("pilots:my_reports")
        start = reverse("pilots:slot_file", args=[secretary["slot"]])
    except NoReverseMatch:
        return []

    def post_form(user, extra):
        return user.request(user.form_path, {**REPORT_FORM, **extra, "csrfmiddlewaretoken": user.csrf})

    def open_form(user):
        user.form_path = user.location
        return user.request(user.form_path)

    return [
        ("my reports", lambda u: u.request(my_reports)),
        ("start report", lambda u: u.request(start, {"csrfmiddlewaretoken": u.csrf})),
        ("report form", open_form),
        ("save draft", lambda u: post_form(u, {})),
        ("submit report", lambda u: post_form(u, {"submit": "1"})),
        ("report page", lambda u: u.request(u.location)),
    ]


def logged_in_session(username: str) -> str:
    """A session key for a user, as a login earlier in the day would have left (no password hashing)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model

    user = get_user_model().objects.get(username=username)
    session = import_module(settings.SESSION_ENGINE).SessionStore()  # db, or cached_db with CACHE_URL
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def _steps(s: dict, warm: bool) -> list:
    def login_page(user):
        return user.request("/accounts/login/")

    def login(user):
        return user.request(
            "/accounts/login/",
            {"username": s["username"], "password": PASSWORD, "csrfmiddlewaretoken": user.csrf},
        )

    steps = [] if warm else [("login page", login_page), ("log in", login)]
    return [
        *steps,
        ("home", lambda u: u.request("/")),
        ("organization page", lambda u: u.request(f"/orgs/{s['org']}/")),
        ("lineup page", lambda u: u.request(f"/orgs/{s['org']}/lineup/")),
        ("notices", lambda u: u.request("/notices/")),
        *filing_steps(s),
        ("home again", lambda u: u.request("/")),
    ]


def journeys(base_url: str, secretaries: list[dict], warm: bool = False):
    """Each secretary's month-end visit. warm: already logged in earlier (a session cookie, no login)."""
    from django.conf import settings

    from tests.perf.harness import Journey

    for s in secretaries:
        cookies = {settings.SESSION_COOKIE_NAME: logged_in_session(s["username"])} if warm else {}
        yield Journey(base_url, _steps(s, warm), cookies)


def stored_once(secretaries: list[dict]) -> dict:
    """After a burst: each filed slot has exactly one report with exactly one version."""
    try:
        from django.db.models import Count

        from pilots.models import Report
    except ImportError:
        return {"checked": 0}
    slots = [s["slot"] for s in secretaries]
    reports = Report.objects.filter(slot_id__in=slots).annotate(v=Count("versions"))
    submitted = [r for r in reports if r.state == "submitted"]
    return {
        "checked": len(slots),
        "submitted": len(submitted),
        "duplicated_versions": sum(1 for r in submitted if r.v != 1),
    }


def bench_burst(base_url: str, label: str, rate: float, seconds: float, offset: int, warm: bool) -> dict:
    from tests.perf.harness import open_loop, summarize, worst_second

    probe = burst_secretaries(1, offset)
    if not probe:
        raise RuntimeError("no secretary with an unfiled report this month: seed_demo --scale first")
    steps_per_journey = len(_steps(probe[0], warm))
    needed = int(rate / steps_per_journey * seconds) + 5
    secretaries = burst_secretaries(needed, offset)
    hits, elapsed, lag, gc_pause = open_loop(journeys(base_url, secretaries, warm), rate, seconds)
    stats = summarize(hits)
    used = secretaries[: sum(1 for h in hits if h.step == "home")]
    locked = sum(1 for h in hits if "database is locked" in h.error)
    errors = [h for h in hits if h.status == 0 or h.status >= 400]
    return {
        "label": label + (" — secretaries already logged in" if warm else " — with logins"), "rate": rate,
        "warm": warm, "secretaries": len(secretaries), "steps_per_journey": steps_per_journey, "seconds": seconds, "elapsed": elapsed, "requests": len(hits),
        "achieved": len(hits) / max(elapsed, seconds), "generator_lag": lag,
        "generator_gc_pause": gc_pause, "worst_second": worst_second(hits),
        "steps": {k: {"n": len(v.samples), "median": v.median, "p95": v.p95, "p99": v.p99, "errors": v.errors}
                  for k, v in stats.items()},
        "errors": len(errors), "locked": locked, "error_samples": [e.error[:200] for e in errors[:5]],
        "filing": bool(filing_steps(secretaries[0])) if secretaries else False,
        "stored": stored_once(used) if secretaries and filing_steps(secretaries[0]) else {"checked": 0},
    }  # fmt: skip


def bench_throughput(base_url: str, seconds: float, clients: int, submissions: int) -> dict:
    """Report submission's own throughput against the floor's, closed loop: `clients` threads back to back,
    the floor for `seconds`, then up to `submissions` distinct secretaries submitting (the report form's
    Submit: one request saving and submitting a draft opened beforehand, as sessions and CSRF tokens are),
    then as many others filing from scratch (open the slot's report, then Submit: two requests)."""
    from django.conf import settings
    from django.urls import reverse

    from tests.perf.harness import WebUser, closed_loop

    street = actors()["street"]["username"]
    users = [WebUser(base_url) for _ in range(clients)]
    for u in users:
        u.set_cookie(settings.SESSION_COOKIE_NAME, logged_in_session(street))
    floor_n, floor_failed, floor_s = closed_loop(
        lambda i: int(users[i % clients].request(FLOOR).status != 200), clients, seconds
    )
    out = {"clients": clients, "floor_per_s": floor_n / floor_s, "floor_failed": floor_failed}
    secretaries = burst_secretaries(2 * submissions)
    if len(secretaries) < 2 or not filing_steps(secretaries[0]):
        return out
    half = len(secretaries) // 2

    def prepare(s, open_draft: bool):  # untimed: a session, a CSRF token and (for submission alone) the draft
        u = WebUser(base_url)
        u.set_cookie(settings.SESSION_COOKIE_NAME, logged_in_session(s["username"]))
        u.request(reverse("pilots:my_reports"))
        if open_draft:
            u.request(reverse("pilots:slot_file", args=[s["slot"]]), {"csrfmiddlewaretoken": u.csrf})
            u.form_path = u.location
        return u, s

    def submit(u):
        done = u.request(u.form_path, {**REPORT_FORM, "submit": "1", "csrfmiddlewaretoken": u.csrf})
        return int(done.status != 302)

    drafts = [prepare(s, True) for s in secretaries[:half]]
    n, failed, elapsed = closed_loop(lambda i: submit(drafts[i][0]), clients, seconds, limit=len(drafts))
    out.update({"submissions_per_s": n / elapsed, "submissions": n, "submission_failed": failed})

    def file_and_submit(i):
        u, s = fresh[i]
        started = u.request(reverse("pilots:slot_file", args=[s["slot"]]), {"csrfmiddlewaretoken": u.csrf})
        u.form_path = u.location
        return int(started.status != 302) + submit(u)

    fresh = [prepare(s, False) for s in secretaries[half:]]
    m, failed_m, elapsed_m = closed_loop(file_and_submit, clients, seconds, limit=len(fresh))
    out.update({"filings_per_s": m / elapsed_m, "filings": m, "filing_failed": failed_m,
                "stored": stored_once([s for _, s in drafts[:n]] + [s for _, s in fresh[:m]])})  # fmt: skip
    return out


# --- Markdown ---------------------------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def render(results: dict) -> str:
    from tests.perf.harness import ms, table

    out = [BEGIN, "## National scale: pages, dashboards, the month-end burst (issue 10)", ""]
    out.append(f"Measured {results.get('when', '')} by `make bench` (scripts/bench.sh, tests/perf/). "
               "Every figure is a median and p95 over repeated runs; page costs are also given as a multiple "
               "of the floor — the same stack serving `/ping/` (session, user, scope, one row) — measured "
               "interleaved in the same run, so they mean something on a noisy machine.")  # fmt: skip
    m = results.get("machine", {})
    if m:
        out += ["", "### Machine", "", table(["", ""], [[k, v] for k, v in m.items()])]
        out.append("\nThe load generator runs on the same machine as the server (it takes some of its CPU).")
    d = results.get("dataset", {})
    if d:
        rows = [[f"organizations: {k}", v] for k, v in d.get("organizations", {}).items()]
        rows += [["users", d.get("users")], ["report slots", d.get("report_slots", "—")]]
        rows += [[f"reports: {k}", v] for k, v in d.get("reports", {}).items()]
        rows += [["report versions", d.get("report_versions", "—")]]
        out += ["", f"### Dataset ({results.get('scale', '')})", "", table(["", "rows"], rows)]
    seed = results.get("seed", {})
    if seed:
        out += ["", "#### Seeding (`seed_demo --scale`)", "",
                table(["step", "seconds"], [[k, f"{v:.1f}"] for k, v in seed.items()])]  # fmt: skip
    pages = results.get("pages")
    if pages:
        floor = pages["floor"]
        out += ["", "### Pages a staffer opens", "",
                f"Floor `/ping/`: median {ms(floor['median'])} ms, p95 {ms(floor['p95'])} ms over "
                f"{floor['n']} requests. Target: p95 < {PAGE_TARGET:g}× the floor's p95 measured alongside (the "
                "dashboards: their own p95 bounds, province 200 ms and country 1 s); "
                "pagination never counts the whole table twice (no COUNT query repeated on a page). "
                f"{pages['repeats']} requests per page, one browser session, gunicorn.", ""]  # fmt: skip
        rows = []
        for p in pages["pages"]:
            ratio = p["p95"] / p["floor_p95"] if p["floor_p95"] else 0
            ok, target = page_target(p)
            rows.append([p["label"], f"`{p['path']}`", ms(p["median"]), ms(p["p95"]), f"{ratio:.2f}×",
                         p["queries"], f"{p['count_queries']} ({p['duplicate_counts']} repeated)",
                         f"{p['slowest_ms']:.1f}", f"{verdict(ok)} ({target})"])  # fmt: skip
        out.append(table(["page", "path", "median ms", "p95 ms", "p95 / floor p95", "queries",
                          "COUNT queries", "slowest query ms", "target"], rows))  # fmt: skip
        if pages["missing"]:
            out += [
                "",
                "Not measured yet (the page has not landed on main): " + ", ".join(pages["missing"]) + ".",
            ]
        dash = [p for p in pages["pages"] if p["label"].split(" · ")[0] in DASHBOARDS]
        if dash:
            counts = {p["label"]: p["queries"] for p in dash}
            out += ["", f"Dashboard query counts, province vs country: {counts} — "
                    f"{verdict(len(set(counts.values())) == 1)} (identical)."]  # fmt: skip
        plans = [(p["label"], q) for p in pages["pages"] for q in p.get("plans", [])]
        if plans:
            out += ["", "#### Query plans (EXPLAIN ANALYZE)", ""]
            for label, q in plans:
                out += [f"**{label}** — {q['ms']:.1f} ms", "", "```sql", q["sql"][:2000], "```", "", "```",
                        q["plan"], "```", ""]  # fmt: skip
    bursts = results.get("bursts", [])
    if bursts:
        out += ["", "### Month-end burst", "",
                "Secretaries log in (login page, then the form with its CSRF token), open their home page, "
                "their organization and lineup pages and their notices, file and submit this month's report "
                "and come back home — journeys started at a "
                "fixed arrival rate whatever the latency (open loop), each request timed from when it was "
                "due. Target: 133 requests/s mixed held, p95 ≤ 300 ms, p99 ≤ 1 s, zero errors, zero "
                "'database is locked', every submission stored once.", ""]  # fmt: skip
        for b in bursts:
            a = b["steps"].get("all", {})
            ok = (b["achieved"] >= 0.95 * b["rate"] and a.get("p95", 9) <= 0.3 and a.get("p99", 9) <= 1.0
                  and b["errors"] == 0 and b["locked"] == 0)  # fmt: skip
            out += [f"#### {b['label']}", "",
                    f"Offered {b['rate']:.0f} req/s for {b['seconds']:.0f} s; achieved {b['achieved']:.1f} req/s "
                    f"({b['requests']} requests); errors {b['errors']}; 'database is locked' {b['locked']}; "
                    f"generator lag at worst {ms(b['generator_lag'])} ms. Target {verdict(ok)}.", ""]  # fmt: skip
            rows = [[k, v["n"], ms(v["median"]), ms(v["p95"]), ms(v["p99"]), v["errors"]]
                    for k, v in b["steps"].items()]  # fmt: skip
            out.append(table(["step", "requests", "median ms", "p95 ms", "p99 ms", "errors"], rows))
            if b.get("worst_second"):
                w = b["worst_second"]
                out.append(f"\nSlowest second: {w['at']}–{w['at'] + 1} s into the run, p95 {ms(w['p95'])} ms "
                           f"(slowest {ms(w['max'])} ms) over the {w['n']} requests answered in it; the load "
                           f"generator's longest garbage-collection pause {ms(b.get('generator_gc_pause', 0))} ms.")  # fmt: skip
            if not b.get("warm") and results.get("login_cost"):
                cost = results["login_cost"]
                logins = b["rate"] / b["steps_per_journey"]
                cores = results.get("machine", {}).get("cores") or 1
                out.append(f"\nEach journey here is {b['steps_per_journey']} requests with one login, so "
                           f"{b['rate']:.0f} req/s offers {logins:.1f} logins/s; one password check costs "
                           f"{ms(cost)} ms of CPU ({results.get('hasher') or 'the configured hasher'}), i.e. {logins * cost:.1f} "
                           f"CPU-seconds per second for logins alone on {cores} cores.")  # fmt: skip
            if b["stored"].get("checked"):
                s = b["stored"]
                out.append(f"\nSubmissions: {s['submitted']} reports submitted, "
                           f"{s['duplicated_versions']} with other than exactly one version — "
                           f"{verdict(s['duplicated_versions'] == 0)}.")  # fmt: skip
            elif not b["filing"]:
                out.append(
                    "\nThe filing steps are not in this burst: the report filing pages have not "
                    "landed on main yet (issue 5), so only logins and page views are measured."
                )
            if b["error_samples"]:
                out.append("\nFirst errors: " + "; ".join(f"`{e[:120]}`" for e in b["error_samples"]))
            out.append("")
    tp = results.get("throughput")
    if tp:
        out += ["", "### Report submission throughput", ""]
        line = (f"Closed loop, {tp['clients']} clients back to back: the floor `/ping/` serves "
                f"{tp['floor_per_s']:.0f} requests/s.")  # fmt: skip
        if "submissions_per_s" in tp:
            share = tp["submissions_per_s"] / tp["floor_per_s"] if tp["floor_per_s"] else 0
            s = tp["stored"]
            line += (f" Report submission (the report form's Submit on a draft: one request saving and "
                     f"submitting, each secretary once) runs at {tp['submissions_per_s']:.1f} submissions/s over "
                     f"{tp['submissions']} submissions, {share:.0%} of the floor's rate (target ≥ 40%: "
                     f"{verdict(share >= 0.4)}); {tp['submission_failed']} failed requests.")  # fmt: skip
            if "filings_per_s" in tp:
                filing_share = tp["filings_per_s"] / tp["floor_per_s"] if tp["floor_per_s"] else 0
                line += (f" Filing from scratch (open the slot's report, then Submit: two requests) runs at "
                         f"{tp['filings_per_s']:.1f}/s over {tp['filings']} filings, {filing_share:.0%} of the "
                         f"floor's rate; {tp['filing_failed']} failed requests.")  # fmt: skip
            line += f" {s.get('duplicated_versions', 0)} reports with other than one version."
        else:
            line += " Report submission is not measured: the filing pages have not landed on main yet."
        out.append(line)
    missing = results.get("missing_benchmarks", [])
    if missing:
        out += ["", "### Not measured yet", "", *[f"- {m}" for m in missing]]
    notes = results.get("notes", [])
    if notes:
        out += ["", "### Notes", "", *[f"- {n}" for n in notes]]
    out += ["", END]
    return "\n".join(out) + "\n"


def write(path: Path, results: dict) -> None:
    """Replace the generated block of docs/benchmarks.md, keeping every other section (e.g. issue 9's
    export figures) as it was."""
    body = render(results)
    old = path.read_text() if path.exists() else ""
    if BEGIN in old and END in old:
        head, rest = old.split(BEGIN, 1)
        tail = rest.split(END, 1)[1].lstrip("\n")
        text = head + body + ("\n" + tail if tail else "")
    elif old.strip():
        text = old.rstrip("\n") + "\n\n" + body
    else:
        text = "# Benchmarks\n\n" + body
    path.write_text(text)


def parse_seed_log(text: str) -> dict:
    return {m.group(1): float(m.group(2)) for m in re.finditer(r"seed-time (\S+) ([\d.]+) s", text)}


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in ("sweep", "votes", "export"):  # tests/perf/bench_<name>.py: their own sections
        from importlib import import_module

        return import_module(f"tests.perf.bench_{argv[0]}").main(argv[1:])
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["pages", "burst", "throughput", "info", "write"])
    parser.add_argument("--base-url")
    parser.add_argument("--json")
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--label", default="")
    parser.add_argument("--rate", type=float, default=133.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--submissions", type=int, default=400)
    parser.add_argument("--warm", action="store_true", help="Burst of secretaries already logged in.")
    parser.add_argument("--out")
    parser.add_argument("--scale", default="")
    parser.add_argument("--seed-log")
    parser.add_argument("--note", action="append", default=[])
    parser.add_argument("--when", help="write: when the inputs were measured (re-rendering kept results)")
    parser.add_argument("--only", action="append", default=[], help="pages: only labels containing this")
    parser.add_argument("inputs", nargs="*")
    args = parser.parse_intermixed_args(argv)
    if args.command == "write":
        when = args.when or dt.datetime.now().strftime("%Y-%m-%d %H:%M")
        results = {"when": when, "scale": args.scale, "bursts": [],
                   "notes": args.note}  # fmt: skip
        for name in args.inputs:
            data = json.loads(Path(name).read_text())
            if "burst" in data:
                results["bursts"].append(data["burst"])
                results["bursts"].sort(key=lambda b: (b["label"].split(" — ")[0], b.get("warm", False)))
            else:
                results.update(data)
        if args.seed_log:
            results["seed"] = parse_seed_log(Path(args.seed_log).read_text())
        write(Path(args.out), results)
        print(f"wrote {args.out}")
        return 0
    setup_django()
    started = time.monotonic()
    if args.command == "info":
        data = {"machine": machine(), "dataset": dataset(), "login_cost": login_cost(),
                "hasher": password_hasher(), "missing_benchmarks": missing_benchmarks()}  # fmt: skip
    elif args.command == "throughput":
        data = {"throughput": bench_throughput(args.base_url, args.seconds, args.clients, args.submissions)}
    elif args.command == "pages":
        data = {"pages": bench_pages(args.base_url, args.repeats, args.only)}
    else:
        data = {
            "burst": bench_burst(args.base_url, args.label, args.rate, args.seconds, args.offset, args.warm)
        }
    Path(args.json).write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str))
    print(f"{args.command}: {time.monotonic() - started:.1f} s → {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
