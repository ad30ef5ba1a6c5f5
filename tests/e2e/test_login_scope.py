"""The street secretary logs in in Chromium, sees its organization and cannot open its sibling's."""

import pytest

from tests.conftest import build_world
from tests.e2e.conftest import PHONE


@pytest.fixture
def world(transactional_db):
    return build_world()


def test_street_sees_its_organization_and_not_its_sibling(world, live_server, page, login):
    login("street")
    assert "鄞州区中河街道团工委" in page.inner_text("[data-testid=my-organizations]")
    page.click("[data-testid=my-organizations] >> text=鄞州区中河街道团工委")
    assert page.inner_text("[data-testid=org-name]") == "鄞州区中河街道团工委"
    assert "中河街道划船社区团支部" in page.content()
    response = page.goto(f"{live_server.url}/orgs/{world.shounan.pk}/")
    assert response.status == 404
    assert "首南" not in page.content()


def test_tree_expands_on_a_phone_screen(world, live_server, page, login):
    page.set_viewport_size(PHONE)
    login("county")
    page.goto(f"{live_server.url}/orgs/")
    page.click("summary:has-text('团鄞州区委')")
    page.wait_for_selector("text=鄞州区首南街道团工委")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1


def test_language_switch_to_english(world, live_server, page, login):
    login("street")
    assert "我的组织" in page.content()
    if not page.is_visible("button[lang=en]"):
        page.click(".navbar-toggler")
    page.click("button[lang=en]")
    page.wait_for_selector("text=My organizations")
