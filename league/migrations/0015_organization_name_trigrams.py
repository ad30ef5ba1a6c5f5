"""PostgreSQL: a trigram index of organization names (pg_trgm), so that a search by a name of three characters or
more (`name LIKE '%首南街道%'`, what league.models.tree.OrganizationQuerySet.search asks for a Chinese text) is an
index lookup instead of reading every organization of the country: a rare name 84 ms -> 0.15 ms on a copy of
the national organizations (237,483). A two-character text such as 街道 has no trigram: it is still read from
the table, which finds its first matches within a few thousand rows (~1 ms).

SQLite has no such index and needs none at its scale; other databases are refused, as migration 0013 does."""

import sys

from django.db import migrations

INDEX = "org_name_trgm"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        return
    if vendor != "postgresql":
        raise NotImplementedError(f"{INDEX} for {vendor}")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if (
            cursor.fetchone() is None
        ):  # the server was built without contrib: searches read the table, as before
            sys.stderr.write(f"  pg_trgm is not available on this server: {INDEX} not created.\n")
            return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")  # a trusted extension (PostgreSQL 13+)
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON league_organization USING gin (name gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("league", "0014_level_path_like"),
    ]

    operations = [migrations.RunPython(create, drop)]
