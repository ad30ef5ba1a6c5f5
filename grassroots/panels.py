"""Grassroots work on the home and organization pages (see league/panels.py)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from league import policies
from league.panels import HOME_ROOT_COUNT, Panel

from . import rollups, services


def home_panels(request):
    roots = policies.scope_root_list(request.user, HOME_ROOT_COUNT)
    if not roots:
        return []
    month = rollups.first_of_month(timezone.localdate())
    rows = rollups.theme_day_rates(roots, month)
    return [
        Panel(
            _("Theme days this month"),
            "grassroots/_home_panel.html",
            {"rows": rows, "month": month},
            order=50,
        )
    ]


def organization_panels(request, organization):
    month = rollups.first_of_month(timezone.localdate())
    rate, funding = rollups.organization_figures(organization, month)
    context = {
        "organization": organization,
        "month": month,
        "rate": rate,
        "funding": funding,
        "can_record": services.may_record(request.user, organization),
        "url": reverse("grassroots:organization", args=[organization.pk]),
    }
    return [Panel(_("Grassroots work"), "grassroots/_organization_panel.html", context, order=50)]
