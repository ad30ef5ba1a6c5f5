"""The street secretary's bell shows the unread reminder the sweep sent; the notices page lists it."""

import datetime as dt

import pytest
from django.utils import timezone

from pilots import reminders
from tests.conftest import build_world
from tests.pilots.factories import monthly_program


@pytest.fixture
def world(transactional_db):
    return build_world()


def test_bell_shows_the_unread_reminder_to_street(world, live_server, page, login):
    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    monthly_program(
        world.county, [world.zhonghe], starts_on=last_month, ends_on=last_month + dt.timedelta(days=90)
    )
    reminders.run(kinds=["overdue"])
    login("street")
    bell = (
        "[data-testid=bell-count-lg]"
        if page.is_visible("[data-testid=bell-count-lg]")
        else "[data-testid=bell-count]"
    )
    assert page.inner_text(bell) == "1"
    page.goto(f"{live_server.url}/notices/")
    assert "逾期" in page.content()
