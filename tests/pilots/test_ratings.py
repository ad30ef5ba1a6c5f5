"""Star ratings (对标定级): thresholds, self-rating and review, quotas at finalization, rectification, ladder."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from league.models import Kind, Level
from pilots.assessment import rules, services
from pilots.assessment.models import BranchRating, EscalationStep, RectificationTarget, TargetState
from tests.factories import OrganizationFactory
from tests.pilots.assessment_helpers import branches, goods, rated_round

E = services.AssessmentError


@pytest.mark.parametrize(
    ("score", "vetoed", "stars"),
    [(100, False, 5), (90, False, 5), (89.9, False, 4), (80, False, 4), (79.5, False, 3), (70, False, 3),
     (69, False, 2), (60, False, 2), (59.9, False, 0), (0, False, 0), (95, True, 0)],
)  # fmt: skip
def test_star_thresholds(score, vetoed, stars):
    assert rules.stars_for(score, vetoed=vetoed) == stars


def test_quota_and_bottom_worked_examples():
    # 12 branches: five stars at most 2 (20% of 12 = 2.4), four or more at most 7 (60% = 7.2);
    # the bottom 20% is 3 (2.4 rounded up).
    assert (rules.quota_limit(12, 20), rules.quota_limit(12, 60), rules.bottom_count(12)) == (2, 7, 3)
    assert (rules.quota_limit(4, 20), rules.bottom_count(4), rules.bottom_count(0)) == (0, 1, 0)


def test_self_rating_then_review_sets_stars(world):
    county = world.users["county"]
    rnd = services.round_open(by=county, county=world.county, year=2025)
    rating = rnd.ratings.get(branch=world.zhonghe_branch)
    secretary = world.users["street"]  # the street's secretary files for branches under it
    services.self_rate(by=secretary, rating=rating, scores=goods(92))
    with pytest.raises(PermissionDenied):
        services.rating_review(by=secretary, rating=rating, scores=goods(85))
    with pytest.raises(E, match="团员管理好: 21.0 is outside 0–20") as exc:
        services.rating_review(by=county, rating=rating, scores={**goods(85), "members": 21})
    assert exc.value.field == "members"
    rating = services.rating_review(by=county, rating=rating, scores=goods(85), comment="台账不全")
    assert (rating.self_total, rating.final_total, rating.stars) == (Decimal("92.0"), Decimal("85.0"), 4)
    with pytest.raises(E, match="reviewed this rating; the self-rating can no longer change"):
        services.self_rate(by=secretary, rating=rating, scores=goods(99))
    rating.refresh_from_db()
    assert rating.self_total == Decimal("92.0")
    sibling = world.users["street_sibling"]
    with pytest.raises(PermissionDenied):
        services.self_rate(by=sibling, rating=rating, scores=goods(80))


def test_veto_makes_a_branch_weak_and_needs_a_note(world):
    county = world.users["county"]
    rnd = services.round_open(by=county, county=world.county, year=2025)
    rating = rnd.ratings.get(branch=world.zhonghe_branch)
    services.self_rate(by=county, rating=rating, scores=goods(95))
    with pytest.raises(E, match="Say which veto item applies"):
        services.rating_review(by=county, rating=rating, scores=goods(95), vetoed=True)
    rating = services.rating_review(
        by=county, rating=rating, scores=goods(95), vetoed=True, comment="班子长期空缺"
    )
    assert rating.stars == rules.WEAK


def test_finalize_names_branches_over_quota(world):
    county = world.users["county"]
    branches(world.county, 8)  # with the two in the world: 10 branches, five stars ≤ 2, four or more ≤ 6
    rnd = rated_round(world.county, county, [95, 93, 91, 85, 84, 83, 82, 81, 70, 55])
    names = {r.branch.name: r.stars for r in rnd.ratings.select_related("branch")}
    assert sorted(names.values(), reverse=True) == [5, 5, 5, 4, 4, 4, 4, 4, 3, 0]
    over = services.quota_overages(rnd)
    assert [(o["stars"], o["count"], o["limit"]) for o in over] == [(5, 3, 2), (4, 8, 6)]
    ordered = list(rnd.ratings.select_related("branch").order_by("-final_total"))
    assert [r.branch for r in over[0]["over"]] == [ordered[2].branch]
    assert [r.branch for r in over[1]["over"]] == [ordered[6].branch, ordered[7].branch]
    with pytest.raises(E, match=f"5 stars: 3 branches, quota 2; over quota: {ordered[2].branch.name}"):
        services.round_finalize(by=county, rnd=rnd)
    rnd.refresh_from_db()
    assert rnd.finalized_at is None
    # The level above lowers the scores, then finalization passes.
    for rating, total in ((ordered[2], 89), (ordered[6], 79), (ordered[7], 78)):
        services.rating_review(by=county, rating=rating, scores=goods(total))
    services.round_finalize(by=county, rnd=rnd)
    with pytest.raises(E, match="finalized"):
        services.rating_review(by=county, rating=ordered[0], scores=goods(50))


def test_finalize_refuses_unreviewed(world):
    county = world.users["county"]
    rnd = services.round_open(by=county, county=world.county, year=2025)
    with pytest.raises(E, match="Not yet reviewed: 中河街道划船社区团支部、首南街道首南社区团支部"):
        services.round_finalize(by=county, rnd=rnd)


def _finalized(world, totals, year=2025):
    county = world.users["county"]
    rnd = rated_round(world.county, county, totals, year=year)
    services.round_finalize(by=county, rnd=rnd)
    return rnd


def test_rectification_lifecycle(world):
    county, street = world.users["county"], world.users["street"]
    branches(world.county, 8)
    rnd = _finalized(world, [88, 87, 86, 85, 84, 79, 78, 77, 66, 55])
    targets = services.targets_select(by=county, rnd=rnd)
    assert sorted(t.rating.final_total for t in targets) == [
        Decimal("55.0"),
        Decimal("66.0"),
    ]  # bottom 20% of 10
    target = min(targets, key=lambda t: t.rating.final_total)
    item = services.item_add(by=county, target=target, problem="支部委员缺额", action="补选组织委员", owner="王书记",
                             deadline=dt.date(2026, 3, 31))  # fmt: skip
    with pytest.raises(E, match="Closing an item needs its evidence"):
        services.item_close(by=county, item=item, evidence="  ")
    item.refresh_from_db()
    assert item.closed_at is None
    with pytest.raises(E, match="1 items are still open"):
        services.target_recheck(by=county, target=target, score=80)
    services.item_close(by=county, item=item, evidence="2026年3月补选会议记录")
    target = services.target_recheck(by=county, target=target, score=75)
    assert target.state == TargetState.CLOSED and target.recheck_score == 75
    assert street  # secretaries add items for their branches but cannot sign them off:
    other = max(targets, key=lambda t: t.rating.final_total)
    if other.branch.path.startswith(world.zhonghe.path):
        it = services.item_add(
            by=street, target=other, problem="p", action="a", owner="o", deadline=dt.date(2026, 1, 1)
        )
        with pytest.raises(PermissionDenied):
            services.item_close(by=street, item=it, evidence="done")


def test_unfinished_targets_carry_over_and_two_failed_rounds_propose_restructuring(world):
    county = world.users["county"]
    rnd = _finalized(world, [80, 50])
    (target,) = services.targets_select(by=county, rnd=rnd)
    services.item_add(by=county, target=target, problem="活动长期停滞", action="每月开展主题团日", owner="支书",
                      deadline=dt.date(2025, 12, 31))  # fmt: skip
    (second,) = services.targets_carry_over(by=county, county=world.county, year=2025)
    target.refresh_from_db()
    assert target.state == TargetState.CARRIED and second.round_number == 2 and second.items.count() == 1
    assert target.proposes_restructuring is False
    (third,) = services.targets_carry_over(by=county, county=world.county, year=2026)
    second.refresh_from_db()
    assert second.proposes_restructuring and third.proposes_restructuring and third.round_number == 3


def _city_units(world, n=6):
    return [OrganizationFactory(code=f"ZJ-NB-U{i}", name=f"单位{i}", level=Level.COUNTY, kind=Kind.COMMITTEE,
                                parent=world.city) for i in range(1, n + 1)]  # fmt: skip


def test_escalation_ladder_across_three_years(world):
    city_staff = world.users["city"]
    units = _city_units(world)
    laggard = units[-1]
    for year, extra in ((2023, 0), (2024, 1), (2025, 2)):
        scores = {u: 90 - i * 5 for i, u in enumerate(units)}
        scores[laggard] = 40 + extra
        services.ranking_record(by=city_staff, city=world.city, year=year, scores=scores)
    proposals = {p["organization"]: p for p in services.escalation_proposals(world.city, 2025)}
    assert proposals[laggard]["years"] == 3 and proposals[laggard]["step"].name == "建议调整函"
    assert "2023年 第6名 40.0分" in proposals[laggard]["evidence"]
    two = {p["organization"]: p for p in services.escalation_proposals(world.city, 2024)}
    assert two[laggard]["step"].name == "告诫约谈"
    one = {p["organization"]: p for p in services.escalation_proposals(world.city, 2023)}
    assert one[laggard]["step"].name == "提醒约谈" and len(one) == 3
    record = services.escalation_record(by=city_staff, city=world.city, organization=laggard, year=2025,
                                        held_on=dt.date(2026, 1, 15), note="已向区委发函")  # fmt: skip
    assert record.step.years_running == 3
    with pytest.raises(E, match="Already recorded"):
        services.escalation_record(by=city_staff, city=world.city, organization=laggard, year=2025,
                                   held_on=dt.date(2026, 1, 16))  # fmt: skip
    with pytest.raises(E, match="not in the bottom three"):
        services.escalation_record(by=city_staff, city=world.city, organization=units[0], year=2025,
                                   held_on=dt.date(2026, 1, 16))  # fmt: skip


def test_ladder_is_data(world):
    EscalationStep.objects.create(years_running=4, name="通报批评")
    units = _city_units(world)
    for year in (2022, 2023, 2024, 2025):
        services.ranking_record(by=world.users["city"], city=world.city, year=year,
                                scores={u: 90 - i for i, u in enumerate(units)})  # fmt: skip
    steps = {p["organization"]: p["step"].name for p in services.escalation_proposals(world.city, 2025)}
    assert steps[units[-1]] == "通报批评"


def test_ranking_bad_input(world):
    units = _city_units(world, 4)
    with pytest.raises(E, match="score must be between 0 and 100"):
        services.ranking_record(by=world.users["city"], city=world.city, year=2025,
                                scores={**{u: 80 for u in units}, units[0]: 120})  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.ranking_record(
            by=world.users["county"], city=world.city, year=2025, scores={u: 80 for u in units}
        )


def test_hearing_needs_five_to_eight_and_tracks_the_week(world):
    city_staff = world.users["city"]
    units = _city_units(world, 9)
    with pytest.raises(E, match="5 to 8 secretaries; 4 chosen"):
        services.hearing_schedule(
            by=city_staff, organization=world.city, held_on=dt.date(2026, 3, 5), units=units[:4]
        )
    with pytest.raises(E, match="9 chosen"):
        services.hearing_schedule(
            by=city_staff, organization=world.city, held_on=dt.date(2026, 3, 5), units=units
        )
    hearing = services.hearing_schedule(by=city_staff, organization=world.city, held_on=dt.date(2026, 3, 5),
                                        units=units[:5], comments="重点听取整改推进情况")  # fmt: skip
    reports = list(hearing.speakers.order_by("organization__path"))
    assert {r.due_on for r in reports} == {dt.date(2026, 3, 12)}
    services.hearing_report_submit(by=city_staff, report=reports[0], text="已整改", on=dt.date(2026, 3, 10))
    services.hearing_report_submit(by=city_staff, report=reports[1], text="已整改", on=dt.date(2026, 3, 14))
    on = dt.date(2026, 3, 13)
    assert [r.status(on) for r in hearing.speakers.order_by("organization__path")][:3] == [
        "submitted",
        "late",
        "overdue",
    ]
    assert hearing.speakers.overdue(on=on).count() == 3 and hearing.speakers.late().count() == 1


def test_inspection_findings_become_rectification_items(world):
    county = world.users["county"]
    rnd = _finalized(world, [80, 50])
    (target,) = services.targets_select(by=county, rnd=rnd)
    city_staff = world.users["city"]
    with pytest.raises(E, match="Choose the methods"):
        services.inspection_create(by=city_staff, city=world.city, year=2026, quarter=1, plan="p", team="t",
                                   methods=["nonsense"], units=[target.branch], held_on=dt.date(2026, 3, 1))  # fmt: skip
    with pytest.raises(E, match="quarter is 1 to 4"):
        services.inspection_create(by=city_staff, city=world.city, year=2026, quarter=5, plan="p", team="t",
                                   methods=["ledgers"], units=[target.branch], held_on=dt.date(2026, 3, 1))  # fmt: skip
    inspection = services.inspection_create(by=city_staff, city=world.city, year=2026, quarter=1, plan="一季度督导",
                                            team="市团委组织部", methods=["unannounced", "ledgers"],
                                            units=[target.branch], held_on=dt.date(2026, 3, 1))  # fmt: skip
    finding = services.finding_add(by=city_staff, inspection=inspection, organization=target.branch,
                                   text="三会两制一课记录缺失", action="补齐记录并建立月检制度", owner="支书")  # fmt: skip
    assert finding.items.get().target == target
    assert RectificationTarget.objects.count() == 1 and BranchRating.objects.count() == 2


def test_an_empty_ladder_gets_the_default_steps(world):
    EscalationStep.objects.all().delete()
    units = _city_units(world, 4)
    services.ranking_record(by=world.users["city"], city=world.city, year=2025, scores={u: 80 - i for i, u in
                                                                                      enumerate(units)})  # fmt: skip
    assert {p["step"].name for p in services.escalation_proposals(world.city, 2025)} == {"提醒约谈"}
