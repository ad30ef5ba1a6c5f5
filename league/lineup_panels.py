"""Lineup panels on the home page and the organization page (see league/panels.py).

The panel is a placeholder loaded by htmx from `lineup_panel`, so the pages stay cheap; without
JavaScript it is a link to the lineup pages.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from . import policies
from .models import Level
from .panels import HOME_ROOT_COUNT, Panel, writes
from .rowhtml import esc
from .rowurls import fixed_url, row_url


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


@writes("league/_lineup_panel_slot.html")
def write_slot(context, panel) -> str:
    """league/_lineup_panel_slot.html, written in Python (league.panels.WRITERS)."""
    pk = panel["organization"].pk
    if panel["is_committee"]:
        link = f'<a href="{esc(row_url("lineup_detail", pk))}">{esc(_("Open the lineup"))}</a>'
    else:
        link = f'<a href="{esc(fixed_url("lineup_stats"))}?org={int(pk)}">{esc(_("Lineup completion"))}</a>'
    return (
        f'<div hx-get="{esc(row_url("lineup_panel", pk))}" hx-trigger="load" hx-swap="outerHTML"'
        f' data-testid="lineup-panel-slot">\n  {link}\n</div>\n'
    )
