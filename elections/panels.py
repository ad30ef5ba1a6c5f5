"""Panels this app adds to the home and organization pages (see league/panels.py)."""

from django.db import connection
from django.utils.translation import gettext as _

from league import policies
from league.models import Organization
from league.panels import Panel
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
        f" FROM {qn(election.db_table)} e INNER JOIN {qn(org.db_table)} o ON o.{qn(org.pk.column)} = e.{e['organization']}"
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
