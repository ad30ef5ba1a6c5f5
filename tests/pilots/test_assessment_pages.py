"""Assessment pages: scoring through the form, bad input shown on its field, query counts at two sizes."""

import datetime as dt

from django.test.utils import CaptureQueriesContext

from pilots.assessment import services
from pilots.assessment.models import BranchRating, Result, Score
from tests.pilots.assessment_helpers import FULL, branches, rated_round, scored_review


def _post_scores(client, review, unit, **over):
    data = {f"points_{k}": v for k, v in {**FULL, "reporting": 0, **over}.items()}
    return client.post(f"/pilots/reviews/{review.pk}/units/{unit.pk}/", data)


def test_county_scores_through_the_form_and_sees_the_field_error(program, client_for, world):
    county = client_for("county")
    response = county.post(f"/pilots/programs/{program.pk}/assessment/", {"veto_items": "发生重大安全事故"})
    assert response.status_code == 302
    response = county.post(
        f"/pilots/programs/{program.pk}/assessment/", {"title": "年度评审", "members": "张三"}
    )
    review = program.assessment_scheme.reviews.get()
    unit = program.units.get(organization=world.zhonghe)
    page = county.get(f"/pilots/reviews/{review.pk}/units/{unit.pk}/")
    assert 'data-testid="proposal"' in page.content.decode()
    assert 'data-testid="references"' in page.content.decode()  # grassroots figures, when installed
    response = _post_scores(county, review, unit, projects=26)
    assert response.status_code == 400
    assert (
        "项目推进: 26.0 is outside 0–25" in response.content.decode() or "26.0" in response.content.decode()
    )
    assert Score.objects.count() == 0
    assert _post_scores(county, review, unit).status_code == 302
    assert Score.objects.filter(unit=unit).count() == 5


def test_secretary_sees_the_published_ranking_but_not_draft_scores(program, client_for, world):
    review = scored_review(program, world.users["county"], {world.zhonghe: {**FULL, "reporting": 0},
                                                            world.shounan: {**FULL, "reporting": 0}})  # fmt: skip
    street = client_for("street")
    assert street.get(f"/pilots/reviews/{review.pk}/").status_code == 403
    assert street.post(f"/pilots/reviews/{review.pk}/publish/").status_code == 403
    client_for("county").post(f"/pilots/reviews/{review.pk}/publish/")
    assert Result.objects.filter(review=review).count() == 2
    assert street.get(f"/pilots/reviews/{review.pk}/").status_code == 200


def test_award_form_without_assessment_says_so(program, client_for, world):
    unit = program.units.get(organization=world.zhonghe)
    response = client_for("street").post(
        f"/pilots/units/{unit.pk}/award/", {"award": "red_flag", "statement": "x"}
    )
    assert response.status_code == 200
    assert "没有已发布的考核结果" in response.content.decode()


def test_self_rating_after_review_through_the_page_changes_nothing(world, client_for):
    rnd = rated_round(world.county, world.users["county"], [85, 75])
    rating = rnd.ratings.get(branch=world.zhonghe_branch)
    data = {"team": 20, "members": 20, "activities": 20, "rules": 20, "role": 20, "do": "self"}
    response = client_for("street").post(f"/pilots/ratings/branch/{rating.pk}/", data)
    assert response.status_code in (400, 403)
    rating.refresh_from_db()
    assert rating.self_total == 85


def _grow(world, year: int, extra_branches: int):
    """One more year of ratings (finalized, targets chosen), an inspection and a hearing."""
    county = world.users["county"]
    if extra_branches:
        branches(world.county, extra_branches, prefix=f"Y{year}")
    n = BranchRating.objects.filter(round__county=world.county).values("branch").distinct().count()
    n = max(n, 2 + extra_branches)
    rnd = rated_round(world.county, county, [59 - i for i in range(n + extra_branches + 2)], year=year)
    services.round_finalize(by=county, rnd=rnd)
    for target in services.targets_select(by=county, rnd=rnd):
        services.item_add(by=county, target=target, problem="问题", action="措施", owner="支书",
                          deadline=dt.date(year, 12, 31))  # fmt: skip
    units = list(world.county.descendants().filter(level="grassroots")[:8])
    inspection = services.inspection_create(by=county, city=world.county, year=year, quarter=2, plan="计划",
                                            team="督导组", methods=["ledgers"], units=units,
                                            held_on=dt.date(year, 5, 1))  # fmt: skip
    services.finding_add(by=county, inspection=inspection, organization=units[0], text="台账不全")
    services.hearing_schedule(by=county, organization=world.county, held_on=dt.date(year, 6, 1),
                              units=units[:5] if len(units) >= 5 else units + [world.zhonghe, world.shounan])  # fmt: skip
    return rnd


LIST_URLS = ["/pilots/ratings/", "/pilots/rectification/", "/pilots/inspections/", "/pilots/hearings/", "ROUND",
             "INSPECTION"]  # fmt: skip


def test_list_query_counts_do_not_grow(world, client_for):
    from django.db import connection

    from pilots.assessment.models import Inspection

    client = client_for("county")
    counts = {}
    for year, extra in ((2024, 3), (2025, 9)):
        rnd = _grow(world, year, extra)
        inspection = Inspection.objects.filter(year=year).get()
        for url in LIST_URLS:
            target = {"ROUND": f"/pilots/ratings/{rnd.pk}/",
                      "INSPECTION": f"/pilots/inspections/{inspection.pk}/quarter/"}.get(url, url)  # fmt: skip
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(target).status_code == 200, target
            counts.setdefault(url, []).append(len(ctx))
    assert all(a == b for a, b in counts.values()), counts
    assert all(b <= 25 for _a, b in counts.values()), counts
