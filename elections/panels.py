"""Panels this app adds to the home and organization pages (see league/panels.py)."""

from django.utils.translation import gettext as _

from league import policies
from league.panels import Panel
from league.sqltext import newest_sql

from . import lineup
from .models import Election, State


def home_panels(request):
    elections = list(
        policies.scoped(Election.objects.select_related("organization"), request.user, "view")
        .only("title", "state", "organization__name")  # what the panel shows
        .order_by("-created_at", "-id")[:5]
    )
    if not elections:
        return []
    return [
        Panel(_("Elections"), "elections/_panel.html", {"elections": elections, "show_org": True}, order=40)
    ]


PANEL_COUNT = 5  # the latest elections a panel lists


def latest_elections(organization_id: int) -> list[Election]:
    """The organization's latest elections with what elections/_panel.html shows and the state that finds the
    appointed one: the rows of `Election.objects.filter(organization=...).only("title", "state")
    .order_by("-created_at", "-id")[:5]`, as SQL written once rather than the ORM's query built on every
    organization page (tests/elections/test_org_panel.py compares them)."""
    return list(
        Election.objects.raw(
            newest_sql(Election, "organization", ("id", "title", "state")), [organization_id, PANEL_COUNT]
        )
    )


def organization_panels(request, organization):
    elections = latest_elections(organization.pk)
    appointed = next((e for e in elections if e.state == State.APPOINTED), None)
    committee = lineup.appointed_committee(appointed) if appointed else []
    return [
        Panel(
            _("Elections"),
            "elections/_panel.html",
            {"elections": elections, "org": organization, "committee": committee},
            order=40,
        )
    ]
