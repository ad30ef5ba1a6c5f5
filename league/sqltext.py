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


def scope_conditions(column: str, scope: tuple[list[str], list[str]]) -> tuple[list[str], list]:
    """The conditions of a scope (policies.scope_split's subtree roots and single organizations) on the path
    `column`, to be joined with OR, and their parameters: each root the range of paths its index reads
    (league.models.subtree_sql), one IN for the single organizations. (The ORM's LIKE 'root%' let PostgreSQL
    walk the organizations' path index from the first path for a page in path order: the program page of the
    last of 30 provinces took 72 ms in its units' statement, the first one's 0.5.)"""
    from league.models import subtree_sql

    roots, singles = scope
    within, params = [], []
    for root in roots:
        sql, bounds = subtree_sql(column, root)
        within.append(f"({sql})")
        params += bounds
    if singles:
        within.append(f"{column} IN ({', '.join(['%s'] * len(singles))})")
        params += singles
    return within, params


def scope_sql(column: str, scope: tuple[list[str], list[str]] | None) -> tuple[str, list]:
    """SQL and its parameters for "the path in `column` lies in `scope`" (policies.scope_split: the subtrees of
    its roots and its single organizations), the rows of policies.scope_q; ("", []) for None (everywhere), a
    condition no row meets for an empty scope (scope_conditions joined with OR)."""
    if scope is None:
        return "", []
    within, params = scope_conditions(column, scope)
    return f"({' OR '.join(within)})" if within else "1 = 0", params


def owner_in_scope_sql(column: str, scope: tuple[list[str], list[str]] | None) -> tuple[str, list]:
    """SQL and its parameters for "the organization whose id is in `column` (a quoted column, with its alias) lies
    in `scope`" (policies.scope_split; None: everywhere, ("", [])), for a table that keeps no path of its own (an
    election, a program, a rating round): an EXISTS reading that organization by id and testing its path as
    scope_sql does. On PostgreSQL the id is compared as `= ANY(ARRAY[column])`, a test a merge or hash join
    cannot use: joined by a plain `=`, a few rows (the country's 4 elections, 7 programs, 2 rating rounds) were
    merged with the organizations walked in id order and filtered by path, which finds nothing quickly for a
    scope whose organizations came last (the last of 30 provinces: 40-85 ms, the first 0.1 ms) since ids follow
    the tree's order; so each row's organization is read by its id (or the scope's organizations by their path
    range, whichever the planner finds fewer), ~0.1 ms for every province."""
    from league.models import Organization

    if scope is None:
        return "", []
    qn, meta = connection.ops.quote_name, Organization._meta
    within, params = scope_sql(f"x.{qn(meta.get_field('path').column)}", scope)
    key = f"ANY(ARRAY[{column}])" if connection.vendor == "postgresql" else column
    return (
        f"EXISTS (SELECT 1 FROM {qn(meta.db_table)} x WHERE x.{qn(meta.pk.column)} = {key} AND {within})",
        params,
    )
