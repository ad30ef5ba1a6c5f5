"""The database refuses to change or delete a ledger entry (reverse it with another entry instead).

PostgreSQL: a trigger on UPDATE and DELETE (TRUNCATE, used only to empty test databases, is not affected).
SQLite: a trigger on UPDATE (DELETE stays allowed there, since the test runner empties tables with it).
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION pilots_ledger_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'ledger entries are append-only: reverse the entry instead';
END; $$ LANGUAGE plpgsql;
CREATE TRIGGER pilots_ledger_append_only BEFORE UPDATE OR DELETE ON pilots_ledgerentry
  FOR EACH ROW EXECUTE FUNCTION pilots_ledger_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS pilots_ledger_append_only ON pilots_ledgerentry;
DROP FUNCTION IF EXISTS pilots_ledger_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER pilots_ledger_append_only BEFORE UPDATE ON pilots_ledgerentry
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only: reverse the entry instead'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS pilots_ledger_append_only;"


def up(apps, schema_editor):
    sql = {"postgresql": PG_UP, "sqlite": SQLITE_UP}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


def down(apps, schema_editor):
    sql = {"postgresql": PG_DOWN, "sqlite": SQLITE_DOWN}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("pilots", "0003_guidance_funds")]
    operations = [migrations.RunPython(up, down)]
