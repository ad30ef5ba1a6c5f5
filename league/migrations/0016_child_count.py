"""Each organization's number of units under it (Organization.child_count), kept by triggers on the organization
table in the statement that inserts, deletes or re-parents organizations, and filled from the organizations
already there; and the partial index of branches (grassroots units with none) that the theme-day figures
count a subtree's branches over.

PostgreSQL: statement-level triggers with transition tables, one UPDATE of the parents per statement, by
increments (as league_levelcount's: two transactions adding units to one parent queue on its row, and neither
loses the other's). The update trigger changes nothing unless a parent changed (an edit, a move's rewrite of a
subtree's paths, and the triggers' own UPDATE of the parents, which fires it again): it sums the changes per
parent (a hash aggregate: a join of the two transition tables, which have no index, took 6 s for a
province's 7,911 paths) and updates only when one is not zero. SQLite: row-level triggers (SQLite does not fire
a trigger from its own statement). SQLite rebuilds the organization table to add the column, which drops its
triggers: league_levelcount's of migration 0013 are created again here (tests/league/test_level_counts.py)."""

import importlib

from django.db import migrations, models

level_counts = importlib.import_module("league.migrations.0013_level_counts")

POSTGRESQL = [
    """
    CREATE FUNCTION league_child_count_apply() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        UPDATE league_organization o SET child_count = o.child_count + added.n
          FROM (SELECT parent_id, count(*) AS n FROM league_child_count_new
                WHERE parent_id IS NOT NULL GROUP BY parent_id) added
          WHERE o.id = added.parent_id;
      ELSIF TG_OP = 'DELETE' THEN
        UPDATE league_organization o SET child_count = o.child_count - gone.n
          FROM (SELECT parent_id, count(*) AS n FROM league_child_count_old
                WHERE parent_id IS NOT NULL GROUP BY parent_id) gone
          WHERE o.id = gone.parent_id;
      ELSIF EXISTS (SELECT 1 FROM (
                      SELECT parent_id, 1 AS delta FROM league_child_count_new WHERE parent_id IS NOT NULL
                      UNION ALL SELECT parent_id, -1 FROM league_child_count_old WHERE parent_id IS NOT NULL
                    ) changed GROUP BY parent_id HAVING sum(delta) <> 0) THEN
        UPDATE league_organization o SET child_count = o.child_count + moved.n
          FROM (SELECT parent_id, sum(delta) AS n FROM (
                  SELECT parent_id, 1 AS delta FROM league_child_count_new WHERE parent_id IS NOT NULL
                  UNION ALL SELECT parent_id, -1 FROM league_child_count_old WHERE parent_id IS NOT NULL
                ) changed GROUP BY parent_id HAVING sum(delta) <> 0) moved
          WHERE o.id = moved.parent_id;
      END IF;
      RETURN NULL;
    END $$
    """,
    """CREATE TRIGGER league_child_count_insert AFTER INSERT ON league_organization
       REFERENCING NEW TABLE AS league_child_count_new
       FOR EACH STATEMENT EXECUTE FUNCTION league_child_count_apply()""",
    """CREATE TRIGGER league_child_count_delete AFTER DELETE ON league_organization
       REFERENCING OLD TABLE AS league_child_count_old
       FOR EACH STATEMENT EXECUTE FUNCTION league_child_count_apply()""",
    """CREATE TRIGGER league_child_count_update AFTER UPDATE ON league_organization
       REFERENCING OLD TABLE AS league_child_count_old NEW TABLE AS league_child_count_new
       FOR EACH STATEMENT EXECUTE FUNCTION league_child_count_apply()""",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS league_child_count_insert ON league_organization",
    "DROP TRIGGER IF EXISTS league_child_count_delete ON league_organization",
    "DROP TRIGGER IF EXISTS league_child_count_update ON league_organization",
    "DROP FUNCTION IF EXISTS league_child_count_apply()",
]
SQLITE = [
    """CREATE TRIGGER league_child_count_insert AFTER INSERT ON league_organization
       WHEN NEW.parent_id IS NOT NULL BEGIN
         UPDATE league_organization SET child_count = child_count + 1 WHERE id = NEW.parent_id;
       END""",
    """CREATE TRIGGER league_child_count_delete AFTER DELETE ON league_organization
       WHEN OLD.parent_id IS NOT NULL BEGIN
         UPDATE league_organization SET child_count = child_count - 1 WHERE id = OLD.parent_id;
       END""",
    """CREATE TRIGGER league_child_count_update AFTER UPDATE OF parent_id ON league_organization
       WHEN OLD.parent_id IS NOT NEW.parent_id BEGIN
         UPDATE league_organization SET child_count = child_count - 1 WHERE id = OLD.parent_id;
         UPDATE league_organization SET child_count = child_count + 1 WHERE id = NEW.parent_id;
       END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS league_child_count_insert",
    "DROP TRIGGER IF EXISTS league_child_count_delete",
    "DROP TRIGGER IF EXISTS league_child_count_update",
]
FILL = """UPDATE league_organization SET child_count = (
    SELECT COUNT(*) FROM league_organization c WHERE c.parent_id = league_organization.id)"""


def _run(schema_editor, statements) -> None:
    for sql in statements:
        schema_editor.execute(sql, params=None)


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"league_organization.child_count triggers for {vendor}")
    if vendor == "postgresql":  # no organization added between the count and the triggers (until commit)
        _run(schema_editor, ["LOCK TABLE league_organization IN SHARE ROW EXCLUSIVE MODE"])
    else:  # the rebuild of the table dropped them
        _run(schema_editor, level_counts.SQLITE_DROP + level_counts.SQLITE)
    _run(schema_editor, [FILL, *(POSTGRESQL if vendor == "postgresql" else SQLITE)])


def drop_triggers(apps, schema_editor):
    _run(schema_editor, POSTGRESQL_DROP if schema_editor.connection.vendor == "postgresql" else SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("league", "0015_organization_name_trigrams"),
    ]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="child_count",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="units under it"),
        ),
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(
                condition=models.Q(("child_count", 0), ("level", "grassroots")),
                fields=["path"],
                name="org_branch_path",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
