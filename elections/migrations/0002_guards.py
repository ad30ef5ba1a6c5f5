"""Database guards: the audit trail is append-only, a certified round never changes, and no ballot is
added, changed or removed once its round is certified. Triggers on PostgreSQL and SQLite (on SQLite only
the UPDATE and INSERT guards: its test flush deletes rows with DELETE, where PostgreSQL uses TRUNCATE)."""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER elections_audit_no_update BEFORE UPDATE ON elections_auditevent
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
    """CREATE TRIGGER elections_round_certified_update BEFORE UPDATE ON elections_round
       WHEN OLD.certified_at IS NOT NULL
       BEGIN SELECT RAISE(ABORT, 'a certified round never changes'); END""",
    """CREATE TRIGGER elections_ballot_certified_insert BEFORE INSERT ON elections_ballot
       WHEN (SELECT certified_at FROM elections_round WHERE id = NEW.round_id) IS NOT NULL
       BEGIN SELECT RAISE(ABORT, 'the round is certified'); END""",
    """CREATE TRIGGER elections_ballot_certified_update BEFORE UPDATE ON elections_ballot
       WHEN (SELECT certified_at FROM elections_round WHERE id = OLD.round_id) IS NOT NULL
       BEGIN SELECT RAISE(ABORT, 'the round is certified'); END""",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "elections_audit_no_update", "elections_audit_no_delete", "elections_round_certified_update",
        "elections_round_certified_delete", "elections_ballot_certified_insert",
        "elections_ballot_certified_update", "elections_ballot_certified_delete",
    )
]  # fmt: skip

POSTGRES = [
    """CREATE OR REPLACE FUNCTION elections_audit_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER elections_audit_append_only BEFORE UPDATE OR DELETE ON elections_auditevent
       FOR EACH ROW EXECUTE FUNCTION elections_audit_append_only()""",
    """CREATE OR REPLACE FUNCTION elections_round_frozen() RETURNS trigger AS $$
       BEGIN
         IF OLD.certified_at IS NOT NULL THEN RAISE EXCEPTION 'a certified round never changes'; END IF;
         IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
         RETURN NEW;
       END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER elections_round_frozen BEFORE UPDATE OR DELETE ON elections_round
       FOR EACH ROW EXECUTE FUNCTION elections_round_frozen()""",
    """CREATE OR REPLACE FUNCTION elections_ballot_frozen() RETURNS trigger AS $$
       DECLARE rid bigint;
       BEGIN
         IF TG_OP = 'INSERT' THEN rid := NEW.round_id; ELSE rid := OLD.round_id; END IF;
         IF EXISTS (SELECT 1 FROM elections_round WHERE id = rid AND certified_at IS NOT NULL) THEN
           RAISE EXCEPTION 'the round is certified';
         END IF;
         IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
         RETURN NEW;
       END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER elections_ballot_frozen BEFORE INSERT OR UPDATE OR DELETE ON elections_ballot
       FOR EACH ROW EXECUTE FUNCTION elections_ballot_frozen()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS elections_audit_append_only ON elections_auditevent",
    "DROP TRIGGER IF EXISTS elections_round_frozen ON elections_round",
    "DROP TRIGGER IF EXISTS elections_ballot_frozen ON elections_ballot",
    "DROP FUNCTION IF EXISTS elections_audit_append_only()",
    "DROP FUNCTION IF EXISTS elections_round_frozen()",
    "DROP FUNCTION IF EXISTS elections_ballot_frozen()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("elections", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
