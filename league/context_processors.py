"""Navigation context: the user's organizations (for the user menu) and the unread notice count."""

from . import policies
from .models import Notice, Role


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    counted: list[int] = []

    def unread():
        # Lazy (pages without the bell never count) and counted once however many bells the page shows.
        if not counted:
            counted.append(Notice.objects.filter(recipient=user, read_at__isnull=True).count())
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
