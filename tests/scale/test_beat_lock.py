"""The beat lock itself: a second holder is refused until the first lets go (or its process dies)."""

import pytest
from django.db import connection

from ops.beat import FileLock, PostgresLock
from tests.conftest import wait_for


def test_file_lock_admits_one_beat(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    first, second = FileLock(), FileLock()
    assert first.acquire() and first.still_held()
    assert not second.acquire()
    first.release()
    assert second.acquire()
    second.release()


@pytest.mark.realservices
@pytest.mark.django_db
def test_postgres_advisory_lock_admits_one_beat():
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL pass of make test checks this")
    first, second = PostgresLock(), PostgresLock()
    try:
        assert first.acquire() and first.still_held()
        assert not second.acquire()
        first.conn.close()  # what a killed beat's connection does
        assert not first.still_held()
        assert wait_for(second.acquire, timeout=10)  # once the server has ended that session
    finally:
        first.release()
        second.release()
