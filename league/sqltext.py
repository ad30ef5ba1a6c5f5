"""SQL written once per database vendor.

A few statements run on nearly every page (the bell's count, the home's panels, a page of lineup verdicts…):
building them through the ORM cost more CPU per request than running them. Their text is built from the
models' metadata (tables and columns as the ORM names them; every value a parameter) the first time it is
needed on a database vendor, and reused. Each such statement is tested against the ORM query it replaces.
"""

import functools

from django.db import connection


def per_vendor(build):
    """Decorator: keep what `build(*args)` returns (SQL text, or a tuple of texts) per database vendor and
    arguments (hashable), so it is built once per process."""
    built: dict = {}

    @functools.wraps(build)
    def text(*args):
        key = (connection.vendor, *args)
        try:
            return built[key]
        except KeyError:
            value = built[key] = build(*args)
            return value

    text.built = built
    return text


@per_vendor
def newest_sql(model, key: str, fields: tuple[str, ...]) -> str:
    """`model.objects.filter(<key>=%s).order_by("-created_at", "-id").values_list(*fields)[:%s]` as SQL: the
    newest rows of one owner (a user's notices, an organization's elections), with the columns a panel shows."""
    qn, meta = connection.ops.quote_name, model._meta
    column = {name: qn(meta.get_field(name).column) for name in {*fields, "id", "created_at"}}
    return (
        f"SELECT {', '.join(column[name] for name in fields)} FROM {qn(meta.db_table)}"
        f" WHERE {qn(meta.get_field(key).column)} = %s"
        f" ORDER BY {column['created_at']} DESC, {column['id']} DESC LIMIT %s"
    )


def scope_sql(column: str, scope: tuple[list[str], list[str]] | None) -> tuple[str, list]:
    """SQL and its parameters for "the path in `column` lies in `scope`" (policies.scope_split: the subtrees of
    its roots and its single organizations), the rows of policies.scope_q; ("", []) for None (everywhere), a
    condition no row meets for an empty scope. Each root is the range of paths its index reads
    (league.models.subtree_sql)."""
    from league.models import subtree_sql

    if scope is None:
        return "", []
    roots, singles = scope
    within, params = [], []
    for root in roots:
        sql, bounds = subtree_sql(column, root)
        within.append(f"({sql})")
        params += bounds
    if singles:
        within.append(f"{column} IN ({', '.join(['%s'] * len(singles))})")
        params += singles
    return f"({' OR '.join(within)})" if within else "1 = 0", params
