"""The monthly report's whole journey in Chromium: the street files on a phone, the county returns it with a
reason, the street fixes and resubmits, the county accepts, puts an excerpt in a briefing, and the dashboard
shows it."""

import pytest

from pilots.models import Briefing, Report, ReportState
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


def _switch(page, login, username):
    page.context.clear_cookies()
    return login(username)


def test_monthly_report_journey(world, program, live_server, page, login):
    url = live_server.url
    slot = program.slots.get(organization=world.zhonghe, period_start=month_start(0))

    # 1. The street secretary files this month's report on a phone.
    page.set_viewport_size(PHONE)
    login("street")
    page.click(f"[data-testid=home-file] [data-testid=file-{slot.pk}]")
    page.wait_for_selector("[data-testid=report-form]")
    page.fill("#id_progress", "完成团工委班子增配，新增副书记2名。")
    page.fill("#id_innovations", "副书记分片联系基层团组织。")
    page.fill("#id_problems", "编制外副书记补贴来源不稳定。")
    page.fill("#id_suggestions", "建议区团委统筹经费。")
    page.fill("#id_fig_youth_reached", "320")
    page.fill("#id_fig_activities", "4")
    page.fill("#id_fig_funds_raised", "5000")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    page.click("[data-testid=submit-report]")
    page.wait_for_selector("[data-testid=report-state]")
    assert "已报送" in page.inner_text("[data-testid=report-state]")
    assert "按时" in page.inner_text("[data-testid=report-state]")
    report = Report.objects.get(slot=slot)

    # 2. The county returns it from the review queue, with a reason, in place.
    _switch(page, login, "county")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{url}/pilots/reports/review/")
    row = page.locator(f"#review-{report.pk}")
    row.locator("select[name=reason]").select_option("figures")
    row.locator("input[name=comment]").fill("活动次数与附件不符，请核实。")
    row.locator("button:has-text('退回')").click()
    page.wait_for_selector(f"#review-{report.pk} .alert-success")
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED

    # 3. The street sees why, fixes the figure and resubmits.
    _switch(page, login, "street")
    page.set_viewport_size(PHONE)
    assert "活动次数与附件不符" in page.inner_text("[data-testid=home-file]")
    page.click(f"[data-testid=home-file] [data-testid=file-{slot.pk}]")
    assert "数据有误或缺失" in page.inner_text("[data-testid=return-reason]")
    page.fill("#id_fig_activities", "6")
    page.click("[data-testid=submit-report]")
    page.wait_for_selector("[data-testid=versions]")
    assert page.locator("[data-testid=versions] li").count() == 2

    # 4. The county compares, accepts and marks good practice, then composes and publishes a briefing.
    _switch(page, login, "county")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{url}/pilots/reports/{report.pk}/compare/")
    assert "有修改" in page.content()
    page.goto(f"{url}/pilots/reports/{report.pk}/")
    page.click("[data-testid=accept]")
    page.wait_for_selector("[data-testid=excerpt-box]")
    page.fill("[data-testid=excerpt-box] #id_title", "中河街道：副书记分片联系")
    page.click("[data-testid=mark-excerpt]")
    page.wait_for_selector("text=已摘编为经验做法")
    page.goto(f"{url}/pilots/programs/{program.pk}/")
    page.click("[data-testid=compose-briefing]")
    page.fill("#id_title", "“1+3+X”试点工作简报")
    page.check("text=中河街道：副书记分片联系")
    page.click("[data-testid=briefing-form] button[type=submit]")
    page.click("[data-testid=publish]")
    page.wait_for_selector("text=第1期（总第1期）")
    assert Briefing.objects.get().number == 1

    # 5. The dashboard shows the accepted report and the briefing.
    page.goto(f"{url}/pilots/dashboard/?program={program.pk}")
    cell = page.locator(f"[data-testid=matrix] tr:has-text('中河') td >> nth={3}")
    assert cell.locator("[data-status]").get_attribute("data-status") == "accepted"
    assert page.inner_text("[data-testid=total-filed]") == "1"
    assert "“1+3+X”试点工作简报" in page.inner_text("[data-testid=latest-briefings]")
    page.wait_for_selector("#completion-chart[data-ready='1']")
    page.set_viewport_size(PHONE)
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
