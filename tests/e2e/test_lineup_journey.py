"""The county staffer opens the completion statistics in Chromium, sees 中河街道 complete and 首南街道 with a
vacant deputy seat, fills that seat, and the statistics change."""

import datetime as dt

import pytest

from league import services
from league.lineups import ensure_reference_data
from league.models import Establishment, SeatRole
from tests.conftest import build_world
from tests.e2e.conftest import PHONE
from tests.factories import PersonFactory, TermFactory, full_lineup


@pytest.fixture
def world(transactional_db):
    ensure_reference_data()
    w = build_world()
    start = dt.date(2024, 12, 9)
    full_lineup(TermFactory(organization=w.zhonghe, number=1, start=start, end=dt.date(2029, 12, 9)),
                deputies=4, members=6, outside_deputies=2)  # fmt: skip
    seats = full_lineup(TermFactory(organization=w.shounan, number=1, start=start, end=dt.date(2029, 12, 9)),
                        deputies=3, members=6)  # fmt: skip
    services.seat_vacate(by=None, seat=seats[3], on=dt.date(2025, 11, 1))
    PersonFactory(organization=w.shounan, name="林新青")
    return w


def test_county_fills_a_vacant_deputy_seat_and_the_statistics_change(world, live_server, page, login):
    login("county")
    if not page.is_visible("[data-testid=nav-lineups]"):
        page.click(".navbar-toggler")
    page.click("[data-testid=nav-lineups]")
    page.click("text=班子配备统计")
    assert page.inner_text("[data-testid=stats-complete]") == "1/2"
    zh = page.locator("tr[data-unit='鄞州区中河街道团工委']")
    sn = page.locator("tr[data-unit='鄞州区首南街道团工委']")
    assert "已配齐" in zh.inner_text()
    assert "未配齐" in sn.inner_text() and "副书记" in sn.inner_text()

    sn.locator("a").first.click()
    assert "2025-11-01" in page.inner_text("[data-testid=lineup-vacancies]")
    page.click("[data-testid=fill-deputy]")
    page.select_option("select[name=person]", label="林新青")
    page.select_option("select[name=establishment]", Establishment.INSIDE.value)
    page.click("[data-testid=lineup-form] button[type=submit]")
    assert "已配齐" in page.inner_text("[data-testid=lineup-verdict]")
    assert "林新青" in page.inner_text("[data-testid=lineup-seats]")

    page.goto(f"{live_server.url}/lineups/stats/")
    assert page.inner_text("[data-testid=stats-complete]") == "2/2"
    assert page.inner_text("[data-testid=stats-rate]") == "100.0%"
    assert world.shounan.terms.get().seats.filter(role=SeatRole.DEPUTY, end__isnull=True).count() == 3


def test_statistics_fit_a_phone_screen(world, live_server, page, login):
    page.set_viewport_size(PHONE)
    login("county")
    page.goto(f"{live_server.url}/lineups/stats/")
    page.wait_for_selector("[data-testid=stats-units]")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
