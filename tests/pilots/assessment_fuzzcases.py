"""Fuzz cases for the assessment forms (merged into tests/pilots/fuzzcases.py). Objects of 鄞州区 / 中河街道.

A URL builder runs before each example (outside the row count), so it can put back what a successful
example used up: an open item to close, an unsubmitted hearing report, a target to re-check.
"""

import datetime as dt

from pilots.assessment import services
from pilots.assessment.models import (
    HearingReport,
    RectificationItem,
    RectificationTarget,
    TargetState,
    YearlyRanking,
)
from tests.fuzzing import FormCase
from tests.pilots.assessment_samples import _hearing, _hearing_report, _inspection, _review, _target


def _scheme(w):
    return _review(w).scheme


def _award_url(w) -> str:
    unit = _review(w).scheme.program.units.get(organization=w.zhonghe)
    return f"/pilots/units/{unit.pk}/award/"


def _open_target(w) -> RectificationTarget:
    target = _target(w)
    if target.state != TargetState.OPEN:
        RectificationTarget.objects.filter(pk=target.pk).update(state=TargetState.OPEN, closed_at=None)
        target.refresh_from_db()
    return target


def _open_item_url(w) -> str:
    target = _open_target(w)
    item = RectificationItem.objects.filter(target=target, closed_at__isnull=True).first()
    if item is None:
        item = RectificationItem.objects.create(target=target, problem="台账不全", action="补齐台账", owner="支书",
                                                deadline=dt.date(2026, 12, 31))  # fmt: skip
    return f"/pilots/rectification/items/{item.pk}/close/"


def _recheck_url(w) -> str:
    """首南's target with every item closed, open for the re-check."""
    target, _created = RectificationTarget.objects.get_or_create(branch=w.shounan_branch, year=2025)
    if target.state != TargetState.OPEN:
        RectificationTarget.objects.filter(pk=target.pk).update(state=TargetState.OPEN, closed_at=None)
    if not target.items.exists():
        RectificationItem.objects.create(target=target, problem="问题", action="措施", owner="支书",
                                         deadline=dt.date(2025, 12, 31), evidence="记录", signed_off_by=w.users["county"],
                                         closed_at=dt.datetime(2025, 12, 1, tzinfo=dt.UTC))  # fmt: skip
    return f"/pilots/rectification/{target.pk}/"


def _ranked(w) -> list:
    """A 2025 ranking of four units under 鄞州区; the bottom three are proposed a reminder talk."""
    units = [w.zhonghe, w.shounan, w.zhonghe_branch, w.shounan_branch]
    if not YearlyRanking.objects.filter(city=w.county, year=2025).exists():
        services.ranking_record(by=w.users["county"], city=w.county, year=2025,
                                scores=dict(zip(units, [90, 80, 70, 60], strict=True)))  # fmt: skip
    return units


def _escalation_url(w) -> str:
    _ranked(w)
    return f"/pilots/escalation/{w.county.pk}/"


def _hearing_report_url(w) -> str:
    report = (
        HearingReport.objects.filter(hearing=_hearing(w), organization=w.zhonghe, submitted_on__isnull=True).first()
    )  # fmt: skip
    if report is None:
        HearingReport.objects.filter(hearing=_hearing(w), organization=w.zhonghe).delete()
        report = HearingReport.objects.create(
            hearing=_hearing(w), organization=w.zhonghe, due_on=dt.date(2025, 11, 12)
        )
    return f"/pilots/hearings/reports/{report.pk}/"


ASSESSMENT_FUZZ = {
    "pilots.assessment.forms.ReviewForm": FormCase(
        persona="county",
        url=lambda w: f"/pilots/programs/{_scheme(w).program_id}/assessment/",
        choices=lambda w: {"phase": list(_scheme(w).program.phases.values_list("pk", flat=True))},
    ),
    "pilots.assessment.forms.CorrectForm": FormCase(
        persona="county", url=lambda w: f"/pilots/reviews/{_review(w).pk}/correct/", follow=True
    ),
    "pilots.assessment.forms.AwardForm": FormCase(persona="street", url=_award_url),
    "pilots.assessment.forms.RoundForm": FormCase(
        persona="county", url=lambda w: "/pilots/ratings/", fixed=lambda w: {"county": w.county.pk}
    ),
    "pilots.assessment.forms.ItemForm": FormCase(
        persona="street", url=lambda w: f"/pilots/rectification/{_open_target(w).pk}/"
    ),
    "pilots.assessment.forms.CloseItemForm": FormCase(
        persona="county", url=_open_item_url, multipart=True, follow=True
    ),
    "pilots.assessment.forms.RecheckForm": FormCase(
        persona="county", url=_recheck_url, fixed=lambda w: {"do": "recheck"}
    ),
    "pilots.assessment.forms.EscalationForm": FormCase(
        persona="county",
        url=_escalation_url,
        fixed=lambda w: {"year": 2025},
        choices=lambda w: {"organization": [o.pk for o in _ranked(w)]},
        follow=True,
    ),
    "pilots.assessment.forms.HearingReportForm": FormCase(persona="street", url=_hearing_report_url),
}


