"""Assessment criteria proposed from grassroots figures: the theme-day rate over the review's months and
the youth fund per young person against the minimum — worked numbers; changing a proposal needs a reason."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from league.models import Level
from pilots.assessment import services, sources
from pilots.assessment.models import Score
from pilots.models import Phase
from tests.factories import OrganizationFactory
from tests.grassroots import factories as f
from tests.pilots.factories import monthly_program

E = services.AssessmentError
CRITERIA = [
    {"key": "leadership", "name": "领导重视", "max_points": 20},
    {"key": "plan", "name": "方案优化", "max_points": 20},
    {"key": "projects", "name": "项目推进", "max_points": 20},
    {"key": "schedule", "name": "工作进度", "max_points": 15},
    {"key": "reporting", "name": "信息报送", "max_points": 5},
    {"key": "theme", "name": "主题团日", "max_points": 10, "source": "theme_days"},
    {"key": "fund", "name": "青年发展经费", "max_points": 10, "source": "funding"},
]
KEPT = {"leadership": 18, "plan": 17, "projects": 16, "schedule": 12, "reporting": 0}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def review(world):
    """中河 (4 branches) and 首南 in a county program; a review of the January–March phase."""
    for i in range(2, 5):
        OrganizationFactory(parent=world.zhonghe, level=Level.GRASSROOTS, code=f"ZJ-NB-YZ-ZH-0{i}")
    program = monthly_program(world.county, [world.zhonghe, world.shounan])
    phase = Phase.objects.create(program=program, name="实施", starts_on=dt.date(2026, 1, 1),
                                 ends_on=dt.date(2026, 3, 31))  # fmt: skip
    county = world.users["county"]
    scheme = services.scheme_create(by=county, program=program, criteria=CRITERIA)
    return services.review_create(by=county, scheme=scheme, title="一季度", members="张三", phase=phase)


def _theme_days(world):
    branches = list(world.zhonghe.children.order_by("path"))
    assert len(branches) == 4
    for month, held_by in ((1, 4), (2, 3), (3, 2)):  # 9 of 4 × 3 = 12
        for branch in branches[:held_by]:
            f.theme_day(branch, held_on=dt.date(2026, month, 10))
    f.theme_day(branches[3], held_on=dt.date(2026, 4, 10))  # after the phase: not counted
    f.theme_day(world.shounan_branch, held_on=dt.date(2026, 2, 10))  # another unit's


def test_theme_day_and_funding_proposals_worked_numbers(world, review):
    _theme_days(world)
    f.funding(world.zhonghe, 12500, "30000", year=2026)  # 2.40 yuan each, minimum 3: 10 × 2.40 / 3 = 8.0
    f.funding(world.shounan, 12000, "40000", year=2026)  # 3.33 each: full 10, never above
    zhonghe = review.scheme.program.units.get(organization=world.zhonghe)
    shounan = review.scheme.program.units.get(organization=world.shounan)
    theme, fund = review.scheme.criteria.get(key="theme"), review.scheme.criteria.get(key="fund")

    proposal = sources.propose(review, zhonghe, theme)
    assert proposal.points == Decimal("7.5")  # 10 × 9 / 12
    assert (
        "9 theme days held of 12 expected: 4 branches × 3 months, 2026-01 to 2026-03" in proposal.explanation
    )
    assert sources.propose(review, shounan, theme).points == Decimal("3.3")  # 1 branch, 1 of 3 months
    proposal = sources.propose(review, zhonghe, fund)
    assert proposal.points == Decimal("8.0")
    assert "2.40 yuan each" in proposal.explanation
    assert sources.propose(review, shounan, fund).points == Decimal("10.0")
    assert sources.propose(review, zhonghe, review.scheme.criteria.get(key="plan")) is None  # entered freely


def test_changing_a_proposal_needs_a_reason_and_is_recorded(world, review, client_for):
    _theme_days(world)
    f.funding(world.zhonghe, 12500, "30000", year=2026)
    county = world.users["county"]
    unit = review.scheme.program.units.get(organization=world.zhonghe)
    with pytest.raises(
        E, match=r"主题团日: the proposal from Theme-day rate \(主题团日\) is 7.5; give a reason"
    ) as exc:
        services.unit_score(by=county, review=review, unit=unit, points={**KEPT, "theme": 9, "fund": "8.0"})
    assert exc.value.field == "adjust_reason" and not Score.objects.exists()
    services.unit_score(by=county, review=review, unit=unit, points={**KEPT, "theme": "7.5", "fund": "8.0"})
    services.unit_score(by=county, review=review, unit=unit, points={**KEPT, "theme": 9, "fund": "8.0"},
                        adjust_reason="三月主题团日因疫情改线上，记录滞后")  # fmt: skip
    theme = Score.objects.get(unit=unit, criterion__key="theme")
    assert (theme.points, theme.proposed, theme.adjust_reason) == (
        9,
        Decimal("7.5"),
        "三月主题团日因疫情改线上，记录滞后",
    )
    fund = Score.objects.get(unit=unit, criterion__key="fund")
    assert (fund.points, fund.proposed, fund.adjust_reason) == (8, Decimal("8.0"), "")

    page = client_for("county").get(f"/pilots/reviews/{review.pk}/units/{unit.pk}/")
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="proposal"') == 3  # reporting, theme days, funding


def test_no_fund_entered_proposes_zero_and_an_unknown_source_is_refused(world, review):
    unit = review.scheme.program.units.get(organization=world.zhonghe)
    proposal = sources.propose(review, unit, review.scheme.criteria.get(key="fund"))
    assert proposal.points == 0 and "no youth fund entered for 2026" in proposal.explanation
    bad = [dict(c) for c in CRITERIA]
    bad[-1]["source"] = "weather"
    with pytest.raises(E, match="Criterion 7: no figure weather"):
        services.scheme_set_criteria(by=world.users["county"], scheme=review.scheme, criteria=bad)
    assert review.scheme.criteria.get(key="fund").source == "funding"
