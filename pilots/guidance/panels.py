"""Home panels for instructors (their units, a button to log a visit) and for fund managers (pending applications)."""

from django.utils.translation import gettext as _

from league import policies
from league.panels import Panel

from ..funds.selectors import pending_applications_managed_by
from .policies import assigned_units


def home_panels(request):
    user, panels = request.user, []
    # No `guide` scope, no assigned unit to show (assigned_units is scoped to it): skip building the query.
    guides = policies.scope_paths(user, "guide") != []
    units = list(assigned_units(user).order_by("organization__path")[:8]) if guides else []
    if units:
        panels.append(
            Panel(
                _("My pilot units (指导员)"), "pilots/guidance/_home_units.html", {"units": units}, order=15
            )
        )
    if policies.scope_paths(user, "manage") != []:
        pending = pending_applications_managed_by(user)
        count = pending.count()
        if count:
            panels.append(Panel(_("Fund applications"), "pilots/funds/_home_pending.html",
                                {"count": count, "oldest": list(pending.order_by("applied_at")[:5])}, order=25))  # fmt: skip
    return panels
