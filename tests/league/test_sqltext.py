"""league.sqltext.per_vendor: SQL text built once per database vendor and arguments, then reused."""

from django.db import connection

from league.sqltext import per_vendor


def test_text_is_built_once_per_vendor_and_arguments():
    calls = []

    @per_vendor
    def text(name=""):
        calls.append(name)
        return f"SELECT {connection.ops.quote_name(name or 'x')}"

    assert text() == text() == f"SELECT {connection.ops.quote_name('x')}"
    assert text("a") == text("a") != text()
    assert calls == ["", "a"]
    assert set(text.built) == {(connection.vendor,), (connection.vendor, "a")}


def test_scope_sql_is_the_scopes_rows(world):
    """league.sqltext.scope_sql: the organizations of policies.scope_q for every persona (subtrees, an
    instructor's single units, everything, nothing)."""
    from league import policies
    from league.models import Organization
    from league.sqltext import scope_sql
    from tests.conftest import PERSONAS
    from tests.pilots.factories import assign_instructor

    assign_instructor(world)
    table, path = connection.ops.quote_name(Organization._meta.db_table), connection.ops.quote_name("path")
    for persona in PERSONAS:
        user = world.users[persona]
        for action in ("view", "manage"):
            within, params = scope_sql(path, policies.scope_split(user, action))
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT id FROM {table}{f' WHERE {within}' if within else ''}", params)
                ids = sorted(row[0] for row in cursor.fetchall())
            assert ids == sorted(policies.organizations_for(user, action).values_list("id", flat=True))
    assert scope_sql(path, None) == ("", []) and scope_sql(path, ([], [])) == ("1 = 0", [])
