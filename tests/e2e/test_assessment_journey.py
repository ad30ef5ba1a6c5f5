"""The assessment journey in Chromium: the county opens the scheme and a stage review, scores the units,
publishes the ranking; the street's award application carries the published score."""

import pytest

from pilots.assessment.models import AwardApplication, Result
from tests.conftest import build_world
from tests.e2e.conftest import PHONE
from tests.pilots.conftest import month_start
from tests.pilots.factories import monthly_program


@pytest.fixture
def world(transactional_db):
    return build_world()


@pytest.fixture
def program(world):
    from pilots.demo import _month_end

    nxt = month_start(1)
    return monthly_program(world.county, [world.zhonghe, world.shounan], starts_on=month_start(-2),
                           ends_on=_month_end(nxt.year, nxt.month), name="鄞州区“1+3+X”试点")  # fmt: skip


def _score(page, code, points):
    page.click(f"[data-testid=score-{code}]")
    page.wait_for_selector("[data-testid=score-form]")
    for key, value in points.items():
        page.fill(f"#p_{key}", str(value))
    page.click("[data-testid=score-form] button[type=submit]")
    page.wait_for_selector("[data-testid=ranking]")


def test_county_scores_publishes_and_the_award_shows_the_score(world, program, live_server, page, login):
    url = live_server.url
    login("county")
    page.goto(f"{url}/pilots/programs/{program.pk}/")
    page.click("[data-testid=assessment-link]")
    page.click("[data-testid=scheme-form] button[type=submit]")
    page.fill("#id_title", "年中项目评审")
    page.fill("#id_members", "陈鄞青 区团委组织部\n王评审 区委组织部")
    page.click("[data-testid=review-form] button[type=submit]")
    page.wait_for_selector("[data-testid=ranking]")

    # A score over the criterion's maximum is refused on its field; nothing is stored.
    page.click("[data-testid=score-ZJ-NB-YZ-ZH]")
    page.fill("#p_leadership", "25")
    for key, value in {"plan": 18, "projects": 22, "schedule": 17}.items():
        page.fill(f"#p_{key}", str(value))
    page.click("[data-testid=score-form] button[type=submit]")
    assert "超出 0–20 分范围" in page.inner_text(".invalid-feedback")
    page.fill("#p_leadership", "19")
    page.click("[data-testid=score-form] button[type=submit]")
    page.wait_for_selector("[data-testid=ranking]")
    _score(page, "ZJ-NB-YZ-SN", {"leadership": 15, "plan": 15, "projects": 20, "schedule": 15})

    page.click("[data-testid=publish]")
    page.wait_for_selector("[data-testid=review-state]")
    assert "已发布" in page.inner_text("[data-testid=review-state]")
    first = page.inner_text("[data-testid=ranking] tbody tr:first-child")
    assert "中河" in first and "76.0" in first
    assert Result.objects.get(unit__organization=world.zhonghe).rank == 1

    # The street files an award application on a phone; it carries the published score.
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    login("street")
    unit = program.units.get(organization=world.zhonghe)
    page.goto(f"{url}/pilots/units/{unit.pk}/")
    page.click("[data-testid=award-link]")
    assert "76.0" in page.inner_text("[data-testid=award-assessment]")
    page.select_option("#id_award", "red_flag")
    page.fill("#id_statement", "率先完成街道团工委班子增配，试点成效明显。")
    page.click("[data-testid=award-form] button[type=submit]")
    page.wait_for_selector("[data-testid=award-score]")
    card = page.inner_text("[data-testid=award-score]")
    assert "76.0" in card and "年中项目评审" in card and "领导重视" in card
    assert AwardApplication.objects.get().result.total == 76
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
