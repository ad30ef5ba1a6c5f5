"""The street secretary records this month's theme day on a phone; the county sees its rate change."""

import pytest

from grassroots.services import ensure_default_items
from tests.conftest import build_world
from tests.e2e.conftest import PHONE
from tests.grassroots.factories import PNG


@pytest.fixture
def world(transactional_db):
    ensure_default_items()
    return build_world()


def _county_rate(browser, live_server, world) -> str:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "county")
    page.fill("input[name=password]", "league-demo")
    page.click("[data-testid=login-form] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/grassroots/orgs/{world.county.pk}/")
    rate = page.inner_text("[data-testid=theme-rate]")
    context.close()
    return rate


def test_street_records_a_theme_day_on_a_phone_and_the_county_sees_it(
    world, live_server, page, login, browser
):
    assert _county_rate(browser, live_server, world) == "0.0%"

    page.set_viewport_size(PHONE)
    login("street")
    page.click("[data-testid=my-organizations] >> text=鄞州区中河街道团工委")
    page.click("[data-testid=grassroots-panel] ~ div >> text=记录主题团日")
    page.wait_for_selector("[data-testid=theme-day-form]")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    page.select_option("select[name=branch]", label="中河街道划船社区团支部")
    page.fill("input[name=members_present]", "12")
    page.fill("input[name=members_total]", "15")
    for box in page.query_selector_all("input[name=items]"):
        box.check()
    page.fill("textarea[name=own_items]", "志愿服务进社区")
    page.set_input_files(
        "input[name=photos]", files=[{"name": "合影.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.click("[data-testid=theme-day-form] [type=submit]")
    page.wait_for_selector("text=已保存")
    assert page.inner_text("[data-testid=theme-rate]") == "100.0%"  # the street's one branch
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1

    # 中河 held it, 首南 has not: the county now sees one branch of two.
    assert _county_rate(browser, live_server, world) == "50.0%"
