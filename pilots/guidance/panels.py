"""Home panels for instructors (their units, a button to log a visit) and for fund managers (pending applications)."""

from django.utils.translation import gettext as _

from league import policies
from league.panels import Panel

from ..funds.selectors import pending_applications_managed_by
from .policies import assigned_units

PENDING_SHOWN = 5  # the oldest fund applications the panel lists


def home_panels(request):
    user, panels = request.user, []
    # No `guide` scope, no assigned unit to show (assigned_units is scoped to it): skip building the query.
    guides = policies.scope_paths(user, "guide") != []
    units = (  # what pilots/guidance/_home_units.html shows: the unit's organization's name
        list(
            assigned_units(user)
            .select_related(None)
            .select_related("organization")
            .only("organization__name")
            .order_by("organization__path")[:8]
        )
        if guides
        else []
    )
    if units:
        panels.append(
            Panel(
                _("My pilot units (指导员)"), "pilots/guidance/_home_units.html", {"units": units}, order=15
            )
        )
    if policies.scope_paths(user, "manage") != []:
        pending = pending_applications_managed_by(user)
        oldest = list(  # what pilots/funds/_home_pending.html shows: the title and the applicant's name
            pending.select_related(None)
            .select_related("organization")
            .only("title", "organization__name")
            .order_by("applied_at")[:PENDING_SHOWN]
        )
        # Fewer than a panel's worth read are all of them: counted only when there may be more.
        count = len(oldest) if len(oldest) < PENDING_SHOWN else pending.count()
        if count:
            panels.append(
                Panel(
                    _("Fund applications"),
                    "pilots/funds/_home_pending.html",
                    {"count": count, "oldest": oldest},
                    order=25,
                )
            )
    return panels
