"""Fixtures for instructors, pairs and funds: the county's 2026 program, 中河 assigned to `instructor`."""

import datetime as dt

import pytest

from pilots.funds import services as funds
from pilots.guidance import services as guidance

JAN1 = dt.date(2026, 1, 1)


@pytest.fixture
def unit(program, world):
    return program.units.get(organization=world.zhonghe)


@pytest.fixture
def sibling_unit(program, world):
    return program.units.get(organization=world.shounan)


@pytest.fixture
def assignment(unit, world):
    return guidance.assignment_add(by=world.users["county"], unit=unit, instructor=world.users["instructor"],
                                   starts_on=JAN1)  # fmt: skip


@pytest.fixture
def fund(program, world):
    return funds.fund_create(
        by=world.users["county"], organization=world.county, program=program, name="试点工作基金"
    )


@pytest.fixture
def funded(fund, world):
    """The 静海 sources: 3,000 from the working budget + 7,000 raised = 10,000."""
    county = world.users["county"]
    funds.entry_add(by=county, fund=fund, kind="source", amount="3000", entry_date=JAN1, source="工作经费")
    funds.entry_add(by=county, fund=fund, kind="source", amount="7000.00", entry_date=JAN1, source="社会筹集")
    return fund


@pytest.fixture
def application(funded, world):
    return funds.application_submit(by=world.users["street"], fund=funded, organization=world.zhonghe,
                                    title="青年创业沙龙", plan="每月一次，邀请税务干部讲解政策。", amount="2000",
                                    budget_lines=[{"item": "场地", "amount": "800"}, {"item": "资料", "amount": "1200"}])  # fmt: skip
