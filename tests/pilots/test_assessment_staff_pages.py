"""Staff pages of assessment through the browser's requests: a scheme's criteria, quarterly inspections and
findings, monthly hearings, the yearly ranking and its ladder; bad input says what and stores nothing."""

import datetime as dt

from django.test.utils import CaptureQueriesContext

from league.models import Level
from pilots.assessment import services
from pilots.assessment.models import (
    Criterion,
    Escalation,
    Hearing,
    HearingReport,
    Inspection,
    InspectionFinding,
    RectificationItem,
    RectificationTarget,
    Score,
    YearlyRanking,
)
from tests.factories import OrganizationFactory
from tests.pilots.assessment_helpers import FULL, rated_round, scored_review


def _criteria_post(maxima, names=None, veto=""):
    data = {"criteria-TOTAL_FORMS": len(maxima), "criteria-INITIAL_FORMS": min(len(maxima), 5),
            "criteria-MIN_NUM_FORMS": 0, "criteria-MAX_NUM_FORMS": 12, "veto_items": veto}  # fmt: skip
    for i, points in enumerate(maxima):
        data[f"criteria-{i}-name"] = (names or {}).get(i, f"指标{i + 1}")
        data[f"criteria-{i}-max_points"] = points
    return data


def test_county_edits_the_maxima_and_a_sum_other_than_100_changes_nothing(program, world, client_for):
    county = client_for("county")
    scheme = services.scheme_create(by=world.users["county"], program=program)
    url = f"/pilots/programs/{program.pk}/assessment/criteria/"
    assert county.get(url).status_code == 200
    response = county.post(url, _criteria_post([30, 20, 25, 20, 15]))
    assert response.status_code == 400
    assert "110" in response.content.decode() and "100" in response.content.decode()
    assert [c.max_points for c in scheme.criteria.all()] == [20, 20, 25, 20, 15]
    response = county.post(url, _criteria_post([30, 10, 25, 20, 15], veto="发生重大负面舆情"))
    assert response.status_code == 302
    assert [c.max_points for c in scheme.criteria.all()] == [30, 10, 25, 20, 15]
    assert scheme.criteria.get(key="reporting").max_points == 15  # keys (and the reporting proposal) kept
    assert [v.text for v in scheme.veto_items.all()] == ["发生重大负面舆情"]
    # A sixth criterion added in the empty row, one removed: still 100.
    data = _criteria_post([30, 10, 20, 20, 15, 5], names={5: "群众满意"})
    data["criteria-1-DELETE"] = "on"
    data["criteria-2-max_points"] = 30
    assert county.post(url, data).status_code == 302
    assert [(c.name, c.max_points) for c in scheme.criteria.all()][-1] == ("群众满意", 5)
    assert scheme.criteria.count() == 5 and sum(c.max_points for c in scheme.criteria.all()) == 100


def test_criteria_are_frozen_once_a_review_exists(program, world, client_for):
    review = scored_review(program, world.users["county"], {})
    before = list(Criterion.objects.values_list("max_points", flat=True))
    url = f"/pilots/programs/{program.pk}/assessment/criteria/"
    page = client_for("county").get(url).content.decode()
    assert 'data-testid="criteria-frozen"' in page
    response = client_for("county").post(url, _criteria_post([30, 10, 25, 20, 15]))
    assert response.status_code == 400 and "alert-danger" in response.content.decode()
    assert list(Criterion.objects.values_list("max_points", flat=True)) == before
    assert review.scheme.veto_items.count() == 1
    assert client_for("street").post(url, _criteria_post([30, 10, 25, 20, 15])).status_code == 403


def test_score_above_maximum_and_publishing_with_missing_scores_through_the_pages(program, world, client_for):
    county = client_for("county")
    review = scored_review(program, world.users["county"], {world.zhonghe: {**FULL, "reporting": 0}})
    unit = program.units.get(organization=world.shounan)
    data = {f"points_{k}": v for k, v in {**FULL, "leadership": 21, "reporting": 0}.items()}
    response = county.post(f"/pilots/reviews/{review.pk}/units/{unit.pk}/", data)
    assert response.status_code == 400 and "21.0" in response.content.decode()
    assert not Score.objects.filter(unit=unit).exists()
    page = county.post(f"/pilots/reviews/{review.pk}/publish/", follow=True).content.decode()
    assert "alert-danger" in page and "首南街道" in page
    review.refresh_from_db()
    assert review.state == "draft" and not review.results.exists()


def test_closing_an_item_without_evidence_through_the_page_changes_nothing(world, client_for):
    target = RectificationTarget.objects.create(branch=world.zhonghe_branch, year=2025)
    item = RectificationItem.objects.create(target=target, problem="台账不全", action="补齐", owner="支书",
                                            deadline=dt.date(2025, 12, 31))  # fmt: skip
    page = client_for("county").post(f"/pilots/rectification/items/{item.pk}/close/", {"evidence": "  "},
                                     follow=True).content.decode()  # fmt: skip
    assert "alert-danger" in page
    item.refresh_from_db()
    assert item.closed_at is None and item.signed_off_by is None


