"""The deployment probe endpoint on the ordinary test database: who may use it, and bad input."""

import pytest

from ops import services
from ops.models import TaskRecord, TaskState

pytestmark = pytest.mark.django_db


def test_only_platform_admins_may_probe(client_for):
    assert client_for("province").post("/ops/probes/", {"count": "1"}).status_code == 403
    assert client_for("street").get("/ops/probes/").status_code == 403
    assert not TaskRecord.objects.exists()


@pytest.mark.parametrize(
    "data, field",
    [({"count": "many"}, "count"), ({"count": "0"}, "count"), ({"count": "201"}, "count"),
     ({"seconds": "-1"}, "seconds"), ({"seconds": "soon"}, "seconds")],
)  # fmt: skip
def test_bad_input_names_the_field_and_stores_nothing(client_for, data, field):
    response = client_for("admin").post("/ops/probes/", data)
    assert response.status_code == 400
    assert field in response.json()["error"]
    assert not TaskRecord.objects.exists()


def test_a_claim_is_taken_once_and_completed_once(world):
    services.enqueue_probes(batch="b", count=1, seconds=0, enqueued_by="web1")
    key = TaskRecord.objects.get().key
    assert services.claim(key=key, node="w1", lease=60)
    assert not services.claim(key=key, node="w2", lease=60)  # live lease: a redelivered copy skips
    assert not services.complete(key=key, node="w2")
    assert services.complete(key=key, node="w1")
    assert not services.complete(key=key, node="w1")
    assert not services.claim(key=key, node="w2", lease=60)  # done: never again
    record = TaskRecord.objects.get()
    assert (record.state, record.attempts, record.completions, record.done_by) == (TaskState.DONE, 1, 1, "w1")


def test_an_expired_claim_is_taken_over(world):
    services.enqueue_probes(batch="b", count=1, seconds=0, enqueued_by="web1")
    key = TaskRecord.objects.get().key
    assert services.claim(key=key, node="w1", lease=-1)  # its worker died: the lease is already over
    assert services.claim(key=key, node="w2", lease=60)
    assert not services.complete(key=key, node="w1")  # the old claimer may not finish it any more
    assert services.complete(key=key, node="w2")
    record = TaskRecord.objects.get()
    assert (record.attempts, record.completions, record.done_by) == (2, 1, "w2")


def test_admin_sees_a_batch_summary(client_for, world):
    services.enqueue_probes(batch="sum", count=2, seconds=0, enqueued_by="web1")
    summary = client_for("admin").get("/ops/probes/", {"batch": "sum"}).json()
    assert summary["records"] == 2 and summary["state"] == {"pending": 2}
