"""Rows the database itself refuses to change: append-only tables and records frozen once certified.

The ORM cannot promise that nobody runs an UPDATE (the admin, a shell, a bug in a service); a trigger can.
A feature adds the operation to one of its migrations:

    from league.immutability import Immutable
    operations = [
        Immutable("elections.Ballot"),                                    # append-only: no UPDATE, no DELETE
        Immutable("elections.Tally", when="OLD.certified_at IS NOT NULL"),  # frozen once certified
    ]

PostgreSQL refuses UPDATE and DELETE (its TRUNCATE, used by the test runner's flush, still works);
SQLite, the single-machine default, refuses UPDATE only: it has no TRUNCATE, and the test runner empties
tables with DELETE. The error names the table. tests/security/test_immutability.py shows both.
"""

from __future__ import annotations

from django.db import migrations


class Immutable(migrations.operations.base.Operation):
    reduces_to_sql = True
    reversible = True

    def __init__(self, model: str, when: str | None = None):
        self.model = model
        self.when = when

    def deconstruct(self):
        kwargs = {"model": self.model}
        if self.when:
            kwargs["when"] = self.when
        return self.__class__.__name__, [], kwargs

    def state_forwards(self, app_label, state):
        pass

    def _table(self, from_state):
        app_label, model_name = self.model.split(".")
        return from_state.apps.get_model(app_label, model_name)._meta.db_table

    def _name(self, table: str) -> str:
        return f"{table}_immutable"[:60]

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        table = self._table(to_state)
        name = self._name(table)
        quoted = schema_editor.quote_name(table)
        if schema_editor.connection.vendor == "postgresql":
            condition = f"WHEN ({self.when})" if self.when else ""
            schema_editor.execute(
                f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION 'rows of {table} cannot be changed or deleted'; END;
                $$ LANGUAGE plpgsql"""
            )
            schema_editor.execute(
                f"CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON {quoted} FOR EACH ROW {condition} "
                f"EXECUTE FUNCTION {name}()"
            )
        elif schema_editor.connection.vendor == "sqlite":
            condition = f"WHEN {self.when}" if self.when else ""
            schema_editor.execute(
                f"CREATE TRIGGER {name}_update BEFORE UPDATE ON {quoted} FOR EACH ROW {condition} "
                f"BEGIN SELECT RAISE(ABORT, 'rows of {table} cannot be changed or deleted'); END"
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        table = self._table(from_state)
        name = self._name(table)
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {schema_editor.quote_name(table)}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")
        elif schema_editor.connection.vendor == "sqlite":
            for event in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_{event}")

    def describe(self):
        return f"Make rows of {self.model} immutable" + (f" when {self.when}" if self.when else "")
