import datetime as dt

import pytest

from tests.pilots.factories import monthly_program


@pytest.fixture
def program(world):
    """The county's monthly program with 中河 and 首南 enrolled, Jan–Dec 2026, no grace."""
    return monthly_program(world.county, [world.zhonghe, world.shounan])


@pytest.fixture
def jan_slot(program, world):
    return program.slots.get(organization=world.zhonghe, period_start=dt.date(2026, 1, 1))


@pytest.fixture(autouse=True)
def _english_messages():
    """Service messages are asserted in English (pages are checked in Chinese through requests)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def month_start(months_from_now: int) -> dt.date:
    from pilots.demo import _add_months
    from pilots.models import today

    return _add_months(today().replace(day=1), months_from_now)


@pytest.fixture
def recent_program(world):
    """A county program that started three months ago and ends next month (dates follow today)."""
    from pilots.demo import _month_end

    nxt = month_start(1)
    return monthly_program(world.county, [world.zhonghe, world.shounan], starts_on=month_start(-3),
                           ends_on=_month_end(nxt.year, nxt.month), name="近期试点")  # fmt: skip
