"""The terms-ending-soon list (换届提醒) as SQL written once per database and shape of scope
(league.sqltext.per_vendor): the rows of `policies.scoped(Term.objects.expiring(on, months), user)` with what a
row shows, a page at a time with their number, without the ORM's query building on every visit
(tests/league/test_expiring_sql.py compares them with the ORM's)."""

from __future__ import annotations

import datetime as dt

from django.db import connection

from . import policies
from .models import Organization, Term, subtree_sql
from .pagination import SqlRows
from .sqltext import per_vendor

TERM_FIELDS = ("id", "organization_id", "number", "start", "end")


@per_vendor
def _expiring_sql(roots: int, singles: int) -> tuple[str, str]:
    """(the count, a page counted beside each row) of the current terms ending by a date, within `roots`
    subtrees and `singles` organizations (-1, -1: everywhere), by end, committee name and term."""
    qn, meta, org = connection.ops.quote_name, Term._meta, Organization._meta
    t = {name: qn(meta.get_field(name.removesuffix("_id")).column) for name in TERM_FIELDS}
    path = f"o.{qn(org.get_field('path').column)}"
    # Current on `on` (started, and no later term of the committee started by then: TermQuerySet.current),
    # ending by the limit.
    where = (
        f"t.{t['start']} <= %s AND NOT EXISTS (SELECT 1 FROM {qn(meta.db_table)} u"
        f" WHERE u.{t['organization_id']} = t.{t['organization_id']} AND u.{t['start']} > t.{t['start']}"
        f" AND u.{t['start']} <= %s) AND t.{t['end']} <= %s"
    )
    if roots >= 0:
        within = [f"({subtree_sql(path, '0.')[0]})"] * roots  # the text; each root's bounds are parameters
        if singles:
            within.append(f"{path} IN ({', '.join(['%s'] * singles)})")
        where += f" AND ({' OR '.join(within) or '1 = 0'})"
    joined = (
        f"FROM {qn(meta.db_table)} t INNER JOIN {qn(org.db_table)} o"
        f" ON o.{qn(org.pk.column)} = t.{t['organization_id']} WHERE {where}"
    )
    count = f"SELECT COUNT(*) {joined}"
    rows = (
        f"SELECT {', '.join(f't.{t[name]}' for name in TERM_FIELDS)}, o.{qn(org.get_field('name').column)},"
        f" COUNT(*) OVER () {joined} ORDER BY t.{t['end']}, o.{qn(org.get_field('name').column)}, t.{t['id']}"
        " LIMIT %s OFFSET %s"
    )
    return count, rows


def _term(row) -> Term:
    db = connection.alias
    term = Term.from_db(db, TERM_FIELDS, row[:5])
    term.organization = Organization.from_db(db, ("id", "name"), (row[1], row[5]))
    return term


def expiring_terms(user, on: dt.date, months: int = 6) -> SqlRows:
    """The current terms in the user's scope ending within `months` of `on` or already ended
    (Term.objects.expiring), each with its committee's name, ordered by end and committee name (then term),
    for league.pagination.counted_sql_page."""
    limit = on + dt.timedelta(days=round(months * 30.5))  # as TermQuerySet.expiring
    scope = policies.scope_split(user, "view")
    params = [on, on, limit]
    if scope is None:
        shape = (-1, -1)
    else:
        roots, singles = scope
        shape = (len(roots), len(singles))
        for root in roots:
            params += subtree_sql("", root)[1]
        params += singles
    count, rows = _expiring_sql(*shape)
    return SqlRows(count, rows, params, _term, counted=True)
