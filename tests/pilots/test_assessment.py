"""Pilot assessment: schemes, stage reviews, the reporting proposal, publication, corrections, awards."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from pilots import services as pilot_services
from pilots.assessment import rules, services
from pilots.assessment.models import AwardApplication, Result, ReviewState, Score, StageReview
from pilots.models import Phase
from tests.pilots.assessment_helpers import FULL, scored_review
from tests.pilots.factories import REPORT_TEXT

E = services.AssessmentError


def test_default_scheme_sums_to_100(program, world):
    scheme = services.scheme_create(by=world.users["county"], program=program)
    names = [c.name for c in scheme.criteria.all()]
    assert names == ["领导重视", "方案优化", "项目推进", "工作进度", "信息报送"]
    assert sum(c.max_points for c in scheme.criteria.all()) == 100


def test_scheme_not_summing_to_100_is_refused(program, world):
    bad = [{"key": "a", "name": "甲", "max_points": 60}, {"key": "b", "name": "乙", "max_points": 30}]
    with pytest.raises(E, match="sum to 90; they must sum to 100"):
        services.scheme_create(by=world.users["county"], program=program, criteria=bad)
    from pilots.assessment.models import AssessmentScheme, Criterion

    assert AssessmentScheme.objects.count() == 0 and Criterion.objects.count() == 0


def test_changing_maxima_keeps_the_sum(program, world):
    county = world.users["county"]
    scheme = services.scheme_create(by=county, program=program)
    criteria = services.default_criteria()
    criteria[0]["max_points"] = 30
    with pytest.raises(E, match="sum to 110"):
        services.scheme_set_criteria(by=county, scheme=scheme, criteria=criteria)
    assert scheme.criteria.get(key="leadership").max_points == 20
    criteria[1]["max_points"] = 10
    services.scheme_set_criteria(by=county, scheme=scheme, criteria=criteria)
    assert scheme.criteria.get(key="leadership").max_points == 30


def test_score_above_maximum_is_refused_and_nothing_stored(program, world):
    county = world.users["county"]
    review = scored_review(program, county, {})
    unit = program.units.get(organization=world.zhonghe)
    with pytest.raises(E, match=r"领导重视: 21.0 is outside 0–20") as exc:
        services.unit_score(
            by=county, review=review, unit=unit, points={**FULL, "leadership": 21, "reporting": 0}
        )
    assert exc.value.field == "leadership"
    assert Score.objects.count() == 0


def test_reporting_score_is_proposed_from_on_time_rate(program, world):
    """3 of 6 reports due by the end of June were on time: 15 × 3/6 = 7.5."""
    county, street = world.users["county"], world.users["street"]
    phase = Phase.objects.create(
        program=program, name="实施", starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 7, 5)
    )
    for month in (1, 2, 3):
        slot = program.slots.get(organization=world.zhonghe, period_start=dt.date(2026, month, 1))
        report = pilot_services.report_start(slot=slot, by=street, on=slot.period_start)
        pilot_services.report_save(report=report, by=street, **REPORT_TEXT)
        pilot_services.report_submit(
            report=report, by=street, now=dt.datetime(2026, month, 20, 10, tzinfo=dt.UTC)
        )
    scheme = services.scheme_create(by=county, program=program)
    review = services.review_create(by=county, scheme=scheme, title="中期", members="张三", phase=phase)
    unit = program.units.get(organization=world.zhonghe)
    assert services.reporting_rate(review, unit) == (3, 6)
    assert services.reporting_proposal(review, unit, scheme.criteria.get(key="reporting")) == Decimal("7.5")
    # Keeping the proposal needs no reason; changing it does.
    with pytest.raises(E, match="proposal from on-time reporting is 7.5; give a reason") as exc:
        services.unit_score(by=county, review=review, unit=unit, points={**FULL, "reporting": 10})
    assert exc.value.field == "adjust_reason" and Score.objects.count() == 0
    services.unit_score(by=county, review=review, unit=unit, points={**FULL, "reporting": "7.5"})
    services.unit_score(by=county, review=review, unit=unit, points={**FULL, "reporting": 10},
                        adjust_reason="三月报告因系统故障迟报")  # fmt: skip
    score = Score.objects.get(unit=unit, criterion__key="reporting")
    assert (score.points, score.proposed, score.adjust_reason) == (
        10,
        Decimal("7.5"),
        "三月报告因系统故障迟报",
    )


def test_proposal_worked_examples():
    assert rules.proposed_reporting_points(15, 11, 12) == Decimal("13.8")
    assert rules.proposed_reporting_points(15, 0, 0) == 0
    assert rules.competition_ranks([Decimal(90), Decimal(85), Decimal(85), Decimal(70)]) == [1, 2, 2, 4]


def test_publishing_with_missing_scores_names_the_units(program, world):
    county = world.users["county"]
    review = scored_review(program, county, {world.zhonghe: {**FULL, "reporting": 12}})
    with pytest.raises(E, match="Scores are missing for: 鄞州区首南街道团工委"):
        services.review_publish(by=county, review=review)
    review.refresh_from_db()
    assert review.state == ReviewState.DRAFT and Result.objects.count() == 0


def test_publish_ranks_freezes_and_corrections_are_versions(program, world):
    county = world.users["county"]
    review = scored_review(program, county, {world.zhonghe: {**FULL, "reporting": 12},  # 85
                                             world.shounan: {**FULL, "leadership": 20, "reporting": 15}})  # fmt: skip
    services.review_publish(by=county, review=review)
    results = {r.unit.organization: (r.total, r.rank) for r in Result.objects.filter(review=review)}
    assert results == {world.shounan: (Decimal("90.0"), 1), world.zhonghe: (Decimal("85.0"), 2)}
    unit = program.units.get(organization=world.zhonghe)
    with pytest.raises(E, match="published and frozen"):
        services.unit_score(
            by=county, review=review, unit=unit, points={**FULL, "reporting": 15}, adjust_reason="x"
        )
    with pytest.raises(E, match="reason for the correction"):
        services.review_correct(by=county, review=review, reason=" ")
    v2 = services.review_correct(by=county, review=review, reason="首南街道领导重视分误计")
    services.unit_score(by=county, review=v2, unit=program.units.get(organization=world.shounan),
                        points={**FULL, "leadership": 10, "reporting": 15}, adjust_reason="x")  # fmt: skip
    services.review_publish(by=county, review=v2)
    review.refresh_from_db()
    assert review.state == ReviewState.SUPERSEDED and v2.version == 2
    assert Result.objects.filter(review=review).count() == 2  # the first version's results are kept
    assert services.current_result(unit).review == v2 and services.current_result(unit).rank == 1


def test_veto_scores_zero_and_ranks_last(program, world):
    county = world.users["county"]
    review = scored_review(program, county, {world.zhonghe: {**FULL, "reporting": 15},
                                             world.shounan: {**FULL, "reporting": 2}})  # fmt: skip
    unit = program.units.get(organization=world.zhonghe)
    services.unit_score(by=county, review=review, unit=unit, points={**FULL, "reporting": 15}, adjust_reason="x",
                        vetoes=list(review.scheme.veto_items.all()))  # fmt: skip
    services.review_publish(by=county, review=review)
    r = Result.objects.get(review=review, unit=unit)
    assert (r.total, r.rank, r.vetoed) == (0, 2, True)


def test_award_application_needs_a_published_assessment(program, world):
    county, street = world.users["county"], world.users["street"]
    unit = program.units.get(organization=world.zhonghe)
    with pytest.raises(E, match="no published assessment; an application cannot be filed without one"):
        services.award_apply(by=street, unit=unit, award="red_flag", statement="事迹")
    review = scored_review(program, county, {world.zhonghe: {**FULL, "reporting": 12},
                                             world.shounan: {**FULL, "reporting": 12}})  # fmt: skip
    services.review_publish(by=county, review=review)
    application = services.award_apply(by=street, unit=unit, award="red_flag", statement="深化改革成效明显")
    assert application.result.total == Decimal("85.0")
    sibling_unit = program.units.get(organization=world.shounan)
    with pytest.raises(PermissionDenied):
        services.award_apply(by=street, unit=sibling_unit, award="red_flag", statement="x")
    assert AwardApplication.objects.count() == 1


def test_secretary_cannot_score(program, world):
    review = scored_review(program, world.users["county"], {})
    with pytest.raises(PermissionDenied):
        services.unit_score(by=world.users["street"], review=review, unit=program.units.first(), points=FULL)
    with pytest.raises(PermissionDenied):
        services.review_publish(by=world.users["other_county"], review=review)
    assert StageReview.objects.count() == 1
