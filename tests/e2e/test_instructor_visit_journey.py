"""In Chromium: the county looks at the guidance totals; the `instructor` persona logs a visit with a solved
problem on a phone-sized screen; the county reloads and sees the totals change."""

import pytest

from pilots.guidance import services as guidance
from pilots.guidance.models import Visit
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
    program = monthly_program(world.county, [world.zhonghe, world.shounan], starts_on=month_start(-2),
                              ends_on=_month_end(nxt.year, nxt.month), name="鄞州区“1+3+X”试点")  # fmt: skip
    unit = program.units.get(organization=world.zhonghe)
    guidance.assignment_add(by=world.users["county"], unit=unit, instructor=world.users["instructor"],
                            starts_on=program.starts_on)  # fmt: skip
    return program


def _totals(page):
    return {k: page.inner_text(f"[data-testid=total-{k}]") for k in ("visits", "solved", "instructors")}


def test_instructor_logs_a_visit_and_the_county_sees_it(world, program, live_server, page, login):
    url = live_server.url
    guidance_url = f"{url}/pilots/programs/{program.pk}/guidance/"

    # The county sees no visit yet.
    login("county")
    page.goto(guidance_url)
    assert _totals(page) == {"visits": "0", "solved": "0", "instructors": "0"}

    # The instructor, on a phone, logs a visit from the home page with a problem solved on the spot.
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    login("instructor")
    page.click("[data-testid=home-instructor] a.btn-primary")
    page.wait_for_selector("[data-testid=visit-form]")
    page.select_option("#id_kind", "guidance")
    page.fill("#id_summary", "指导副书记分片联系社区团支部。")
    page.fill("#id_solved_now", "划船社区团支部书记空缺")
    page.fill("#id_funds_amount", "600")
    page.fill("#id_funds_source", "街道工委")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    page.click("[data-testid=visit-form] button[type=submit]")
    page.wait_for_selector("[data-testid=solved]")
    assert "划船社区团支部书记空缺" in page.inner_text("[data-testid=solved]")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    visit = Visit.objects.get()
    assert visit.instructor == world.users["instructor"] and visit.problems_solved.count() == 1

    # The county reloads: the totals and the chart follow.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    login("county")
    page.goto(guidance_url)
    assert _totals(page) == {"visits": "1", "solved": "1", "instructors": "1"}
    assert "600" in page.inner_text("[data-testid=total-funds]")
    page.wait_for_selector("#guidance-chart[data-ready='1']")
