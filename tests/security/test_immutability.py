"""Append-only and frozen rows are refused by the database itself (league/immutability.py)."""

import pytest
from django.db import DatabaseError, connection, transaction

from league.models import HistoryOrigin


@pytest.fixture
def origin(db):
    return HistoryOrigin.objects.create(history_model="league.historicalorganization", history_id=1,
                                        ip_address="10.0.0.1")  # fmt: skip


def test_the_ip_trail_cannot_be_rewritten(origin):
    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
        HistoryOrigin.objects.filter(pk=origin.pk).update(ip_address="127.0.0.1")
    origin.refresh_from_db()
    assert origin.ip_address == "10.0.0.1"


def test_the_ip_trail_cannot_be_deleted_on_postgresql(origin):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps DELETE for the test runner's flush; PostgreSQL refuses it")
    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
        HistoryOrigin.objects.filter(pk=origin.pk).delete()
    assert HistoryOrigin.objects.filter(pk=origin.pk).exists()


def test_new_rows_are_still_appended(origin):
    HistoryOrigin.objects.create(history_model="league.historicalregion", history_id=2, ip_address="::1")
    assert HistoryOrigin.objects.count() == 2


def test_a_record_is_frozen_once_its_condition_holds(world):
    """`when=`: e.g. a tally frozen once certified; tried here on notices frozen once read."""
    from django.apps import apps
    from django.db.migrations.state import ProjectState
    from django.utils import timezone

    from league.immutability import Immutable
    from league.models import Notice

    op = Immutable("league.Notice", when="OLD.read_at IS NOT NULL")
    state = ProjectState.from_apps(apps)
    notice = Notice.objects.create(recipient=world.users["street"], title="通知")
    editor = connection.schema_editor(
        atomic=False
    )  # only executes the trigger SQL, inside the test's transaction
    op.database_forwards("league", editor, state, state)
    try:
        Notice.objects.filter(pk=notice.pk).update(title="改过的通知")  # not read yet: may change
        Notice.objects.filter(pk=notice.pk).update(read_at=timezone.now())
        with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
            Notice.objects.filter(pk=notice.pk).update(title="读后再改")
        assert Notice.objects.get(pk=notice.pk).title == "改过的通知"
    finally:
        op.database_backwards("league", editor, state, state)
