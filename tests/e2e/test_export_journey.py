"""admin filters the organization list, exports it, watches the background job's progress bar, downloads the
file, and the file holds exactly the rows the page showed (low threshold so the background path runs)."""

import pytest
from openpyxl import load_workbook

from league import services
from league.models import ExportJob
from tests.conftest import build_world
from tests.e2e.conftest import PHONE
from tests.factories import OrganizationFactory


@pytest.fixture
def world(transactional_db):
    w = build_world()
    for i in range(8):
        OrganizationFactory(code=f"E2E-{i}", name=f"中河街道第{i}团支部", parent=w.zhonghe)
    return w


def test_admin_exports_a_filtered_list_in_the_background(world, live_server, page, login, settings, tmp_path):
    settings.EXPORT_BACKGROUND_THRESHOLD = 3
    login("admin")
    page.goto(f"{live_server.url}/orgs/")
    page.fill("input[name=q]", "中河")
    page.select_option("[data-testid=filter-level]", "grassroots")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_selector("table >> text=中河街道第7团支部")
    shown = sorted(page.locator("table tbody tr td:first-child").all_inner_texts())
    assert len(shown) == 9 and all("中河" in name for name in shown)

    page.click("[data-testid=export-xlsx]")
    page.wait_for_url(f"{live_server.url}/exports/*/")
    job = ExportJob.objects.get()
    bar = page.locator("[data-testid=export-progress] progress")
    assert bar.get_attribute("value") == "0"

    # The worker's progress reaches the page by htmx polling (the worker runs this same service).
    ExportJob.objects.filter(pk=job.pk).update(done_rows=4)
    page.wait_for_selector("[data-testid=export-progress] progress[value='44']")
    services.export_job_run(job_id=job.pk)
    page.wait_for_selector("[data-testid=export-download]")
    assert page.locator("[data-testid=export-progress] progress").get_attribute("value") == "100"

    with page.expect_download() as info:
        page.click("[data-testid=export-download]")
    path = tmp_path / "export.xlsx"
    info.value.save_as(path)
    ws = load_workbook(path).active
    assert ws.freeze_panes == "A2" and ws["A1"].value == "代码"
    assert sorted(r[1] for r in ws.iter_rows(min_row=2, values_only=True)) == shown

    # The notice links back to the job; the exports page lists the file.
    page.goto(f"{live_server.url}/exports/")
    assert job.filename in page.inner_text("[data-testid=export-jobs]")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
