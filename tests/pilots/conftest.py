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
