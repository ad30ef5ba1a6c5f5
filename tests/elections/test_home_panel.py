"""The home's elections panel: the latest elections the user sees, read as SQL written once, the ORM's rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from elections import panels
from elections.models import Election, State
from league import policies
from tests.conftest import PERSONAS


def _shown(elections):
    return [
        (e.pk, e.title, e.state, e.get_state_display(), e.organization_id, e.organization.name)
        for e in elections
    ]


def _orm(user):
    """The query the panel ran before."""
    return list(policies.scoped(Election.objects.select_related("organization"), user, "view")
                .only("title", "state", "organization__name").order_by("-created_at", "-id")[:5])  # fmt: skip


@pytest.fixture
def elections(world):
    """Seven elections across the tree (some created at the same time, so the id breaks the tie)."""
    at = timezone.now().replace(microsecond=0)
    places = [world.zhonghe, world.shounan, world.zhonghe_branch, world.county, world.zhuangqiao, world.province,
              world.zhonghe]  # fmt: skip
    for i, organization in enumerate(places):
        e = Election.objects.create(organization=organization, title=f"第{i}届 <换届>",
                                    state=State.APPOINTED if i % 3 == 0 else State.DESIGN)  # fmt: skip
        Election.objects.filter(pk=e.pk).update(created_at=at - dt.timedelta(days=i // 2))


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_home_elections_are_the_orms_for_each_persona(elections, world, persona):
    """Newest first, ties on the creation time by id, within the user's view scope (the instructor's only its
    assigned units': none here), at most five."""
    user = world.users[persona]
    assert _shown(panels.home_elections(user)) == _shown(_orm(user))


def test_the_scope_narrows_what_the_home_lists(elections, world):
    shown = {e.organization_id for e in panels.home_elections(world.users["street_sibling"])}
    assert shown == {world.shounan.pk}
    assert len(panels.home_elections(world.users["admin"])) == 5


def test_no_query_for_a_user_who_sees_no_organization(elections, world):
    for persona in ("outsider", "instructor"):
        policies.scope_paths(world.users[persona])  # the memberships, read once per request anyway
    with CaptureQueriesContext(connection) as ctx:
        assert panels.home_elections(world.users["outsider"]) == []
        assert panels.home_elections(world.users["instructor"]) == []  # no unit assigned: sees nothing
    assert ctx.captured_queries == []
