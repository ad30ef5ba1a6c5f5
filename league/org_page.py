"""What the organization page reads of the units under it and of its platform users, and the tree page's search,
as SQL written once per database (league.sqltext.per_vendor) rather than the ORM's queries built on every visit.
Each statement is tested against the ORM query it replaces (tests/league/test_org_page_sql.py)."""

from __future__ import annotations

from django.db import connection

from .models import Membership, Organization, Region, Role
from .models.tree import uncased
from .pagination import SqlRows
from .sqltext import per_vendor, scope_sql

CHILD_FIELDS = ("id", "name", "kind", "parent_id", "region_id", "child_count")


@per_vendor
def _children_sql() -> tuple[str, str]:
    """(the count, a page) of an organization's children by name, each with its region's name."""
    qn, meta = connection.ops.quote_name, Organization._meta
    orgs, regions = qn(meta.db_table), qn(Region._meta.db_table)
    column = {name: qn(meta.get_field(name.removesuffix("_id")).column) for name in CHILD_FIELDS}
    parent = column["parent_id"]
    count = f"SELECT COUNT(*) FROM {orgs} WHERE {parent} = %s"
    rows = (
        f"SELECT {', '.join(f'o.{column[name]}' for name in CHILD_FIELDS)}, r.{qn('id')}, r.{qn('name')}"
        f" FROM {orgs} o LEFT OUTER JOIN {regions} r ON o.{column['region_id']} = r.{qn('id')}"
        f" WHERE o.{parent} = %s ORDER BY o.{column['name']} LIMIT %s OFFSET %s"
    )
    return count, rows


def _child(row) -> Organization:
    db = connection.alias
    child = Organization.from_db(db, CHILD_FIELDS, row[:6])
    if row[6] is not None:
        child.region = Region.from_db(db, ("id", "name"), row[6:])
    return child


def children(organization_id: int) -> SqlRows:
    """The rows of `Organization.objects.filter(parent=...).select_related("region")
    .only("name", "kind", "parent", "child_count", "region__name").order_by("name")` for a paginator: each
    child with its region (its name) selected with it; counted only when a page needs it."""
    count, rows = _children_sql()
    return SqlRows(count, rows, [organization_id], _child)


@per_vendor
def _users_sql() -> str:
    qn, meta = connection.ops.quote_name, Membership._meta
    user = meta.get_field("user").related_model._meta
    m = {name: qn(meta.get_field(name).column) for name in ("id", "user", "organization", "role", "title")}
    u = {name: qn(user.get_field(name).column) for name in ("id", "username", "first_name", "last_name")}
    return (
        f"SELECT u.{u['username']}, u.{u['first_name']}, u.{u['last_name']}, m.{m['role']}, m.{m['title']}"
        f" FROM {qn(meta.db_table)} m INNER JOIN {qn(user.db_table)} u ON u.{u['id']} = m.{m['user']}"
        f" WHERE m.{m['organization']} = %s ORDER BY m.{m['role']}, m.{m['id']}"
    )


def platform_users(organization_id: int) -> list[tuple[str, str, str]]:
    """(the user's full name or else username, the role's label, the title) of each membership of the
    organization: what the page's "Platform users" list shows of
    `Membership.objects.filter(organization=...).select_related("user")` in its order (by role: the
    organization's path is the same for all; ties, which the ORM left to the database, by membership)."""
    with connection.cursor() as cursor:
        cursor.execute(_users_sql(), [organization_id])
        rows = cursor.fetchall()
    labels = dict(Role.choices)
    return [
        (f"{first} {last}".strip() or username, labels.get(role, role), title)
        for username, first, last, role, title in rows
    ]


SEARCH_FIELDS = ("id", "name", "level", "parent_id", "child_count")
# The filters of league.filters.OrganizationFilter written here: the text (a name containing it, or the code), and
# the three choices, each an equality.
SEARCH_CHOICES = ("level", "kind", "domain")


@per_vendor
def _search_sql() -> tuple[str, str, str, str]:
    """(a page, the count up to a LIMIT, the text's condition, a choice's condition) of the tree's search, with
    `{where}` where the conditions go and `{column}` for the choice's column."""
    qn, meta = connection.ops.quote_name, Organization._meta
    orgs = qn(meta.db_table)
    column = {
        name: qn(meta.get_field(name.removesuffix("_id")).column) for name in {*SEARCH_FIELDS, "path", "code"}
    }
    rows = (
        f"SELECT {', '.join(f'o.{column[name]}' for name in SEARCH_FIELDS)}, p.{qn('id')}, p.{qn('name')}"
        f" FROM {orgs} o LEFT OUTER JOIN {orgs} p ON o.{column['parent_id']} = p.{qn('id')}{{where}}"
        f" ORDER BY o.{column['path']} ASC LIMIT %s OFFSET %s"
    )
    upto = f"SELECT COUNT(*) FROM (SELECT o.{qn('id')} FROM {orgs} o{{where}} LIMIT %s) subquery"
    # name__contains as the ORM writes it on this database (PostgreSQL's ::text cast, SQLite's ESCAPE)
    name = connection.ops.lookup_cast("contains", "CharField") % f"o.{column['name']}"
    text = f"({name} {connection.operators['contains'] % '%s'} OR o.{column['code']} = %s)"
    return rows, upto, text, "o.{column} = %s"


def _searched(row) -> Organization:
    db = connection.alias
    org = Organization.from_db(db, SEARCH_FIELDS, row[:5])
    org.parent = None if row[5] is None else Organization.from_db(db, ("id", "name"), row[5:])
    return org


def search(user, cleaned: dict) -> SqlRows | None:
    """The rows of the tree's search, `OrganizationFilter(...).qs` of the user's organizations for the filter form's
    `cleaned` data, `.select_related("parent").only("name", "level", "child_count", "parent__name").order_by("path")`,
    for CappedPaginator (each row an Organization with its parent's name; counted up to a limit), as SQL written
    once rather than the ORM's query and count built on every search (tests/league/test_org_page_sql.py). None for
    a text with a case (Latin letters): the ORM's case-insensitive lookups then, which differ by database."""
    from . import policies

    text = (cleaned.get("q") or "").strip()
    if text and not uncased(text):
        return None
    rows, upto, text_condition, choice = _search_sql()
    qn = connection.ops.quote_name
    conditions, params = [], []
    within, scope_params = scope_sql(
        f"o.{qn(Organization._meta.get_field('path').column)}", policies.scope_split(user)
    )
    if within:
        conditions.append(within)
        params += scope_params
    if text:
        conditions.append(text_condition)
        params += [f"%{connection.ops.prep_for_like_query(text)}%", text]
    for name in SEARCH_CHOICES:
        value = cleaned.get(name)
        if value not in (None, "", [], (), {}):  # django-filter's EMPTY_VALUES: no condition
            conditions.append(choice.format(column=qn(Organization._meta.get_field(name).column)))
            params.append(value)
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    count = f"SELECT COUNT(*) FROM {qn(Organization._meta.db_table)} o{where}"
    return SqlRows(
        count, rows.replace("{where}", where), params, _searched, upto_sql=upto.replace("{where}", where)
    )
