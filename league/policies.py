"""Who may see and do what. The one place that answers it.

A user holds roles at organizations (Membership); each role allows a set of actions, and the user may
take an action on the whole subtree of every organization where they hold a role allowing it. Every list
starts from a scoped queryset and every detail view from `get_object_or_404(scoped_queryset, pk=...)`,
so an object outside scope is a 404, never a leak. An object the user may see but not act on is a 403.

Instructors are narrowed: the instructor role gives `guide` over its subtree (so the instructor can be
assigned to any pilot unit there), but `view` only over the organizations of the pilot units assigned to
them (pilots.guidance's InstructorAssignment, any dates), each alone, not its subtree. Every scoped page
(reports, pilot units, guidance, organizations, lineups …) honours it through scope_q/scoped/can.

Actions:
    view    read pages of the organization and what lies under it
    manage  change the organization's data (tree, lineups, programs, assessments)
    review  review reports filed by units under it
    file    file reports and keep its own records (secretaries)
    guide   log guidance visits (instructors)
    export  export lists to Excel
    import  import spreadsheets
"""

from __future__ import annotations

import copy

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404

from . import sqltext
from .models import Membership, Organization, Role

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset({"view", "manage", "review", "file", "guide", "export", "import"}),
    Role.STAFF: frozenset({"view", "manage", "review", "export", "import"}),
    Role.SECRETARY: frozenset({"view", "file", "export"}),
    Role.INSTRUCTOR: frozenset({"view", "guide"}),
}
ACTIONS = frozenset().union(*ROLE_ACTIONS.values())

# Actions an instructor membership gives only over the organizations of the units assigned to the user.
INSTRUCTOR_NARROWED = frozenset({"view"})

_CACHE_ATTR = "_league_memberships"
_ASSIGNED_ATTR = "_league_assigned_paths"
_SCOPE_ATTR = "_league_scopes"


