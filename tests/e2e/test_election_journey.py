"""The county staffer takes an election from formal candidates to appointment in Chromium:
congress, paper-ballot double entry, tally, committee meeting, approval, publicity, appointment; the
organization page then shows the new committee."""

import pytest
from playwright.sync_api import expect

from elections.models import Candidate, Election, State
from tests.conftest import build_world
from tests.e2e.conftest import PHONE
from tests.elections.factories import election_at


@pytest.fixture
def world(transactional_db):
    return build_world()


def _enter_paper(page, number, entry, counter, yes):
    page.fill("#paper_number", str(number))
    page.select_option("#entry", str(entry))
    page.select_option("#counter", label=counter)
    for pk in yes:
        page.check(f"input[name=c{pk}][value=yes]")
    page.click("[data-testid=enter-ballot]")
    expect(page.locator(".alert-success")).to_contain_text(f"第{number}号选票第{entry}次录入完成")


def _enter_all(page, papers, yes):
    for number in range(1, papers + 1):
        _enter_paper(page, number, 1, "团员00", yes)
        _enter_paper(page, number, 2, "团员01", yes)


def test_county_staffer_runs_the_election_to_appointment(world, live_server, page, login):
    county = world.users["county"]
    # A small committee (1 secretary, 1 deputy, 1 member) so the journey stays short; 5 voters, all present.
    e = election_at(State.FORMAL, org=world.zhonghe, by=county, seats=(1, 1, 1), candidates=4, voters=5,
                    present=5, min_committee_size=3)  # fmt: skip
    login("county")
    page.click("nav >> text=选举")
    page.click(f"text={e.title}")
    page.click(".election-tabs >> text=选举人名单")
    expect(page.locator("[data-testid=quorum]")).to_contain_text("已达到法定人数")
    page.click("[data-testid=start-vote]")
    page.click("[data-testid=current-round]")
    page.click("[data-testid=print-papers]")
    assert page.locator("[data-testid=ballot-paper]").count() == 5
    assert "委员会委员选举票" in page.content() and "另选他人" in page.content()
    page.go_back()

    # the ballot entry page works on a phone screen too
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    page.set_viewport_size({"width": 1280, "height": 900})
    formal = list(Candidate.objects.filter(election=e, is_formal=True).order_by("id"))
    _enter_all(page, 5, [c.pk for c in formal[:3]])
    page.click("[data-testid=certify]")
    expect(page.locator("[data-testid=rounds]")).to_contain_text("正式选举")
    expect(page.locator("[data-testid=elected]")).to_contain_text(formal[0].name)

    committee = formal[:3]
    page.select_option("select[name=post]", "secretary")
    page.check(f"input[name=candidates][value='{committee[0].pk}']")
    page.fill("input[name=voters_present]", "3")
    page.click("[data-testid=open-officer-round]")
    page.click("[data-testid=current-round]")
    _enter_all(page, 3, [committee[0].pk])
    page.click("[data-testid=certify]")

    page.select_option("select[name=post]", "deputy")
    page.check(f"input[name=candidates][value='{committee[1].pk}']")
    page.check(f"input[name=candidates][value='{committee[2].pk}']")
    page.fill("input[name=voters_present]", "3")
    page.click("[data-testid=open-officer-round]")
    page.click("[data-testid=current-round]")
    _enter_all(page, 3, [committee[1].pk])
    page.click("[data-testid=certify]")

    page.click(".election-tabs >> text=上报")
    expect(page.locator("[data-testid=results-sheet]")).to_contain_text(committee[0].name)
    page.fill("input[name=approved_by]", "中河街道党工委、团鄞州区委")
    page.fill("input[name=approved_on]", "2025-12-01")
    page.click("[data-testid=approve]")
    page.fill("input[name=start]", "2025-12-05")
    page.click("[data-testid=start-publicity]")
    expect(page.locator("[data-testid=publicity-dates]")).to_contain_text("2025-12-11")

    # The public notice and its objection form, in a browser without login, on a phone
    public = page.context.browser.new_page(viewport=PHONE)
    public.goto(f"{live_server.url}/public/elections/{e.pk}/")
    expect(public.locator("[data-testid=published]")).to_contain_text(committee[0].name)
    public.click("[data-testid=objection-form] button[type=submit]")
    # the browser itself refuses the form without a name and a contact (the server check is in test_pages)
    assert public.evaluate("document.querySelector('input[name=name]').validity.valueMissing")
    assert public.evaluate("document.querySelector('input[name=contact]').validity.valueMissing")
    public.fill("input[name=name]", "群众甲")
    public.fill("input[name=contact]", "13800000000")
    public.fill("textarea[name=content]", "反映该同志工作情况")
    public.click("[data-testid=objection-form] button[type=submit]")
    expect(public.locator(".alert-success")).to_be_visible()
    assert public.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    public.close()

    page.reload()
    page.fill("textarea[name=resolution]", "经核实，反映不属实")
    page.select_option("select[name=upheld]", "0")
    page.click("[data-testid=resolve]")
    expect(page.locator("[data-testid=objections]")).to_contain_text("不成立")
    page.fill("input[name=on]", "2025-12-12")
    page.fill("input[name=new_term_number]", "3")
    page.fill("input[name=new_term_end]", "2030-12-11")
    page.click("[data-testid=appoint]")
    expect(page.locator("[data-testid=election-state]")).to_have_text("已聘任")
    expect(page.locator("[data-testid=timeline]")).to_contain_text("正式聘任：第3届")

    page.goto(f"{live_server.url}/orgs/{world.zhonghe.pk}/")
    page.click("[data-testid=lineup-link]")
    seats = page.locator("[data-testid=lineup-seats] tbody tr")
    for post, person in [
        ("书记", committee[0].name),
        ("副书记", committee[1].name),
        ("委员", committee[2].name),
    ]:
        row = seats.filter(has=page.locator(f"td:text-is('{post}')")).filter(has_text=person)
        expect(row).to_have_count(1)
    assert Election.objects.get(pk=e.pk).state == State.APPOINTED
