"""Supervision, step by step: pledge, review with scores, recommendation, talk, order to resign."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from league import services
from league.models import AssignmentKind, EndReason, Review, SeatRole, TalkOutcome
from tests.factories import RegionFactory, SeatFactory, TermFactory

D = dt.date(2024, 6, 1)


@pytest.fixture
def seat(world, lineup_rules):
    term = TermFactory(
        organization=world.zhonghe, number=1, start=dt.date(2024, 1, 1), end=dt.date(2029, 1, 1)
    )
    return SeatFactory(term=term, role=SeatRole.DEPUTY)


def test_review_average_and_recommendation(world, seat):
    review = services.review_record(by=world.users["street"], seat=seat, held_on=D, period="2024年上半年",
                                    scores=[("李明", "92", "好"), ("王芳", 88, ""), ("赵强", "95.5", "")])  # fmt: skip
    assert review.scores.count() == 3
    from django.db.models import Avg

    assert review.scores.aggregate(a=Avg("score"))["a"] == pytest.approx(Decimal("91.8"), abs=Decimal("0.1"))
    rec = services.recommendation_record(by=world.users["street"], seat=seat, target="社区干部", proposed_on=D,
                                         review=review)  # fmt: skip
    services.recommendation_decide(by=world.users["county"], recommendation=rec, outcome="accepted")
    rec.refresh_from_db()
    assert rec.outcome == "accepted" and rec.history.count() == 2


@pytest.mark.parametrize(
    "scores, message",
    [([], "至少填写一位"), ([("李明", "120", "")], "0到100"), ([("李明", "九十", "")], "不是数字"),
     ([("李明", 90, ""), ("李明", 80, "")], "重复评分"), ([("", 90, "")], "请填写代表姓名")],
)  # fmt: skip
def test_bad_score_sheets_are_refused_and_nothing_is_stored(world, seat, scores, message):
    with pytest.raises(ValidationError) as exc:
        services.review_record(by=world.users["street"], seat=seat, held_on=D, period="2024", scores=scores)
    assert message in " ".join(exc.value.messages)
    assert not Review.objects.exists()


def test_order_to_resign_needs_a_talk_that_changed_nothing(world, seat):
    county = world.users["county"]
    with pytest.raises(ValidationError, match="须先记录劝勉谈话"):
        services.seat_order_resignation(by=county, seat=seat, on=D, reason="未兑现承诺")
    talk = services.talk_record(by=county, seat=seat, held_on=dt.date(2024, 4, 1), talked_by="陈鄞青",
                                content="未按承诺联系青年")  # fmt: skip
    with pytest.raises(ValidationError, match="仍未改进"):
        services.seat_order_resignation(by=county, seat=seat, on=D, reason="未兑现承诺")
    services.talk_conclude(by=county, talk=talk, outcome=TalkOutcome.NO_CHANGE)
    with pytest.raises(PermissionDenied):  # a secretary keeps the lineup but does not order resignations
        services.seat_order_resignation(by=world.users["street"], seat=seat, on=D, reason="未兑现承诺")
    services.seat_order_resignation(by=county, seat=seat, on=D, reason="劝勉后仍未整改")
    seat.refresh_from_db()
    assert (seat.end, seat.end_reason, seat.end_note) == (D, EndReason.ORDERED, "劝勉后仍未整改")
    last = seat.history.order_by("-history_date").first()
    assert last.history_user == county and last.end == D
    deputies = [v for v in seat.term.status(D).vacancies if v.role == SeatRole.DEPUTY]
    assert deputies and deputies[0].since == D


def test_pledge_and_division_of_work(world, seat):
    services.pledge_record(
        by=world.users["street"], seat=seat, text="每月走访两个非公企业团组织", on=dt.date(2024, 1, 1)
    )
    region = RegionFactory(organization=world.zhonghe, name="第一片区")
    services.assignment_add(by=world.users["street"], seat=seat, kind=AssignmentKind.REGION, region=region)
    with pytest.raises(ValidationError) as exc:
        services.assignment_add(by=world.users["street"], seat=seat, kind=AssignmentKind.REGION,
                                region=RegionFactory(organization=world.shounan))  # fmt: skip
    assert "region" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.assignment_add(by=world.users["street"], seat=seat, kind=AssignmentKind.SECTOR, label=" ")
    assert "label" in exc.value.message_dict
    assert seat.assignments.count() == 1


def test_supervision_pages_record_each_step(world, seat, client_for):
    county = client_for("county")
    url = f"/seats/{seat.pk}/"
    r = county.post(url, {"form": "pledge", "pledge-pledge": "联系青年", "pledge-pledged_on": "2024-01-01"})
    assert r.status_code == 302
    r = county.post(url, {"form": "review", "review-held_on": "2024-06-01", "review-period": "2024",
                          "review-scores": "李明, 90, 好\n王芳，80"})  # fmt: skip
    assert r.status_code == 302
    review = seat.reviews.get()
    assert client_for("street").get(f"/reviews/{review.pk}/").status_code == 200
    r = county.post(url, {"form": "review", "review-held_on": "2024-06-01", "review-period": "2024",
                          "review-scores": "李明, 200"})  # fmt: skip
    assert r.status_code == 200 and "0到100" in r.content.decode()
    assert seat.reviews.count() == 1
    r = county.post(url, {"form": "talk", "talk-held_on": "2024-06-02", "talk-talked_by": "陈鄞青",
                          "talk-content": "提醒", "talk-outcome": "no_change"})  # fmt: skip
    assert r.status_code == 302
    assert (
        client_for("street")
        .post(url, {"form": "order", "order-on": "2024-06-03", "order-reason": "x"})
        .status_code
        == 403
    )
    r = county.post(url, {"form": "order", "order-on": "2024-06-03", "order-reason": "劝勉后仍未整改"})
    assert r.status_code == 302
    seat.refresh_from_db()
    assert seat.end_reason == EndReason.ORDERED
    body = county.get(url).content.decode()
    assert "责令辞职" in body and "劝勉后仍未整改" in body
