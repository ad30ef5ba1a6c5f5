"""URL walk samples of assessment pages (merged into tests/pilots/urlsamples.py). Objects of 中河街道."""

import datetime as dt

from django.core.files.base import ContentFile

from pilots.assessment import services
from pilots.assessment.models import (
    AwardApplication,
    BranchRating,
    Hearing,
    HearingReport,
    Inspection,
    RatingRound,
    RectificationItem,
    RectificationTarget,
    StageReview,
)
from tests.pilots.assessment_helpers import FULL
from tests.urlwalk import Sample

COUNTY_ONLY = {"street", "street_sibling", "instructor", "other_county", "outsider"}


def _program(w):
    from tests.pilots.urlsamples import _program as program

    return program(w)


def _review(w):
    program = _program(w)
    review = StageReview.objects.filter(scheme__program=program).first()
    if review is None:
        county = w.users["county"]
        scheme = services.scheme_create(by=county, program=program)
        review = services.review_create(by=county, scheme=scheme, title="样本评审", members="张三")
        for unit in program.units.all():
            services.unit_score(by=county, review=review, unit=unit, points={**FULL, "reporting": 0})
        review = services.review_publish(by=county, review=review)
    return review


def _application(w):
    review = _review(w)
    unit = review.scheme.program.units.get(organization=w.zhonghe)
    return AwardApplication.objects.filter(unit=unit).first() or services.award_apply(
        by=w.users["county"], unit=unit, award="red_flag", statement="事迹"
    )


def _round(w):
    return RatingRound.objects.get_or_create(county=w.county, year=2025)[0]


def _rating(w):
    return BranchRating.objects.get_or_create(round=_round(w), branch=w.zhonghe_branch)[0]


def _target(w):
    return RectificationTarget.objects.get_or_create(branch=w.zhonghe_branch, year=2025)[0]


def _item(w):
    item = RectificationItem.objects.filter(target=_target(w)).first()
    if item is None:
        item = RectificationItem.objects.create(
            target=_target(w), problem="问题", action="措施", owner="支书", deadline=dt.date(2025, 12, 31),
            evidence="会议记录", signed_off_by=w.users["county"], closed_at=dt.datetime(2025, 12, 1, tzinfo=dt.UTC),
            evidence_name="记录.png", evidence_type="image/png",
        )  # fmt: skip
        item.evidence_file.save("记录.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32), save=True)
    return item


def _inspection(w):
    inspection = Inspection.objects.filter(city=w.county).first()
    if inspection is None:
        inspection = Inspection.objects.create(city=w.county, year=2025, quarter=4, plan="计划", team="督导组",
                                               methods=["ledgers"], held_on=dt.date(2025, 11, 1))  # fmt: skip
        inspection.units.set([w.zhonghe_branch])
    return inspection


def _hearing(w):
    return Hearing.objects.get_or_create(organization=w.county, held_on=dt.date(2025, 11, 5))[0]


def _hearing_report(w):
    return HearingReport.objects.get_or_create(hearing=_hearing(w), organization=w.zhonghe,
                                               defaults={"due_on": dt.date(2025, 11, 12)})[0]  # fmt: skip


SAMPLES = {
    "stage_review_id": lambda w: Sample(_review(w).pk, hidden={"other_county", "outsider"}),
    "award_application_id": lambda w: Sample(_application(w).pk),
    "rating_round_id": lambda w: Sample(_round(w).pk, hidden=COUNTY_ONLY),
    "branch_rating_id": lambda w: Sample(_rating(w).pk),
    "rectification_target_id": lambda w: Sample(_target(w).pk),
    "rectification_item_id": lambda w: Sample(_item(w).pk),
    "inspection_id": lambda w: Sample(_inspection(w).pk, hidden=COUNTY_ONLY),
    "hearing_id": lambda w: Sample(_hearing(w).pk, hidden=COUNTY_ONLY),
    "hearing_report_id": lambda w: Sample(_hearing_report(w).pk),
}

# Pages whose action the role does not allow (the persona sees the object): 403.
FORBIDDEN = {
    "pilots:scheme_criteria": {"street", "street_sibling", "instructor"},
    "pilots:ranking_edit": {"street", "instructor"},
}
