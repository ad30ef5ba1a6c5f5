"""The report list's program select reads its options as SQL written once (pilots.selectors.program_choices), the
rows of programs_for(user).values_list("pk", "name") in PilotProgram's order, for every persona, without building
that queryset unless a program is chosen."""

import datetime as dt

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from league import policies
from pilots.filters import ReportFilter
from pilots.models import Report
from pilots.selectors import program_choices, programs_for
from tests.conftest import PERSONAS
from tests.pilots.factories import PilotProgramFactory, monthly_program


@pytest.fixture
def programs(world):
    """Programs of the county (two units), of the other county, of the province with one of the county's
    streets, and one run by a street; start days and names such that the order uses both."""
    return [
        monthly_program(world.county, [world.zhonghe, world.shounan], name="鄞州试点"),
        monthly_program(
            world.other_county_org, [world.zhuangqiao], name="江北试点", starts_on=dt.date(2026, 3, 1)
        ),
        monthly_program(world.province, [world.shounan], name="全省试点"),
        PilotProgramFactory(organization=world.zhonghe, name="A 中河自办", starts_on=dt.date(2026, 3, 1)),
        PilotProgramFactory(organization=world.province, name="无单位", starts_on=dt.date(2025, 6, 1)),
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_options_are_the_programs_of_programs_for_in_order(programs, world, persona):
    user = world.users[persona]
    expected = list(programs_for(user).values_list("pk", "name").order_by("-starts_on", "name"))
    assert program_choices(user) == expected
    assert program_choices(world.users["admin"]) == [(p.pk, p.name) for p in sorted(
        programs, key=lambda p: (-p.starts_on.toordinal(), p.name))]  # fmt: skip
    if persona == "outsider":
        assert program_choices(user) == []


def test_a_street_sees_its_own_program_and_those_with_its_unit(programs, world):
    names = [name for _, name in program_choices(world.users["street"])]
    assert names == ["A 中河自办", "鄞州试点"]
    assert [name for _, name in program_choices(world.users["street_sibling"])] == ["全省试点", "鄞州试点"]


def _filter(user, data=None):
    request = RequestFactory().get("/pilots/reports/", data or {})
    request.user = user
    return ReportFilter(data or None, queryset=Report.objects.all(), request=request)


def test_the_select_reads_the_options_once_and_builds_no_queryset(programs, world, monkeypatch):
    """An unfiltered list writes the select from program_options (one query) and never builds programs_for."""
    import pilots.filters

    built = []
    monkeypatch.setattr(
        pilots.filters, "programs_for", lambda *a, **k: built.append(a) or programs_for(*a, **k)
    )
    filters = _filter(world.users["county"])
    policies.memberships(world.users["county"])  # read by every page before its filter (the scope)
    with CaptureQueriesContext(connection) as ctx:
        html = str(filters.form["program"])
    assert len(ctx.captured_queries) == 1 and built == []
    assert html.count("<option") == 1 + len(program_choices(world.users["county"]))


def test_a_chosen_program_is_validated_against_the_queryset(programs, world):
    county = world.users["county"]
    chosen = _filter(county, {"program": str(programs[0].pk)})
    assert chosen.is_valid() and chosen.form.cleaned_data["program"] == programs[0]
    assert f'<option value="{programs[0].pk}" selected>' in str(chosen.form["program"])
    elsewhere = _filter(county, {"program": str(programs[1].pk)})  # the other county's: not in scope
    assert not elsewhere.is_valid() and "program" in elsewhere.errors
    assert not _filter(county, {"program": "abc"}).is_valid()
