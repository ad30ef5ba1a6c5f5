"""Navigation context: the user's organizations (for the user menu) and the unread notice count."""

from django.db import connection

from . import policies
from .models import Notice, Role
from .sqltext import per_vendor


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    counted: list[int] = []

    def unread():
        # Lazy (pages without the bell never count) and counted once however many bells the page shows.
        if not counted:
            counted.append(unread_count(user.pk))
        return counted[0]

    return {
        "nav_memberships": [
            (org, Role(role).label, policies.can(user, "view", org))
            for role, _path, org in policies.memberships(user)
        ],  # fmt: skip
        "nav_roles": policies.roles(user),
        "nav_is_admin": policies.is_platform_admin(user),
        "nav_unread_count": unread,
    }


@per_vendor
def _unread_sql() -> str:
    qn, meta = connection.ops.quote_name, Notice._meta
    return (
        f"SELECT COUNT(*) FROM {qn(meta.db_table)} WHERE {qn(meta.get_field('recipient').column)} = %s"
        f" AND {qn(meta.get_field('read_at').column)} IS NULL"
    )


def unread_count(user_id: int) -> int:
    """`Notice.objects.filter(recipient=user, read_at__isnull=True).count()`, as SQL written once: every page
    shows the bell, and compiling the ORM's count cost ~0.25 ms of CPU per request (the SQL itself ~0.02)."""
    with connection.cursor() as cursor:
        cursor.execute(_unread_sql(), [user_id])
        return cursor.fetchone()[0]
