"""Grassroots work on the home and organization pages (see league/panels.py)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from league import policies
from league.panels import HOME_ROOT_COUNT, Panel, writes
from league.rowhtml import esc, number
from league.rowurls import url_for_id

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


@writes("grassroots/_home_panel.html")
def write_home_panel(context, panel) -> str:
    """grassroots/_home_panel.html, written in Python (league.panels.WRITERS)."""
    from .templatetags.grassroots_tags import percent

    month, detail = panel["month"], url_for_id("grassroots:organization")
    rows = "".join(
        f'\n  <li class="mb-1"><a href="{esc(detail(r.organization.pk))}">{esc(r.organization.name)}</a>:\n    '
        + _("%(held)s of %(branches)s branches held it")
        % {"held": number(r.held), "branches": number(r.branches)}
        + f" ({esc(percent(r.rate))})</li>\n"
        for r in panel["rows"]
    )
    return (
        f'<p class="small text-muted mb-2">{month.year:04d}-{month.month:02d}</p>\n'
        f'<ul class="list-unstyled mb-0">\n{rows}\n</ul>\n'
    )
