"""The Celery path against a real Redis broker and a real worker process (PostgreSQL pass of make test)."""

import pytest

from league.models import WorkerHeartbeat
from league.tasks import heartbeat
from tests.conftest import wait_for

pytestmark = [pytest.mark.realservices, pytest.mark.django_db(transaction=True)]


def test_real_worker_runs_the_heartbeat(celery_worker_process, client):
    heartbeat.delay("probe")
    beat = wait_for(lambda: WorkerHeartbeat.objects.filter(name="probe").first(), timeout=30)
    assert beat is not None, "the worker did not run the task"
    assert client.get("/healthz").json()["broker"] == "ok"
