"""/ping/: the benchmarks' floor — authenticated, scoped, one row."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def test_ping_answers_with_the_users_own_scope(client_for, world):
    response = client_for("street").get("/ping/")
    assert response.status_code == 200
    assert response.json()["organization"] == {"pk": world.zhonghe.pk, "name": "鄞州区中河街道团工委"}


def test_ping_reads_session_user_memberships_and_one_row(client_for, world):
    client = client_for("county")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/ping/").status_code == 200
    assert len(ctx.captured_queries) == 4  # session, user, memberships, the row


def test_ping_needs_login(client):
    assert client.get("/ping/").status_code == 302
