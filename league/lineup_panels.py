"""Lineup panels on the home page and the organization page (see league/panels.py).

The panel is a placeholder loaded by htmx from `lineup_panel`, so the pages stay cheap; without
JavaScript it is a link to the lineup pages.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from . import policies
from .models import Level
from .panels import HOME_ROOT_COUNT, Panel


def home_panels(request):
    roots = policies.scope_root_list(request.user, HOME_ROOT_COUNT)[:1]
    if not roots:
        return []
    return organization_panels(request, roots[0], order=20)


def organization_panels(request, organization, order=10):
    if organization.level == Level.GRASSROOTS:
        return []
    context = {"organization": organization, "is_committee": organization.level == Level.STREET}
    return [
        Panel(
            title=_("Lineup (1+3+X)"), template="league/_lineup_panel_slot.html", context=context, order=order
        )
    ]
