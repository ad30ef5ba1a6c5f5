"""What the organization page reads of the units under it and of its platform users, as SQL written once per
database (league.sqltext.per_vendor) rather than the ORM's queries built on every visit. Each statement is
tested against the ORM query it replaces (tests/league/test_org_page_sql.py)."""

from __future__ import annotations

from django.db import connection

from .models import Membership, Organization, Region, Role
from .pagination import SqlRows
from .sqltext import per_vendor

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
