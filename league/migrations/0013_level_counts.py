"""The number of organizations at each level (league.models.LevelCount), kept by triggers on the organization
table in the statement that writes the organizations, and filled from the organizations already there.

PostgreSQL: statement-level triggers with transition tables (one aggregate per statement: a bulk_create of
1,000 organizations adds to each level once, not 1,000 times). SQLite: row-level triggers. SQLite drops a
table's triggers when Django rebuilds the table (an AlterField there): a later migration that changes
league_organization on SQLite must create them again (tests/league/test_level_counts.py fails otherwise)."""

from django.db import migrations, models

POSTGRESQL = [
    """
    CREATE FUNCTION league_levelcount_apply() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO league_levelcount (level, n)
          SELECT level, count(*) FROM league_levelcount_new GROUP BY level ORDER BY level
          ON CONFLICT (level) DO UPDATE SET n = league_levelcount.n + EXCLUDED.n;
      ELSIF TG_OP = 'DELETE' THEN
        UPDATE league_levelcount c SET n = c.n - gone.n
          FROM (SELECT level, count(*) AS n FROM league_levelcount_old GROUP BY level) gone
          WHERE c.level = gone.level;
      ELSE
        INSERT INTO league_levelcount (level, n)
          SELECT level, sum(delta) FROM (
            SELECT level, 1 AS delta FROM league_levelcount_new
            UNION ALL SELECT level, -1 FROM league_levelcount_old
          ) changed GROUP BY level HAVING sum(delta) <> 0 ORDER BY level
          ON CONFLICT (level) DO UPDATE SET n = league_levelcount.n + EXCLUDED.n;
      END IF;
      RETURN NULL;
    END $$
    """,
    """CREATE TRIGGER league_levelcount_insert AFTER INSERT ON league_organization
       REFERENCING NEW TABLE AS league_levelcount_new
       FOR EACH STATEMENT EXECUTE FUNCTION league_levelcount_apply()""",
    """CREATE TRIGGER league_levelcount_delete AFTER DELETE ON league_organization
       REFERENCING OLD TABLE AS league_levelcount_old
       FOR EACH STATEMENT EXECUTE FUNCTION league_levelcount_apply()""",
    """CREATE TRIGGER league_levelcount_update AFTER UPDATE ON league_organization
       REFERENCING OLD TABLE AS league_levelcount_old NEW TABLE AS league_levelcount_new
       FOR EACH STATEMENT EXECUTE FUNCTION league_levelcount_apply()""",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS league_levelcount_insert ON league_organization",
    "DROP TRIGGER IF EXISTS league_levelcount_delete ON league_organization",
    "DROP TRIGGER IF EXISTS league_levelcount_update ON league_organization",
    "DROP FUNCTION IF EXISTS league_levelcount_apply()",
]
SQLITE = [
    """CREATE TRIGGER league_levelcount_insert AFTER INSERT ON league_organization BEGIN
         INSERT INTO league_levelcount (level, n) VALUES (NEW.level, 1)
           ON CONFLICT (level) DO UPDATE SET n = n + 1;
       END""",
    """CREATE TRIGGER league_levelcount_delete AFTER DELETE ON league_organization BEGIN
         UPDATE league_levelcount SET n = n - 1 WHERE level = OLD.level;
       END""",
    """CREATE TRIGGER league_levelcount_update AFTER UPDATE OF level ON league_organization
       WHEN OLD.level <> NEW.level BEGIN
         UPDATE league_levelcount SET n = n - 1 WHERE level = OLD.level;
         INSERT INTO league_levelcount (level, n) VALUES (NEW.level, 1)
           ON CONFLICT (level) DO UPDATE SET n = n + 1;
       END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS league_levelcount_insert",
    "DROP TRIGGER IF EXISTS league_levelcount_delete",
    "DROP TRIGGER IF EXISTS league_levelcount_update",
]
FILL = "INSERT INTO league_levelcount (level, n) SELECT level, COUNT(*) FROM league_organization GROUP BY level"


def _run(schema_editor, statements) -> None:
    for sql in statements:
        schema_editor.execute(sql, params=None)


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"league_levelcount triggers for {vendor}")
    if vendor == "postgresql":  # no organization added between the count and the triggers (until commit)
        _run(schema_editor, ["LOCK TABLE league_organization IN SHARE ROW EXCLUSIVE MODE"])
    _run(schema_editor, [FILL, *(POSTGRESQL if vendor == "postgresql" else SQLITE)])


def drop_triggers(apps, schema_editor):
    _run(schema_editor, POSTGRESQL_DROP if schema_editor.connection.vendor == "postgresql" else SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("league", "0012_lineup_verdicts_schedule"),
    ]

    operations = [
        migrations.CreateModel(
            name="LevelCount",
            fields=[
                (
                    "level",
                    models.CharField(
                        choices=[
                            ("province", "Province"),
                            ("city", "City"),
                            ("county", "County/district"),
                            ("street", "Street/township"),
                            ("grassroots", "Grassroots unit"),
                        ],
                        max_length=20,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("n", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
