"""make backup / make restore: a backup restored into an empty database holds every row of every table."""

import sqlite3
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from league.models import Organization
from tests.factories import NoticeFactory


def snapshot(cursor, tables) -> dict[str, list[tuple]]:
    data = {}
    for table in tables:
        cursor.execute(f'SELECT * FROM "{table}"')
        data[table] = sorted(tuple(map(repr, row)) for row in cursor.fetchall())
    return data


@pytest.fixture
def some_data(world, client_for):
    for i in range(5):
        NoticeFactory(recipient=world.users["street"], title=f"通知 {i} ✓ 🚩")
    client_for("county").post(
        f"/orgs/{world.zhonghe.pk}/edit/",
        {"name": "中河（备份前）", "kind": "working_committee", "domain": "urban_street", "version": 1},
    )
    return world


@pytest.mark.django_db(transaction=True)
def test_backup_restored_into_an_empty_database_has_every_row(some_data, tmp_path):
    tables = connection.introspection.table_names()
    connection.ensure_connection()
    live = snapshot(connection.connection.cursor(), tables)  # the driver's own values, as restored ones
    assert sum(len(rows) for rows in live.values()) > 50
    assert any("中河（备份前）" in str(rows) for rows in live.values())
    file = tmp_path / "backup.bin"
    call_command("backup", str(file), stdout=open(tmp_path / "out", "w"))
    assert file.stat().st_size > 0

    if connection.vendor == "sqlite":
        target = tmp_path / "empty.sqlite3"
        call_command("restore", str(file), into=f"sqlite:///{target}", stdout=open(tmp_path / "out", "w"))
        restored_conn = sqlite3.connect(target, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)
        restored = snapshot(restored_conn.cursor(), tables)
        restored_conn.close()
    else:
        import psycopg2

        name = f"restore_{uuid.uuid4().hex[:10]}"
        s = connection.settings_dict
        url = f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{name}"
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        try:
            call_command("restore", str(file), into=url, stdout=open(tmp_path / "out", "w"))
            pg = psycopg2.connect(
                dbname=name, user=s["USER"], password=s["PASSWORD"], host=s["HOST"], port=s["PORT"]
            )
            restored = snapshot(pg.cursor(), tables)
            pg.close()
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    assert restored.keys() == live.keys()
    for table in tables:
        assert restored[table] == live[table], table


def test_restore_refuses_a_file_that_is_not_a_backup(world, tmp_path):
    bogus = tmp_path / "notes.xlsx"
    bogus.write_bytes(b"PK\x03\x04 this is a spreadsheet, not a backup")
    target = tmp_path / "db.sqlite3"
    url = f"sqlite:///{target}" if connection.vendor == "sqlite" else None
    with pytest.raises(CommandError, match="not a"):
        call_command("restore", str(bogus), into=url or _pg_url_of_test_db())
    with pytest.raises(CommandError, match="no such backup file"):
        call_command("restore", str(tmp_path / "missing.dump"), into=url or _pg_url_of_test_db())
    assert Organization.objects.filter(pk=world.zhonghe.pk).exists()


def _pg_url_of_test_db():
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