def _inspection_post(units, **over):
    return {"year": 2026, "quarter": 2, "held_on": "2026-05-20", "plan": "第二季度督导", "team": "王五 组织部",
            "methods": ["ledgers", "talks"], "units": [u.pk for u in units], **over}  # fmt: skip


def test_county_records_an_inspection_and_a_finding_that_lands_on_the_ledger(world, client_for):
    county = client_for("county")
    assert 'data-testid="inspection-new"' in county.get("/pilots/inspections/").content.decode()
    assert (
        'data-testid="inspection-new"'
        not in client_for("street").get("/pilots/inspections/").content.decode()
    )
    assert client_for("street").get("/pilots/inspections/new/").status_code == 403
    response = county.post("/pilots/inspections/new/", _inspection_post([world.zhonghe_branch], methods=[]))
    assert response.status_code == 400 and Inspection.objects.count() == 0
    response = county.post("/pilots/inspections/new/", _inspection_post([world.zhuangqiao]))  # another county
    assert response.status_code == 400 and Inspection.objects.count() == 0
    response = county.post(
        "/pilots/inspections/new/", _inspection_post([world.zhonghe_branch, world.shounan])
    )
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/pilots/inspections/{inspection.pk}/"
    assert set(inspection.units.all()) == {world.zhonghe_branch, world.shounan}

    finding_url = f"/pilots/inspections/{inspection.pk}/findings/"
    refused = county.post(finding_url, {"organization": world.zhonghe_branch.pk, "text": "团费记录缺失",
                                        "action": "补齐团费记录", "owner": "支书"})  # fmt: skip
    assert refused.status_code == 400 and "invalid-feedback" in refused.content.decode()
    assert InspectionFinding.objects.count() == 0 and RectificationItem.objects.count() == 0
    target = RectificationTarget.objects.create(branch=world.zhonghe_branch, year=2026)
    response = county.post(finding_url, {"organization": world.zhonghe_branch.pk, "text": "团费记录缺失",
                                         "action": "补齐团费记录", "owner": "支书", "deadline": "2026-06-30"})  # fmt: skip
    assert response.status_code == 302
    item = target.items.get()
    assert item.finding.inspection == inspection and item.deadline == dt.date(2026, 6, 30)
    report = county.get(f"/pilots/inspections/{inspection.pk}/quarter/").content.decode()
    assert "团费记录缺失" in report

    edit = county.post(f"/pilots/inspections/{inspection.pk}/edit/", _inspection_post([world.shounan]))
    assert edit.status_code == 400  # the finding's unit cannot be dropped
    assert set(inspection.units.all()) == {world.zhonghe_branch, world.shounan}
    edit = county.post(f"/pilots/inspections/{inspection.pk}/edit/",
                       _inspection_post([world.zhonghe_branch], quarter=3, methods=["on_site"]))  # fmt: skip
    assert edit.status_code == 302
    inspection.refresh_from_db()
    assert inspection.quarter == 3 and inspection.methods == ["on_site"]


def test_county_schedules_a_hearing_of_five_to_eight_and_comments(world, client_for):
    extra = OrganizationFactory(code="ZJ-NB-YZ-ZH-02", name="中河街道第二团支部", parent=world.zhonghe)
    units = [world.zhonghe, world.shounan, world.zhonghe_branch, world.shounan_branch]
    county = client_for("county")
    assert 'data-testid="hearing-new"' in county.get("/pilots/hearings/").content.decode()
    response = county.post("/pilots/hearings/new/", {"held_on": "2026-04-08", "units": [u.pk for u in units]})
    assert response.status_code == 400 and "invalid-feedback" in response.content.decode()
    assert Hearing.objects.count() == 0 and HearingReport.objects.count() == 0
    response = county.post("/pilots/hearings/new/", {"held_on": "2026-04-08", "units": [u.pk for u in units + [extra]],
                                                     "comments": "逐一点评"})  # fmt: skip
    hearing = Hearing.objects.get()
    assert response.status_code == 302 and hearing.speakers.count() == 5
    assert {r.due_on for r in hearing.speakers.all()} == {dt.date(2026, 4, 15)}
    report = hearing.speakers.get(organization=world.zhonghe)
    assert county.post(f"/pilots/hearings/reports/{report.pk}/comment/", {"comment": " "}).status_code == 302
    report.refresh_from_db()
    assert report.comment == ""
    county.post(f"/pilots/hearings/reports/{report.pk}/comment/", {"comment": "阵地建设需加强"})
    report.refresh_from_db()
    assert report.comment == "阵地建设需加强"
    assert client_for("street").post(f"/pilots/hearings/reports/{report.pk}/comment/",
                                     {"comment": "x"}).status_code == 404  # fmt: skip
    page = client_for("street").get(f"/pilots/hearings/reports/{report.pk}/").content.decode()
    assert "阵地建设需加强" in page


