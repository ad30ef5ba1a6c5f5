"""The benchmark machinery: an HTTP user with a session and CSRF, repeated page timings against the floor,
an open-loop load generator, and the Markdown writer. Only the standard library, so it runs anywhere the
app does. tests/perf/run.py drives it (`make bench`); tests/test_bench_harness.py runs it at tiny scale.
"""

from __future__ import annotations

import gc
import http.cookiejar
import math
import re
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

LOGIN_PATH = "/accounts/login/"
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


@dataclass
class Stats:
    name: str
    samples: list[float] = field(default_factory=list)  # seconds
    errors: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else 0.0

    @property
    def p95(self) -> float:
        return percentile(self.samples, 95)

    @property
    def p99(self) -> float:
        return percentile(self.samples, 99)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # every request is timed on its own; the caller follows redirects


@dataclass
class Response:
    status: int
    body: bytes
    location: str
    seconds: float


class WebUser:
    """One browser: a cookie jar (session, csrftoken), no automatic redirects, every request timed."""

    def __init__(self, base_url: str, timeout: float = 30.0):
        self.base_url = base_url.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)
        self.timeout = timeout
        self.csrf = ""
        self.location = ""  # of the last redirect, for steps that follow it
        self.form_path = ""

    def set_cookie(self, name: str, value: str) -> None:
        # The jar matches cookies against the effective host ("localhost" becomes "localhost.local").
        host = http.cookiejar.eff_request_host(urllib.request.Request(self.base_url))[1]
        self.jar.set_cookie(http.cookiejar.Cookie(
            0, name, value, None, False, host, False, False, "/", True, False, None, False, None, None, {},
        ))  # fmt: skip

    def request(self, path: str, data: dict | None = None) -> Response:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        path = urllib.parse.quote(path, safe="/?=&%:+,")
        req = urllib.request.Request(self.base_url + path, data=body)
        if body is not None:
            req.add_header("Content-Type", "application/x-www-form-urlencoded")
            req.add_header("X-CSRFToken", self.csrf)
            req.add_header("Referer", self.base_url + path)
        started = time.perf_counter()
        try:
            with self.opener.open(req, timeout=self.timeout) as r:
                status, content, location = r.status, r.read(), r.headers.get("Location", "")
        except urllib.error.HTTPError as exc:
            status, content, location = exc.code, exc.read(), exc.headers.get("Location", "")
        seconds = time.perf_counter() - started
        if location:
            parts = urllib.parse.urlsplit(location)
            self.location = parts.path + (f"?{parts.query}" if parts.query else "")
        token = CSRF_INPUT.search(content)
        if token:
            self.csrf = token.group(1).decode()
        return Response(status, content, location, seconds)

    def login(self, username: str, password: str) -> tuple[Response, Response]:
        page = self.request("/accounts/login/")
        done = self.request(
            "/accounts/login/", {"username": username, "password": password, "csrfmiddlewaretoken": self.csrf}
        )
        if done.status != 302:
            raise RuntimeError(f"login of {username} failed: {done.status}")
        return page, done


# --- repeated page timings against the floor ----------------------------------------------------------


def time_pages(user: WebUser, pages: dict[str, str], repeats: int, floor_path: str = "/ping/") -> dict:
    """Each page `repeats` times, interleaved with the floor so both see the same machine noise.
    Returns {name: Stats} with the floor under "floor"."""
    results = {"floor": Stats("floor")}
    results.update({name: Stats(name) for name in pages})
    for path in [floor_path, *pages.values()]:  # warm up every worker's caches
        user.request(path)
    for _ in range(repeats):
        for name, path in pages.items():
            floor = user.request(floor_path)
            _record(results["floor"], floor)
            _record(results[name], user.request(path))
    return results


def _record(stats: Stats, response: Response) -> None:
    if response.status >= 400 or response.location.startswith(LOGIN_PATH):
        stats.errors += 1
    stats.samples.append(response.seconds)


# --- open-loop load ---------------------------------------------------------------------------------------


@dataclass
class Hit:
    step: str
    seconds: float  # from when the request was due (open loop: includes waiting for a free client)
    status: int
    error: str = ""
    at: float = 0.0  # seconds into the run when it was answered


