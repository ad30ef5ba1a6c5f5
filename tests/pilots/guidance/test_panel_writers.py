"""The home's panels written in Python (league.panels.WRITERS) are the bytes their templates render: for each
writer over contexts that reach each of its branches, and for whole home pages of every persona, in both
languages, with panels of every kind (reports to file and returned, reports awaiting review and more than the
cap, elections, theme days, fund applications, an instructor's units)."""

import re
import types

import pytest
from django.conf import settings
from django.template import Context, engines
from django.utils import translation

from elections.models import Election, State
from league import panels
from league.models import Organization
from pilots import panels as pilot_panels
from pilots.funds.models import ProjectApplication
from pilots.models import PilotUnit, Report, ReportSlot
from tests.conftest import PERSONAS

LANGUAGES = ("zh-hans", "en")


def _both(template, panel, csrf="tok<en>"):
    """(what the template renders, what its writer writes) for one panel context."""
    list(panels._modules())
    import pilots.guidance.panels  # noqa: F401  (its writers register on import)

    context = Context({"panel": panel, "csrf_token": csrf})
    rendered = engines["django"].engine.get_template(template).render(context)
    return rendered, panels.WRITERS[template](Context({"csrf_token": csrf}), panel)


def _org(pk, name="团<某>委 & 街道"):
    return Organization(pk=pk, name=name, path=f"{pk:08d}.")


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_writer_writes_its_templates_bytes(world, language):
    org = _org(7)
    report = Report(pk=11)
    report.slot = ReportSlot(pk=3, period_start=world.province.created_at.date().replace(day=1),
                             period_end=world.province.created_at.date().replace(day=28))  # fmt: skip
    report.slot.organization = org
    elections = [Election(pk=i, title=f"第{i}届 <换届> & 选举", state=state, organization=org)
                 for i, state in enumerate([State.DESIGN, State.APPOINTED, "unknown"], start=1)]  # fmt: skip
    unit = PilotUnit(pk=5)
    unit.organization = org
    application = ProjectApplication(pk=9, title="青年<夜校>")
    application.organization = org
    rate = types.SimpleNamespace(organization=org, held=3, branches=1200, rate=0.25)
    none = types.SimpleNamespace(organization=_org(8, "无支部"), held=0, branches=0, rate=None)
    month = world.province.created_at.date().replace(day=1)
    cases = [
        ("league/_lineup_panel_slot.html", {"organization": org, "is_committee": True}),
        ("league/_lineup_panel_slot.html", {"organization": org, "is_committee": False}),
        ("elections/_panel.html", {"elections": elections, "show_org": True}),
        ("elections/_panel.html", {"elections": elections}),
        ("elections/_panel.html", {"elections": [], "show_org": True}),
        ("pilots/_home_review.html", {"count": 1, "more": False, "oldest": [report]}),
        ("pilots/_home_review.html", {"count": 2, "more": False, "oldest": [report, report]}),
        ("pilots/_home_review.html", {"count": 500, "more": True, "oldest": []}),
        ("pilots/_home_file.html", {"slots": [], "on": month}),
        ("pilots/guidance/_home_units.html", {"units": [unit, unit]}),
        ("pilots/funds/_home_pending.html", {"count": 1, "oldest": [application]}),
        ("pilots/funds/_home_pending.html", {"count": 7, "oldest": [application] * 5}),
        ("grassroots/_home_panel.html", {"rows": [rate, none], "month": month}),
        ("grassroots/_home_panel.html", {"rows": [], "month": month}),
    ]
    with translation.override(language):
        for template, panel in cases:
            rendered, written = _both(template, panel)
            assert written == rendered, template
        # The organization page's elections panel (with its organization) is left to the template.
        assert panels.WRITERS["elections/_panel.html"](Context(), {"elections": [], "org": org}) is None
    assert {template for template, _ in cases} == set(panels.WRITERS)


def _page(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/")
    assert response.status_code == 200
    return re.sub(
        r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1TOKEN", response.content.decode()
    )


@pytest.fixture
def busy(program, application, assignment, world, monkeypatch):
    """Reports to file and awaiting review past a cap of one, elections, a fund application, an
    instructor's unit: a panel of every kind on some persona's home."""
    from pilots import services
    from tests.pilots.factories import filed_report

    street, county = world.users["street"], world.users["county"]
    first, second, third = program.slots.filter(organization=world.zhonghe).order_by("period_start")[:3]
    filed_report(first, street, progress="<写了> & 更多")
    filed_report(second, street)
    services.report_return(report=filed_report(third, street), by=county, reason="other", comment="补<充>")
    Election.objects.create(organization=world.zhonghe, title="中河<换届>", state=State.APPOINTED)
    Election.objects.create(organization=world.county, title="鄞州换届", state=State.DESIGN)
    monkeypatch.setattr(pilot_panels, "REVIEW_COUNT_CAP", 1)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_personas_home_is_the_same_written_or_rendered(busy, client_for, persona, monkeypatch):
    client = client_for(persona)
    written = {language: _page(client, language) for language in LANGUAGES}
    monkeypatch.setattr(panels, "WRITERS", {})
    rendered = {language: _page(client, language) for language in LANGUAGES}
    assert written == rendered


def test_the_pages_compared_show_a_panel_of_every_kind(busy, client_for):
    shown = "".join(_page(client_for(persona), "en") for persona in PERSONAS)
    for testid in ("home-file", "home-review", "election-panel", "home-fund-applications", "home-instructor",
                   "lineup-panel-slot"):  # fmt: skip
        assert f'data-testid="{testid}"' in shown, testid
    assert "More than 1 reports are waiting" in shown
    assert shown.count('data-testid="file-') > 5  # the street's slots to file, written by the same file_rows
    assert "branches held it" in shown