def _counties(world):
    for code, name in (("ZJ-NB-HS", "团海曙区委"), ("ZJ-NB-BL", "团北仑区委")):
        OrganizationFactory(code=code, name=name, level=Level.COUNTY, parent=world.city)
    return list(world.city.children.order_by("path"))


def _ranking_post(units, scores, year):
    data = {"year": year, "rows-TOTAL_FORMS": len(units), "rows-INITIAL_FORMS": len(units),
            "rows-MIN_NUM_FORMS": 0, "rows-MAX_NUM_FORMS": 500}  # fmt: skip
    for i, (unit, score) in enumerate(zip(units, scores, strict=True)):
        data[f"rows-{i}-organization"] = unit.pk
        data[f"rows-{i}-score"] = score
    return data


def test_city_records_rankings_and_the_ladder_proposes_a_warning_talk(world, client_for):
    units = _counties(world)
    city = client_for("city")
    url = f"/pilots/escalation/{world.city.pk}/ranking/"
    assert client_for("county").get(url).status_code == 404  # the city is above the county's scope
    response = city.post(url, _ranking_post(units, [95, 101, 80, 70], 2024))
    assert response.status_code == 400 and "100" in response.content.decode()
    assert YearlyRanking.objects.count() == 0
    worst = units[3]
    assert city.post(url, _ranking_post(units, [95, 90, 80, 70], 2024)).status_code == 302
    assert city.post(url, _ranking_post(units, [88, 90, 85, 60], 2025)).status_code == 302
    page = city.get(f"/pilots/escalation/{world.city.pk}/?year=2025").content.decode()
    assert "告诫约谈" in page and "2024年 第4名" in page
    response = city.post(f"/pilots/escalation/{world.city.pk}/",
                         {"organization": worst.pk, "year": 2025, "held_on": "2026-01-20", "note": "已约谈"})  # fmt: skip
    assert Escalation.objects.get(organization=worst).step.name == "告诫约谈"
    response = city.post(url, _ranking_post(units, [10, 20, 30, 40], 2025))
    assert response.status_code == 400
    assert YearlyRanking.objects.get(year=2025, organization=worst).score == 60
    index = city.get("/pilots/escalation/").content.decode()
    assert world.city.name in index and "2025" in index
    assert city.get("/pilots/escalation/?year=abc").status_code == 200
    assert city.get(f"/pilots/escalation/{world.city.pk}/?year=9999999999999").status_code == 200


def test_self_rating_after_review_says_so_and_keeps_the_score(world, client_for):
    rnd = rated_round(world.county, world.users["county"], [85, 75])
    rating = rnd.ratings.get(branch=world.zhonghe_branch)
    data = {"team": 10, "members": 10, "activities": 10, "rules": 10, "role": 10, "do": "self"}
    response = client_for("county").post(f"/pilots/ratings/branch/{rating.pk}/", data)
    assert response.status_code == 400 and "alert-danger" in response.content.decode()
    rating.refresh_from_db()
    assert rating.self_total == 85


def test_new_staff_lists_keep_their_query_count(world, client_for):
    from django.db import connection

    units = _counties(world)
    user = world.users["city"]
    client = client_for("city")
    counts = []
    for year in (2023, 2024):
        services.ranking_record(
            by=user, city=world.city, year=year, scores={u: 50 + i for i, u in enumerate(units)}
        )
        OrganizationFactory(
            code=f"ZJ-NB-X{year}", name=f"团新区{year}", level=Level.COUNTY, parent=world.city
        )
        units = list(world.city.children.order_by("path"))
        for url in ("/pilots/escalation/", f"/pilots/escalation/{world.city.pk}/ranking/"):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            counts.append((url, len(ctx)))
    assert counts[0][1] == counts[2][1] and counts[1][1] == counts[3][1], counts


def test_a_far_date_is_refused_on_its_field_not_a_server_error(world, client_for):
    for i in range(2, 4):
        OrganizationFactory(code=f"ZJ-NB-YZ-ZH-0{i}", name=f"中河街道第{i}团支部", parent=world.zhonghe)
    units = list(world.county.descendants().filter(depth__lte=world.county.depth + 2))[:5]
    county = client_for("county")
    response = county.post("/pilots/hearings/new/", {"held_on": "9999-12-31", "units": [u.pk for u in units]})
    assert response.status_code == 400 and "invalid-feedback" in response.content.decode()
    assert Hearing.objects.count() == 0
    response = county.post("/pilots/inspections/new/", _inspection_post(units[:1], held_on="9999-12-31"))
    assert response.status_code == 400 and Inspection.objects.count() == 0
