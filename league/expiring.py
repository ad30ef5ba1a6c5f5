"""The terms-ending-soon list (换届提醒) as SQL written once per database and shape of scope
(league.sqltext.per_vendor): the rows of `policies.scoped(Term.objects.expiring(on, months), user)` with what a
row shows, a page at a time with their number, without the ORM's query building on every visit
(tests/league/test_expiring_sql.py compares them with the ORM's)."""

from __future__ import annotations

import datetime as dt

from django.db import connection

from . import policies
from .models import Organization, Term
from .pagination import SqlRows
from .sqltext import per_vendor, scope_sql

TERM_FIELDS = ("id", "organization_id", "number", "start", "end")


@per_vendor
def _expiring_sql() -> tuple[str, str]:
    """(the count, a page counted beside each row) of the current terms ending by a date, with `{scope}` where a
    condition on the committee's path goes (o.path), by end, committee name and term."""
    qn, meta, org = connection.ops.quote_name, Term._meta, Organization._meta
    t = {name: qn(meta.get_field(name.removesuffix("_id")).column) for name in TERM_FIELDS}
    # Current on `on` (started, and no later term of the committee started by then: TermQuerySet.current),
    # ending by the limit.
    where = (
        f"t.{t['start']} <= %s AND NOT EXISTS (SELECT 1 FROM {qn(meta.db_table)} u"
        f" WHERE u.{t['organization_id']} = t.{t['organization_id']} AND u.{t['start']} > t.{t['start']}"
        f" AND u.{t['start']} <= %s) AND t.{t['end']} <= %s{{scope}}"
    )
    joined = (
        f"FROM {qn(meta.db_table)} t INNER JOIN {qn(org.db_table)} o"
        f" ON o.{qn(org.pk.column)} = t.{t['organization_id']} WHERE {where}"
    )
    name = qn(org.get_field("name").column)
    count = f"SELECT COUNT(*) {joined}"
    rows = (
        f"SELECT {', '.join(f't.{t[field]}' for field in TERM_FIELDS)}, o.{name}, COUNT(*) OVER () {joined}"
        f" ORDER BY t.{t['end']}, o.{name}, t.{t['id']} LIMIT %s OFFSET %s"
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
    path = f"o.{connection.ops.quote_name(Organization._meta.get_field('path').column)}"
    within, scope_params = scope_sql(path, policies.scope_split(user, "view"))
    count, rows = (text.format(scope=f" AND {within}" if within else "") for text in _expiring_sql())
    return SqlRows(count, rows, [on, on, limit, *scope_params], _term, counted=True)