# --- the staff pages: criteria, inspections, findings, hearings, rankings -----------------------------------


def _free_scheme(w):
    """A scheme of a second program with no review yet, so its criteria can still change."""
    from pilots.assessment.models import AssessmentScheme
    from tests.pilots.factories import monthly_program

    scheme = AssessmentScheme.objects.filter(program__name="评分方案样本").first()
    if scheme is None:
        program = monthly_program(w.county, [w.shounan], name="评分方案样本")
        scheme = services.scheme_create(by=w.users["county"], program=program)
    return scheme


def _criteria_rows(w, skip_first: bool) -> dict:
    maxima = [15, 20, 25, 20, 20]
    data = {"criteria-TOTAL_FORMS": 5, "criteria-INITIAL_FORMS": 5, "criteria-MIN_NUM_FORMS": 0,
            "criteria-MAX_NUM_FORMS": 12}  # fmt: skip
    for i, points in enumerate(maxima):
        if i == 0 and skip_first:
            continue
        data.update({f"criteria-{i}-name": f"指标{i}", f"criteria-{i}-max_points": points})
    return data


def _criteria_url(w) -> str:
    return f"/pilots/programs/{_free_scheme(w).program_id}/assessment/criteria/"


def _more_units(w) -> list:
    """Four counties under 宁波 (two more than the world has), so that a ranking can be recorded."""
    from league.models import Level, Organization
    from tests.factories import OrganizationFactory

    for code, name in (("ZJ-NB-HS", "团海曙区委"), ("ZJ-NB-BL", "团北仑区委")):
        if not Organization.objects.filter(code=code).exists():
            OrganizationFactory(code=code, name=name, level=Level.COUNTY, parent=w.city)
    return list(w.city.children.order_by("path"))


def _ranking_rows(w, skip_first: bool) -> dict:
    units = _more_units(w)
    data = {"rows-TOTAL_FORMS": len(units), "rows-INITIAL_FORMS": len(units), "rows-MIN_NUM_FORMS": 0,
            "rows-MAX_NUM_FORMS": 500}  # fmt: skip
    for i, org in enumerate(units):
        if i == 0 and skip_first:
            continue
        data.update({f"rows-{i}-organization": org.pk, f"rows-{i}-score": 90 - i * 5})
    return data


ASSESSMENT_FUZZ.update({
    "pilots.assessment.forms.CriterionForm": FormCase(
        persona="county", url=_criteria_url, prefix="criteria-0", fixed=lambda w: _criteria_rows(w, True)
    ),
    "pilots.assessment.forms.VetoItemsForm": FormCase(
        persona="county", url=_criteria_url, fixed=lambda w: _criteria_rows(w, False)
    ),
    "pilots.assessment.forms.InspectionForm": FormCase(
        persona="county",
        url=lambda w: f"/pilots/inspections/new/?org={w.county.pk}",
        choices=lambda w: {"units": [w.zhonghe.pk, w.shounan.pk, w.zhonghe_branch.pk]},
    ),
    "pilots.assessment.forms.FindingForm": FormCase(
        persona="county",
        url=lambda w: (_open_target(w), f"/pilots/inspections/{_inspection(w).pk}/findings/")[1],
        choices=lambda w: {"organization": [w.zhonghe_branch.pk]},
    ),
    "pilots.assessment.forms.HearingForm": FormCase(
        persona="county",
        url=lambda w: f"/pilots/hearings/new/?org={w.county.pk}",
        choices=lambda w: {"units": [w.zhonghe.pk, w.shounan.pk, w.zhonghe_branch.pk, w.shounan_branch.pk]},
    ),
    "pilots.assessment.forms.SpeakerCommentForm": FormCase(
        persona="county", url=lambda w: f"/pilots/hearings/reports/{_hearing_report(w).pk}/comment/", follow=True
    ),
    "pilots.assessment.forms.RankingForm": FormCase(
        persona="city",
        url=lambda w: (_more_units(w), f"/pilots/escalation/{w.city.pk}/ranking/")[1],
        fixed=lambda w: _ranking_rows(w, False),
    ),
    "pilots.assessment.forms.RankingRowForm": FormCase(
        persona="city",
        url=lambda w: (_more_units(w), f"/pilots/escalation/{w.city.pk}/ranking/")[1],
        prefix="rows-0",
        fixed=lambda w: {**_ranking_rows(w, True), "year": 2024},
        choices=lambda w: {"organization": [o.pk for o in _more_units(w)]},
    ),
})  # fmt: skip
