"""The 静海 demo replays seed 003's figures."""

from decimal import Decimal

import pytest

from league import demo as league_demo
from pilots import demo
from pilots.funds import stats as fund_stats
from pilots.funds.models import Fund
from pilots.guidance import stats
from pilots.guidance.models import Pair, Visit
from pilots.models import PilotProgram


@pytest.mark.django_db
def test_jinghai_figures_and_idempotence():
    world = league_demo.seed(league_demo.World())
    demo.seed(world)
    demo.seed(world)
    program = PilotProgram.objects.get(name="2010年静海县基层团组织建设试点")
    totals = stats.program_totals(program, Visit.objects.all())
    t = totals["total"]
    assert (totals["instructors"], t.visits, t.activities, t.solved, t.funds) == (
        5,
        15,
        5,
        7,
        Decimal("4000.00"),
    )
    pairs = stats.sum_pairs(stats.pair_totals(Pair.objects.filter(program=program)))
    assert (pairs["pairs"], pairs["meetings"], pairs["agreements"]) == (5, 6, 7)
    assert {p.organ.name for p in Pair.objects.filter(unit__organization__code="TJ-JH-YHXX")} == {
        "国家税务局静海县团总支"
    }
    fund = Fund.objects.get(name="静海县试点工作基金")
    s = fund_stats.summary(fund)
    assert (s["sources"], s["balance"], s["pending_n"]) == (Decimal("10000.00"), Decimal("10000.00"), 2)
    assert Visit.objects.filter(instructor__username="instructor").count() == 2
