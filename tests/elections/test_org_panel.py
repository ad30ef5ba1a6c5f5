"""The organization page's elections panel: the latest elections read as SQL written once, the ORM's rows."""

import datetime as dt

from django.utils import timezone

from elections import panels
from elections.models import Election, State


def _shown(elections):
    return [(e.pk, e.title, e.state, e.get_state_display()) for e in elections]


def test_the_latest_elections_are_the_orms_in_its_order(world):
    """Newest first, ties on the creation time by id (newest id first), only the organization's, at most five."""
    at = timezone.now().replace(microsecond=0)
    for i in range(7):
        e = Election.objects.create(organization=world.zhonghe, title=f"第{i}届 <换届>",
                                    state=State.APPOINTED if i == 3 else State.DESIGN)  # fmt: skip
        Election.objects.filter(pk=e.pk).update(created_at=at - dt.timedelta(days=i // 2))
    Election.objects.create(organization=world.shounan, title="别处的")

    def orm(organization):
        return list(Election.objects.filter(organization=organization).only("title", "state")
                    .order_by("-created_at", "-id")[:5])  # fmt: skip

    for organization in (world.zhonghe, world.shounan, world.county):
        assert _shown(panels.latest_elections(organization.pk)) == _shown(orm(organization))
    assert (
        len(panels.latest_elections(world.zhonghe.pk)) == 5 and panels.latest_elections(world.county.pk) == []
    )
    assert any(e.state == State.APPOINTED for e in panels.latest_elections(world.zhonghe.pk))