class Journey:
    """Steps a user takes one after the other; each step is (name, callable(WebUser) -> Response)."""

    def __init__(self, base_url: str, steps: list[tuple[str, Callable[[WebUser], Response]]],
                 cookies: dict | None = None):  # fmt: skip
        self.base_url = base_url
        self.steps = steps
        self.cookies = cookies or {}


def open_loop(
    journeys: Iterator[Journey], requests_per_second: float, duration: float, max_clients: int = 400
) -> tuple[list[Hit], float, float, float]:
    """Start journeys at a fixed arrival rate (requests_per_second / steps per journey) whatever the
    server's latency — an open loop, so a slow server shows as latency, not as a lower offered rate.
    Returns the hits, the elapsed seconds, the worst lateness of the generator itself and its longest
    garbage-collection pause (a pause of the generator would show as latency of every request in flight)."""
    hits: list[Hit] = []
    pauses = GcPauses()
    lock = threading.Lock()
    first = next(journeys)
    rate = requests_per_second / len(first.steps)
    pending = [first]

    def run(journey: Journey, due: float) -> None:
        user = WebUser(journey.base_url)
        for name, value in journey.cookies.items():
            user.set_cookie(name, value)
        for step, action in journey.steps:
            try:
                response = action(user)
                status, error = response.status, ""
                if status >= 400:
                    error = response.body[:200].decode(errors="replace")
                elif response.location.startswith(LOGIN_PATH):
                    status, error = 0, "sent to the login page: the session was not honoured"
            except Exception as exc:  # the run must record failures, never stop on them
                status, error = 0, f"{exc.__class__.__name__}: {exc}"
            now = time.perf_counter()
            with lock:
                hits.append(Hit(step, now - due, status, error, now - start))
            due = now  # later steps are timed from when the previous one answered

    start = time.perf_counter()
    worst_lag = 0.0
    with pauses, ThreadPoolExecutor(max_workers=max_clients) as pool:
        i = 0
        while True:
            due = start + i / rate
            if due - start >= duration:
                break
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            else:
                worst_lag = max(worst_lag, -delay)
            journey = pending.pop() if pending else next(journeys, None)
            if journey is None:
                break
            pool.submit(run, journey, due)
            i += 1
    return hits, time.perf_counter() - start, worst_lag, pauses.longest


class GcPauses:
    """While entered, the longest pause of Python's garbage collector in this process."""

    def __init__(self):
        self.longest = 0.0
        self._started = 0.0

    def _callback(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.longest = max(self.longest, time.perf_counter() - self._started)

    def __enter__(self):
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc) -> None:
        gc.callbacks.remove(self._callback)


def worst_second(hits: list[Hit], least: int = 20) -> dict | None:
    """The one-second window (by when requests were answered) with the highest p95, among windows holding at
    least `least` requests: where in a run a stall happened, and how bad it was."""
    windows: dict[int, Stats] = {}
    for hit in hits:
        windows.setdefault(int(hit.at), Stats("second")).samples.append(hit.seconds)
    full = [(second, stats) for second, stats in windows.items() if len(stats.samples) >= least]
    if not full:
        return None
    second, stats = max(full, key=lambda item: item[1].p95)
    return {"at": second, "n": len(stats.samples), "p95": stats.p95, "max": max(stats.samples)}


def closed_loop(
    task: Callable[[int], int], clients: int, duration: float, limit: int = 10**9
) -> tuple[int, int, float]:
    """`clients` threads each calling task(i) back to back for `duration` seconds (a throughput ceiling,
    not a latency measure). task returns the number of failed requests. Returns (tasks, failures, seconds)."""
    counter = iter(range(limit))
    lock = threading.Lock()
    done, failed = [0], [0]
    stop_at = time.perf_counter() + duration

    def loop():
        while time.perf_counter() < stop_at:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            errors = task(i)
            with lock:
                done[0] += 1
                failed[0] += errors

    started = time.perf_counter()
    threads = [threading.Thread(target=loop) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done[0], failed[0], time.perf_counter() - started


def summarize(hits: list[Hit]) -> dict[str, Stats]:
    out: dict[str, Stats] = {"all": Stats("all")}
    for hit in hits:
        for key in ("all", hit.step):
            stats = out.setdefault(key, Stats(key))
            stats.samples.append(hit.seconds)
            if hit.status == 0 or hit.status >= 400:
                stats.errors += 1
    return out


# --- Markdown ---------------------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)