def memberships(user) -> list[tuple[str, str, Organization]]:
    """(role, path, organization) for each of the user's memberships in (path, role) order (Membership's
    ordering); one query, cached on the user."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = []
        for organization in Organization.objects.raw(_memberships_sql(), [user.pk]):
            role = organization.__dict__.pop(_ROLE_COLUMN)
            cached.append((role, organization.path, organization))
        cached.sort(key=lambda item: (item[1], item[0]))
        setattr(user, _CACHE_ATTR, cached)
    return cached


_ROLE_COLUMN = "league_membership_role"
_memberships_sql_by_vendor: dict[str, str] = {}


def _memberships_sql() -> str:
    """Every request reads the memberships (scope, menus): written as SQL once, because compiling the
    equivalent `Membership.objects.filter(user=user).select_related("organization")` cost ~0.4 ms of CPU per
    request, most of the floor's. The organizations come out as full model instances (all columns,
    converted by the raw queryset), exactly as the select_related did; sorted in Python (one user's rows)."""
    from django.db import connection

    sql = _memberships_sql_by_vendor.get(connection.vendor)
    if sql is None:
        qn = connection.ops.quote_name
        org, membership = Organization._meta, Membership._meta
        columns = ", ".join(f"o.{qn(field.column)}" for field in org.concrete_fields)
        sql = (
            f"SELECT {columns}, m.{qn(membership.get_field('role').column)} AS {_ROLE_COLUMN}"
            f" FROM {qn(membership.db_table)} m INNER JOIN {qn(org.db_table)} o"
            f" ON o.{qn(org.pk.column)} = m.{qn(membership.get_field('organization').column)}"
            f" WHERE m.{qn(membership.get_field('user').column)} = %s"
        )
        _memberships_sql_by_vendor[connection.vendor] = sql
    return sql


def assigned_paths(user) -> frozenset[str]:
    """Paths of the organizations of the pilot units assigned to `user` as instructor; cached on the user.

    The assignments are pilots' model: named by label, so that league does not import pilots.
    """
    cached = getattr(user, _ASSIGNED_ATTR, None)
    if cached is None:
        if apps.is_installed("pilots"):
            assignment = apps.get_model("pilots", "InstructorAssignment")
            rows = assignment.objects.filter(instructor=user).values_list(
                "unit__organization__path", flat=True
            )
            cached = frozenset(rows)
        else:
            cached = frozenset()
        setattr(user, _ASSIGNED_ATTR, cached)
    return cached


def forget(user) -> None:
    """Drop the cached memberships and assignments (after the user's roles or assignments change)."""
    for attr in (_CACHE_ATTR, _ASSIGNED_ATTR, _SCOPE_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


def is_platform_admin(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or any(role == Role.ADMIN for role, _, _ in memberships(user))


def roles(user) -> set[str]:
    roles_ = {role for role, _, _ in memberships(user)}
    if getattr(user, "is_superuser", False):
        roles_.add(Role.ADMIN)
    return roles_


def _scope(user, action: str) -> tuple[list[str], list[str]] | None:
    """(subtree roots, single organizations) where `user` may take `action`; None means everywhere (admins).

    Kept on the user object beside the memberships it derives from (a page asks it ~20 times), and dropped
    with them by forget(). Callers must not change the lists returned (scope_split copies them)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if not getattr(user, "is_authenticated", False):
        return [], []
    kept = _kept(user)
    key = (action, bool(user.is_superuser))
    if key not in kept:
        kept[key] = _compute_scope(user, action)
    return kept[key]


def _kept(user) -> dict:
    """What is kept on the user object beside its memberships (scopes, scope roots), dropped by forget()."""
    kept = getattr(user, _SCOPE_ATTR, None)
    if kept is None:
        kept = {}
        setattr(user, _SCOPE_ATTR, kept)
    return kept


def _compute_scope(user, action: str) -> tuple[list[str], list[str]] | None:
    if is_platform_admin(user):
        return None
    roots: set[str] = set()
    singles: set[str] = set()
    for role, path, _ in memberships(user):
        if action not in ROLE_ACTIONS[role]:
            continue
        if role == Role.INSTRUCTOR and action in INSTRUCTOR_NARROWED:
            singles.update(p for p in assigned_paths(user) if p.startswith(path))
        else:
            roots.add(path)
    # Drop paths already covered by a shorter one, so queries carry fewer conditions.
    kept: list[str] = []
    for path in sorted(roots):
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return kept, sorted(p for p in singles if not any(p.startswith(k) for k in kept))


def scope_split(user, action: str = "view") -> tuple[list[str], list[str]] | None:
    """(subtree roots, single organizations) where `user` may take `action`, as paths; None means everywhere.

    A root's whole subtree is in scope; a single organization (an instructor's assigned unit) only itself.
    No root lies under another, and no single lies under a root (a root may lie under a single: the
    instructor's street and a branch below it where the same user is secretary).
    """
    scope = _scope(user, action)
    return None if scope is None else (list(scope[0]), list(scope[1]))


def scope_paths(user, action: str = "view") -> list[str] | None:
    """Paths of the organizations where the user's scope for `action` starts; None means everywhere (admins).

    Most are subtree roots; an instructor's assigned organizations are in scope alone (not their subtree),
    so test whether an organization or row is in scope with can() or scope_q(), never with startswith
    (scope_split() tells the roots from the single organizations).
    """
    scope = _scope(user, action)
    return None if scope is None else sorted(scope[0] + scope[1])


def scope_q(user, action: str = "view", path_field: str = "path") -> Q | None:
    """A Q object restricting `path_field` to the user's scope (None: no restriction; Q(pk__in=[]) for none)."""
    scope = _scope(user, action)
    if scope is None:
        return None
    roots, singles = scope
    if not roots and not singles:
        return Q(pk__in=[])
    condition = Q()
    for path in roots:
        condition |= Q(**{f"{path_field}__startswith": path})
    if singles:
        condition |= Q(**{f"{path_field}__in": singles})
    return condition


def scope_sql(user, action: str, column: str) -> tuple[str, list] | None:
    """scope_q(user, action, ...) as an SQL condition on the path `column` (a quoted column, with its alias) and
    its parameters, for statements written as SQL once: None means no restriction (admins), an empty text no
    organization at all (the ORM runs no query then: neither should the caller). The condition is
    league.sqltext.scope_sql's (a subtree is the range of paths its index reads)."""
    scope = scope_split(user, action)
    if scope is None:
        return None
    if not scope[0] and not scope[1]:
        return "", []
    return sqltext.scope_sql(column, scope)


def scoped(
    queryset: QuerySet, user, action: str = "view", path_field: str = "organization__path"
) -> QuerySet:
    """Restrict any queryset whose rows belong to an organization to what `user` may `action`."""
    condition = scope_q(user, action, path_field)
    return queryset if condition is None else queryset.filter(condition)


def scoped_by_owner(queryset: QuerySet, user, action: str = "view", field: str = "organization") -> QuerySet:
    """The rows of scoped(queryset, user, action, f"{field}__path") for a model whose `field` is its organization
    and that keeps no path of its own: the condition an EXISTS reading that organization by id
    (sqltext.owner_in_scope_sql), which PostgreSQL cannot turn into a walk of every organization in id order as
    it did with the joined organization's LIKE (the last of 30 provinces' elections or rating rounds: 40-85 ms,
    the first's 0.1 ms). The condition names the queryset's table: not for a queryset used as a subquery. An
    empty scope stays the ORM's (no query at all)."""
    scope = scope_split(user, action)
    if scope is None or not (scope[0] or scope[1]):
        return scoped(queryset, user, action, f"{field}__path")
    return _owned_in(queryset, scope, field)


def owned_under(queryset: QuerySet, organization: Organization, field: str = "organization") -> QuerySet:
    """The rows of queryset.filter(<field>__path__startswith=organization.path) (a list's "in this organization"
    filter) for a model that keeps no path of its own, as scoped_by_owner writes its scope."""
    return _owned_in(queryset, ([organization.path], []), field)


def _owned_in(queryset: QuerySet, scope: tuple[list[str], list[str]], field: str) -> QuerySet:
    from django.db.models import BooleanField
    from django.db.models.expressions import RawSQL

    qn, meta = connection.ops.quote_name, queryset.model._meta
    sql, params = sqltext.owner_in_scope_sql(f"{qn(meta.db_table)}.{qn(meta.get_field(field).column)}", scope)
    return queryset.filter(RawSQL(sql, params, output_field=BooleanField()))


def organizations_for(user, action: str = "view") -> QuerySet:
    return scoped(Organization.objects.all(), user, action, path_field="path")


def can(user, action: str, organization: Organization) -> bool:
    scope = _scope(user, action)
    if scope is None:
        return True
    roots, singles = scope
    return organization.path in singles or any(organization.path.startswith(p) for p in roots)


def get_organization(user, pk, action: str = "view") -> Organization:
    """The organization if the user may see it and take `action` on it: 404 if unseen, 403 if not allowed.

    One of the user's own organizations (most pages a secretary or staff member opens) is a copy of the one
    their memberships already read, without a query; any other is read by its id and kept only if can() sees
    it: the same rows as organizations_for(user, "view").get(pk=pk), without building the scope's conditions."""
    try:
        key = int(pk)
    except (ValueError, TypeError):
        raise Http404("No organization in your scope matches the request.") from None
    organization = next((copy.copy(o) for _, _, o in memberships(user) if o.pk == key), None)
    if organization is None:
        organization = _organization_by_id(key)
        if organization is None:
            raise Http404("No organization in your scope matches the request.")
    if not can(user, "view", organization):
        raise Http404("No organization in your scope matches the request.")
    require(user, action, organization)
    return organization


@sqltext.per_vendor
def _organization_sql() -> str:
    qn, org = connection.ops.quote_name, Organization._meta
    columns = ", ".join(qn(field.column) for field in org.concrete_fields)
    return f"SELECT {columns} FROM {qn(org.db_table)} WHERE {qn(org.pk.column)} = %s"


def _organization_by_id(pk: int) -> Organization | None:
    """`Organization.objects.get(pk=pk)` (None if there is none, or for an id no row can have), the statement
    written once per database vendor: the ORM's compilation cost ~0.3 ms of CPU against ~0.1 ms through the raw
    queryset, which converts every column as the ORM does."""
    low, high = connection.ops.integer_field_range(Organization._meta.pk.get_internal_type())
    if (low is not None and pk < low) or (high is not None and pk > high):
        return None  # as the ORM, which asks nothing for an id out of the column's range
    return next(iter(Organization.objects.raw(_organization_sql(), [pk])), None)


def require(user, action: str, organization: Organization) -> None:
    """403 unless the user may take `action` on an organization they can already see."""
    if not can(user, action, organization):
        raise PermissionDenied


def export_jobs_for(user) -> QuerySet:
    """Export files are private: only their owner sees them (not even a platform admin)."""
    from .models import ExportJob

    if not getattr(user, "is_authenticated", False):
        return ExportJob.objects.none()
    return ExportJob.objects.filter(owner=user)


def scope_roots(user) -> QuerySet:
    """The topmost organizations the user can see (the tree's starting points)."""
    if is_platform_admin(user):
        return Organization.objects.filter(parent__isnull=True)
    paths = scope_paths(user, "view") or []
    return Organization.objects.filter(path__in=paths)


@sqltext.per_vendor
def _national_roots_sql(limited: bool) -> str:
    """`Organization.objects.filter(parent__isnull=True).order_by("path")` (all columns; the first %s when
    `limited`): a platform admin's scope roots, read on every admin's home, as SQL written once rather than
    the ORM's query (tests/league/test_home_queries.py compares them)."""
    qn, meta = connection.ops.quote_name, Organization._meta
    sql = (
        f"SELECT {', '.join(qn(field.column) for field in meta.concrete_fields)} FROM {qn(meta.db_table)}"
        f" WHERE {qn(meta.get_field('parent').column)} IS NULL ORDER BY {qn(meta.get_field('path').column)}"
    )
    return sql + " LIMIT %s" if limited else sql


def scope_root_list(user, limit: int | None = None) -> list[Organization]:
    """scope_roots(user) in path order (the first `limit`), as a list; without a query when the user's
    memberships (already read) hold every root, as for a secretary or staff member (not an instructor's
    assigned units, nor an admin's national roots), or when an earlier call read as many."""
    if getattr(user, "is_authenticated", False) and not is_platform_admin(user):
        paths = scope_paths(user, "view") or []
        by_path = {path: organization for _, path, organization in memberships(user)}
        if all(path in by_path for path in paths):
            return [by_path[path] for path in paths[:limit]]
    # Read once per request, kept on the user with its scopes (the home page's panels each ask for theirs):
    # the first `limit` read answer any call for as many or fewer.
    kept = _kept(user) if getattr(user, "is_authenticated", False) else {}
    key = ("roots", bool(getattr(user, "is_superuser", False)))
    read = kept.get(key)
    if read is None or not (read[0] is None or (limit is not None and limit <= read[0])):
        if is_platform_admin(user):
            roots = Organization.objects.raw(
                _national_roots_sql(limit is not None), [] if limit is None else [limit]
            )
        else:
            roots = scope_roots(user).order_by("path")[:limit]
        read = kept[key] = (limit, list(roots))
    return read[1][:limit]
