"""Panels this app adds to the home and organization pages (see league/panels.py)."""

from django.db import connection
from django.utils.translation import gettext as _

from league import policies
from league.models import Organization, id_join_sql
from league.panels import Panel, writes
from league.rowhtml import esc
from league.rowurls import fixed_url, url_for_id
from league.sqltext import newest_sql, per_vendor

from . import lineup
from .models import Election, State

PANEL_COUNT = 5  # the latest elections a panel lists


@per_vendor
def _home_elections_sql() -> str:
    """The statement of home_elections, with `{scope}` where the user's scope puts its condition on the
    organization's path (`o.path`); written once per database vendor."""
    qn, election, org = connection.ops.quote_name, Election._meta, Organization._meta
    e = {
        name: qn(election.get_field(name).column)
        for name in ("id", "organization", "title", "state", "created_at")
    }
    return (
        f"SELECT e.{e['id']}, e.{e['organization']}, e.{e['title']}, e.{e['state']}, o.{qn(org.get_field('name').column)}"
        f" FROM {qn(election.db_table)} e INNER JOIN {qn(org.db_table)} o"
        f" ON {id_join_sql('o.' + qn(org.pk.column), 'e.' + e['organization'])}"
        f"{{scope}} ORDER BY e.{e['created_at']} DESC, e.{e['id']} DESC LIMIT %s"
    )


def home_elections(user) -> list[Election]:
    """The latest elections the user sees, each with its organization's name (what the home's panel shows): the
    rows of `policies.scoped(Election.objects.select_related("organization"), user, "view")
    .only("title", "state", "organization__name").order_by("-created_at", "-id")[:PANEL_COUNT]`, as SQL written
    once rather than the ORM's query built on every home page (tests/elections/test_home_panel.py compares them);
    no query for a user who sees no organization, as the ORM's."""
    condition = policies.scope_sql(user, "view", f"o.{connection.ops.quote_name('path')}")
    if condition is not None and not condition[0]:
        return []
    scope, params = ("", []) if condition is None else (f" WHERE {condition[0]}", condition[1])
    with connection.cursor() as cursor:
        cursor.execute(_home_elections_sql().format(scope=scope), [*params, PANEL_COUNT])
        rows = cursor.fetchall()
    db, elections = connection.alias, []
    for election_id, org_id, title, state, org_name in rows:
        election = Election.from_db(
            db, ["id", "organization_id", "title", "state"], [election_id, org_id, title, state]
        )
        election.organization = Organization.from_db(db, ["id", "name"], [org_id, org_name])
        elections.append(election)
    return elections


def home_panels(request):
    elections = home_elections(request.user)
    if not elections:
        return []
    return [
        Panel(_("Elections"), "elections/_panel.html", {"elections": elections, "show_org": True}, order=40)
    ]


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


@writes("elections/_panel.html")
def write_panel(context, panel) -> str | None:
    """elections/_panel.html as the home shows it (no organization, no lineup), written in Python
    (league.panels.WRITERS); the organization page's panel is rendered by the template."""
    if panel.get("org") or panel.get("committee"):
        return None
    detail, show_org = url_for_id("elections:detail"), panel.get("show_org")
    states = {value: esc(label) for value, label in State.choices}  # get_state_display, without its lookups
    rows = [
        f'\n<li class="mb-1"><a href="{esc(detail(e.pk))}">{esc(e.title)}</a> <span class="badge bg-secondary">'
        f"{states[e.state] if e.state in states else esc(e.get_state_display())}</span>"
        + (f' <span class="small text-muted">{esc(e.organization.name)}</span>' if show_org else "")
        + "</li>\n"
        for e in panel.get("elections") or ()
    ]
    if not rows:
        rows.append(f'<li class="text-muted">{esc(_("No elections."))}</li>')
    return (
        f'<ul class="list-unstyled mb-2" data-testid="election-panel">{"".join(rows)}</ul>\n\n\n'
        f'<a class="small" href="{esc(fixed_url("elections:list"))}">{esc(_("All elections"))}</a>\n'
    )
