"""Jobs run at the same moment, each in its own thread with its own database connection (Django keeps one per
thread), so that row locks and compare-and-set updates really race (the PostgreSQL pass of make test)."""

import threading

from django.db import connections
from django.test import Client


def race(jobs, timeout: float = 60) -> tuple[list, list]:
    """Run each job (a callable) in its own thread, released together by a barrier; returns (results, errors)
    in job order, an error being the exception a job raised (None when it returned). Each thread closes its
    database connections when its job ends."""
    barrier = threading.Barrier(len(jobs))
    results, errors = [None] * len(jobs), [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait(timeout=timeout)
            results[i] = job()
        except Exception as exc:  # collected and asserted on by the caller
            errors[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout * 2)
    return results, errors


def post_as(user, url: str, data: dict, **kwargs):
    """A job for race: `user`, logged in on a client of its own (in the job's thread), posts `data` to `url`."""

    def job():
        client = Client()
        client.force_login(user)
        return client.post(url, data, **kwargs)

    return job
