"""Pages of assessment, ratings, rectification, inspections, escalation and hearings.

Every view starts from a scoped queryset: out of scope → 404, visible but not allowed → 403.
"""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from league import policies, uploads
from league.exports import xlsx_response
from league.models import Level
from league.pagination import first_page_or_paginate

from ..models import today
from ..selectors import programs_for, units_for
from . import rules, services, sources
from .forms import (
    HOST_LEVELS,
    AwardForm,
    CloseItemForm,
    CorrectForm,
    EscalationForm,
    FindingForm,
    HearingReportForm,
    ItemForm,
    RecheckForm,
    ReviewForm,
    RoundForm,
)
from .models import (
    AssessmentScheme,
    AwardApplication,
    BranchRating,
    Escalation,
    Hearing,
    HearingReport,
    Inspection,
    RatingRound,
    RectificationItem,
    RectificationTarget,
    Score,
    StageReview,
    TargetState,
    YearlyRanking,
)


def _error(request, form, exc: services.AssessmentError):
    if form is not None and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        messages.error(request, exc.message)


def reviews_for(user):
    return StageReview.objects.filter(scheme__program__in=programs_for(user)).select_related(
        "scheme__program__organization", "phase"
    )


# --- assessment --------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def program_assessment(request, program_id: int):
    program = get_object_or_404(programs_for(request.user), pk=program_id)
    can_manage = policies.can(request.user, "manage", program.organization)
    scheme = AssessmentScheme.objects.filter(program=program).first()
    form = ReviewForm(request.POST or None, program=program) if scheme else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        try:
            if scheme is None:
                services.scheme_create(by=request.user, program=program,
                                       veto_items=request.POST.get("veto_items", "").splitlines())  # fmt: skip
                messages.success(request, _("Assessment scheme created with the five default criteria."))
                return redirect("pilots:program_assessment", program.pk)
            if form.is_valid():
                review = services.review_create(by=request.user, scheme=scheme, **form.cleaned_data)
                messages.success(request, _("Stage review opened; score every unit."))
                return redirect("pilots:review_detail", review.pk)
        except services.AssessmentError as exc:
            _error(request, form, exc)
    context = {"program": program, "scheme": scheme, "form": form, "can_manage": can_manage,
               "criteria": list(scheme.criteria.all()) if scheme else [],
               "veto_items": list(scheme.veto_items.all()) if scheme else [],
               "reviews": list(scheme.reviews.all()) if scheme else []}  # fmt: skip
    return render(request, "pilots/assessment/program.html", context)


@require_GET
def review_detail(request, stage_review_id: int):
    review = get_object_or_404(reviews_for(request.user), pk=stage_review_id)
    can_manage = policies.can(request.user, "manage", review.scheme.program.organization)
    if review.is_frozen:
        rows = [{"unit": r.unit, "total": r.total, "rank": r.rank, "vetoed": r.vetoed, "scored": True}
                for r in review.results.select_related("unit__organization")]  # fmt: skip
    else:
        if not can_manage:
            raise PermissionDenied  # scores are the review group's until published
        rows = services.totals(review)
    if request.GET.get("format") == "xlsx":
        from .resources import ResultResource

        return xlsx_response(ResultResource(), review.results.select_related("unit__organization", "review"),
                             "assessment")  # fmt: skip
    context = {"review": review, "rows": rows, "can_manage": can_manage, "correct_form": CorrectForm(),
               "criteria": list(review.scheme.criteria.all()),
               "correction": StageReview.objects.filter(corrects=review).first()}  # fmt: skip
    return render(request, "pilots/assessment/review.html", context)


@require_http_methods(["GET", "POST"])
def unit_score(request, stage_review_id: int, unit_id: int):
    review = get_object_or_404(reviews_for(request.user), pk=stage_review_id)
    unit = get_object_or_404(units_for(request.user).filter(program=review.scheme.program_id), pk=unit_id)
    policies.require(request.user, "manage", review.scheme.program.organization)
    criteria = list(review.scheme.criteria.all())
    existing = {s.criterion_id: s for s in Score.objects.filter(review=review, unit=unit)}
    reporting = next((c for c in criteria if c.key == rules.REPORTING_KEY), None)
    proposal = services.reporting_proposal(review, unit, reporting) if reporting else None
    on_time, expected = services.reporting_rate(review, unit)
    vetoed_ids = set(review.vetoes.filter(unit=unit).values_list("item_id", flat=True))
    veto_items = list(review.scheme.veto_items.all())
    errors: dict[str, str] = {}
    proposals = {c.pk: sources.propose(review, unit, c) for c in criteria}
    values = {c.key: (existing[c.pk].points if c.pk in existing else (proposals[c.pk].points if proposals[c.pk] else ""))
              for c in criteria}  # fmt: skip
    comments = {c.key: existing[c.pk].comment if c.pk in existing else "" for c in criteria}
    adjust_reason = next((existing[c.pk].adjust_reason for c in criteria if c.pk in existing
                          and existing[c.pk].adjust_reason), "")  # fmt: skip
    if request.method == "POST":
        values = {c.key: request.POST.get(f"points_{c.key}", "").strip() for c in criteria}
        comments = {c.key: request.POST.get(f"comment_{c.key}", "") for c in criteria}
        adjust_reason = request.POST.get("adjust_reason", "")
        chosen = [v for v in veto_items if str(v.pk) in request.POST.getlist("vetoes")]
        vetoed_ids = {v.pk for v in chosen}
        try:
            services.unit_score(by=request.user, review=review, unit=unit, points=values, comments=comments,
                                adjust_reason=adjust_reason, vetoes=chosen)  # fmt: skip
            messages.success(request, _("Scores of %(unit)s saved.") % {"unit": unit})
            return redirect("pilots:review_detail", review.pk)
        except services.AssessmentError as exc:
            errors[exc.field or "__all__"] = exc.message
    rows = [{"criterion": c, "value": values[c.key], "comment": comments[c.key], "error": errors.get(c.key),
             "proposal": proposals[c.pk]} for c in criteria]  # fmt: skip
    context = {"review": review, "unit": unit, "rows": rows, "proposal": proposal, "on_time": on_time,
               "expected": expected, "adjust_reason": adjust_reason, "errors": errors, "veto_items": veto_items,
               "vetoed_ids": vetoed_ids, "reporting": reporting, "has_proposals": any(proposals.values()),
               "references": services.reference_figures(review, unit)}  # fmt: skip
    return render(request, "pilots/assessment/score.html", context, status=400 if errors else 200)


@require_POST
def review_publish(request, stage_review_id: int):
    review = get_object_or_404(reviews_for(request.user), pk=stage_review_id)
    policies.require(request.user, "manage", review.scheme.program.organization)
    try:
        services.review_publish(by=request.user, review=review)
        messages.success(request, _("Results published and frozen."))
    except services.AssessmentError as exc:
        messages.error(request, exc.message)
    return redirect("pilots:review_detail", review.pk)


@require_POST
def review_correct(request, stage_review_id: int):
    review = get_object_or_404(reviews_for(request.user), pk=stage_review_id)
    policies.require(request.user, "manage", review.scheme.program.organization)
    form = CorrectForm(request.POST)
    try:
        if not form.is_valid():
            raise services.AssessmentError(_("Give the reason for the correction."), "reason")
        new = services.review_correct(by=request.user, review=review, reason=form.cleaned_data["reason"])
        messages.success(request, _("Correction opened as version %(v)s.") % {"v": new.version})
        return redirect("pilots:review_detail", new.pk)
    except services.AssessmentError as exc:
        messages.error(request, exc.message)
    return redirect("pilots:review_detail", review.pk)


@require_http_methods(["GET", "POST"])
def award_apply(request, unit_id: int):
    unit = get_object_or_404(units_for(request.user), pk=unit_id)
    org = unit.organization
    if not (policies.can(request.user, "file", org) or policies.can(request.user, "manage", org)):
        raise PermissionDenied
    result = services.current_result(unit)
    form = AwardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.award_apply(by=request.user, unit=unit, **form.cleaned_data)
            messages.success(request, _("Application filed with the unit's assessment."))
            return redirect("pilots:award_detail", application.pk)
        except services.AssessmentError as exc:
            _error(request, form, exc)
    return render(
        request, "pilots/assessment/award_form.html", {"unit": unit, "result": result, "form": form}
    )


@require_GET
def award_detail(request, award_application_id: int):
    qs = AwardApplication.objects.for_user(request.user).select_related(
        "unit__organization", "unit__program", "result__review"
    )
    application = get_object_or_404(qs, pk=award_application_id)
    scores = Score.objects.filter(review=application.result.review, unit=application.unit).select_related(
        "criterion"
    )
    return render(
        request, "pilots/assessment/award_detail.html", {"application": application, "scores": scores}
    )


# --- star ratings ------------------------------------------------------------------------------------------


_STAR_COUNTS_SQL = """
SELECT r.{county}, r.{year}, b.{stars}, COUNT(b.{id})
FROM {ratings} b INNER JOIN {rounds} r ON b.{round} = r.{round_id}
WHERE r.{county} IN ({counties}) AND b.{stars} IS NOT NULL
GROUP BY r.{county}, r.{year}, b.{stars}"""


def star_counts(county_ids: list[int]) -> list[tuple[int, int, int, int]]:
    """(county id, year, stars, ratings) of the given counties' rated branches: BranchRating.objects.filter(
    round__county__in=county_ids, stars__isnull=False).values("round__county", "round__year", "stars")
    .annotate(n=Count("id")) in SQL written once (the ORM spent ~1 ms of CPU building it for a province's 60
    counties; tests/pilots/test_ratings_list.py compares the two)."""
    if not county_ids:
        return []
    connection = connections[BranchRating.objects.db]
    quote = connection.ops.quote_name
    ratings, rounds = BranchRating._meta, RatingRound._meta
    sql = _STAR_COUNTS_SQL.format(
        ratings=quote(ratings.db_table), rounds=quote(rounds.db_table),
        county=quote(rounds.get_field("county").column), year=quote(rounds.get_field("year").column),
        round_id=quote(rounds.pk.column), stars=quote(ratings.get_field("stars").column),
        id=quote(ratings.pk.column), round=quote(ratings.get_field("round").column),
        counties=", ".join(["%s"] * len(county_ids)),
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, [int(pk) for pk in county_ids])
        return cursor.fetchall()


def distribution(counties) -> tuple[list[dict], dict]:
    """Star counts per county (rows) and for all of them (totals), from one grouped query."""
    rows = {c.pk: {"county": c, "counts": Counter(), "total": 0} for c in counties}
    data = star_counts(list(rows))
    latest = {}
    for county, year, _stars, _n in data:
        latest[county] = max(latest.get(county, 0), year)
    for county, year, stars, n in data:
        if year == latest[county]:
            row = rows[county]
            row["counts"][stars] += n
            row["total"] += n
            row["year"] = year
    totals = Counter()
    for row in rows.values():
        totals.update(row["counts"])
        row["cells"] = [row["counts"].get(s, 0) for s in (5, 4, 3, 2, 0)]
    return list(rows.values()), {"cells": [totals.get(s, 0) for s in (5, 4, 3, 2, 0)],
                                 "total": sum(totals.values())}  # fmt: skip


@require_http_methods(["GET", "POST"])
def rating_rounds(request):
    user = request.user
    rounds = (
        RatingRound.objects.for_user(user)
        .select_related("county")
        .annotate(n=Count("ratings"), reviewed=Count("ratings", filter=Q(ratings__reviewed_at__isnull=False)))
    ).order_by("-year", "county__path")
    counties = list(
        policies.organizations_for(user)
        .filter(level__in=[Level.COUNTY, Level.CITY])
        .only("name", "path")  # a row's name, the scope's test
        .order_by("path")[:60]
    )
    manageable = [c for c in counties if policies.can(user, "manage", c)]
    form = RoundForm(request.POST or None, initial={"year": today().year})
    if request.method == "POST":
        county = policies.get_organization(user, request.POST.get("county"), "manage")
        if form.is_valid():
            try:
                rnd = services.round_open(by=user, county=county, **form.cleaned_data)
                messages.success(request, _("Rating opened for %(n)s branches.") % {"n": rnd.ratings.count()})
                return redirect("pilots:rating_round", rnd.pk)
            except services.AssessmentError as exc:
                _error(request, form, exc)
    rows, totals = distribution(counties)
    page = first_page_or_paginate(rounds, settings.PAGE_SIZE, request.GET.get("page"))  # a few: no COUNT
    own = (
        BranchRating.objects.for_user(user, "file")
        .select_related("round", "branch")
        .order_by("-round__year")[:10]
    )
    context = {"page": page, "form": form, "manageable": manageable, "rows": rows, "totals": totals,
               "own": list(own) if policies.scope_paths(user, "file") != [] else [],
               "labels": [_("5 stars"), _("4 stars"), _("3 stars"), _("2 stars"), _("Weak")]}  # fmt: skip
    return render(request, "pilots/assessment/ratings.html", context)


@require_http_methods(["GET", "POST"])
def rating_round(request, rating_round_id: int):
    rnd = get_object_or_404(
        RatingRound.objects.for_user(request.user).select_related("county"), pk=rating_round_id
    )
    can_manage = policies.can(request.user, "manage", rnd.county)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        try:
            if request.POST.get("do") == "finalize":
                services.round_finalize(by=request.user, rnd=rnd)
                messages.success(request, _("Ratings finalized."))
            elif request.POST.get("do") == "targets":
                chosen = services.targets_select(by=request.user, rnd=rnd)
                messages.success(request, _("%(n)s branches are rectification targets.") % {"n": len(chosen)})
        except services.AssessmentError as exc:
            messages.error(request, exc.message)
        return redirect("pilots:rating_round", rnd.pk)
    ratings = list(rnd.ratings.select_related("branch__parent").order_by("-final_total", "branch__path"))
    context = {"round": rnd, "ratings": ratings, "over": services.quota_overages(rnd, ratings),
               "can_manage": can_manage,
               "limits": {"five": rules.quota_limit(len(ratings), rnd.five_star_quota),
                          "four": rules.quota_limit(len(ratings), rnd.four_star_quota)}}  # fmt: skip
    return render(request, "pilots/assessment/round.html", context)


@require_http_methods(["GET", "POST"])
def rating_detail(request, branch_rating_id: int):
    qs = BranchRating.objects.for_user(request.user).select_related("round__county", "branch__parent")
    rating = get_object_or_404(qs, pk=branch_rating_id)
    user = request.user
    can_self = policies.can(user, "file", rating.branch) or policies.can(user, "manage", rating.branch)
    can_review = services.can_review_rating(user, rating)
    errors, values = {}, {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k, _l in rules.FIVE_GOODS}
        try:
            if request.POST.get("do") == "review":
                services.rating_review(by=user, rating=rating, scores=values, vetoed=bool(request.POST.get("vetoed")),
                                       comment=request.POST.get("review_comment", ""))  # fmt: skip
                messages.success(request, _("Rating reviewed."))
            else:
                if not can_self:
                    raise PermissionDenied
                services.self_rate(by=user, rating=rating, scores=values)
                messages.success(request, _("Self-rating saved."))
            return redirect("pilots:rating_detail", rating.pk)
        except services.AssessmentError as exc:
            errors[exc.field or "__all__"] = exc.message
            messages.error(request, exc.message)
    goods = [{"key": k, "label": label, "self": rating.self_scores.get(k, ""), "final": rating.final_scores.get(k, ""),
              "value": values.get(k, rating.final_scores.get(k) or rating.self_scores.get(k, "")),
              "error": errors.get(k)} for k, label in rules.FIVE_GOODS]  # fmt: skip
    context = {"rating": rating, "goods": goods, "can_self": can_self and not rating.is_reviewed,
               "can_review": can_review and not rating.round.finalized_at, "max": rules.GOOD_MAX}  # fmt: skip
    return render(request, "pilots/assessment/rating.html", context, status=400 if errors else 200)


# --- rectification -----------------------------------------------------------------------------------------


@require_GET
def rectification_list(request):
    qs = (
        RectificationTarget.objects.for_user(request.user)
        .select_related("branch__parent", "rating")
        .annotate(n_items=Count("items"), n_open=Count("items", filter=Q(items__closed_at__isnull=True)))
    ).order_by("-year", "branch__path")
    year, state = request.GET.get("year", ""), request.GET.get("state", "")
    if year.isdigit():
        qs = qs.filter(year=int(year))
    if state in TargetState.values:
        qs = qs.filter(state=state)
    if request.GET.get("format") == "xlsx":
        from .resources import TargetResource

        qs = policies.scoped(qs, request.user, "export", path_field="branch__path")
        return xlsx_response(TargetResource(), qs, "rectification")
    page = Paginator(qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "pilots/assessment/rectification_list.html",
                  {"page": page, "year": year, "state": state, "states": TargetState.choices})  # fmt: skip


@require_http_methods(["GET", "POST"])
def rectification_detail(request, rectification_target_id: int):
    qs = RectificationTarget.objects.for_user(request.user).select_related(
        "branch__parent", "rating", "carried_from"
    )
    target = get_object_or_404(qs, pk=rectification_target_id)
    user = request.user
    can_add = policies.can(user, "manage", target.branch) or policies.can(user, "file", target.branch)
    parent = target.branch.parent
    can_sign = parent is not None and policies.can(user, "review", parent)
    form = ItemForm(request.POST or None)
    if request.method == "POST":
        try:
            if request.POST.get("do") == "recheck":
                if not can_sign:
                    raise PermissionDenied
                target = services.target_recheck(by=user, target=target, score=request.POST.get("score", ""))
                messages.success(request, _("Re-check recorded."))
                return redirect("pilots:rectification_detail", target.pk)
            if not can_add:
                raise PermissionDenied
            if form.is_valid():
                services.item_add(by=user, target=target, **form.cleaned_data)
                messages.success(request, _("Item added to the ledger."))
                return redirect("pilots:rectification_detail", target.pk)
        except services.AssessmentError as exc:
            _error(request, form, exc)
    items = list(target.items.select_related("signed_off_by", "finding__inspection"))
    context = {"target": target, "items": items, "form": form, "can_add": can_add and target.state == "open",
               "can_sign": can_sign and target.state == "open", "close_form": CloseItemForm(),
               "recheck_form": RecheckForm(), "pass_score": services.RECHECK_PASS}  # fmt: skip
    return render(request, "pilots/assessment/rectification_detail.html", context)


def _item(request, rectification_item_id):
    qs = RectificationItem.objects.select_related("target__branch__parent")
    return get_object_or_404(
        qs.filter(target__in=RectificationTarget.objects.for_user(request.user)), pk=rectification_item_id
    )


@require_POST
def item_close(request, rectification_item_id: int):
    item = _item(request, rectification_item_id)
    form = CloseItemForm(request.POST, request.FILES)
    form.is_valid()
    try:
        services.item_close(by=request.user, item=item, evidence=form.cleaned_data.get("evidence", ""),
                            upload=form.cleaned_data.get("file"))  # fmt: skip
        messages.success(request, _("Item closed (对账销号)."))
    except services.AssessmentError as exc:
        messages.error(request, exc.message)
    return redirect("pilots:rectification_detail", item.target_id)


@require_GET
def item_evidence(request, rectification_item_id: int):
    item = _item(request, rectification_item_id)
    if not item.evidence_file:
        raise Http404
    return uploads.serve(
        item.evidence_file.name,
        download_name=item.evidence_name or "evidence",
        content_type=item.evidence_type or "application/octet-stream",
    )


# --- inspections, ranking and escalation, hearings ---------------------------------------------------------


@require_GET
def inspection_list(request):
    qs = (
        Inspection.objects.for_user(request.user)
        .select_related("city")
        .annotate(n_units=Count("units", distinct=True), n_findings=Count("findings", distinct=True))
    ).order_by("-year", "-quarter", "-held_on", "-id")
    page = Paginator(qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    can_create = policies.organizations_for(request.user, "manage").filter(level__in=HOST_LEVELS).exists()
    return render(request, "pilots/assessment/inspection_list.html", {"page": page, "can_create": can_create})


@require_GET
def inspection_detail(request, inspection_id: int):
    inspection = get_object_or_404(
        Inspection.objects.for_user(request.user).select_related("city"), pk=inspection_id
    )
    can_manage = policies.can(request.user, "manage", inspection.city)
    context = {**inspection_context(inspection), "can_manage": can_manage,
               "finding_form": FindingForm(inspection=inspection) if can_manage else None}  # fmt: skip
    return render(request, "pilots/assessment/inspection_detail.html", context)


def inspection_context(inspection: Inspection) -> dict:
    findings = inspection.findings.select_related("organization").prefetch_related("items__target")
    return {"inspection": inspection, "units": inspection.units.order_by("path"), "findings": findings}


@require_GET
def inspection_report(request, inspection_id: int):
    """The quarterly report of the inspecting committee: every inspection of the same quarter."""
    first = get_object_or_404(
        Inspection.objects.for_user(request.user).select_related("city"), pk=inspection_id
    )
    inspections = list(
        Inspection.objects.filter(city=first.city, year=first.year, quarter=first.quarter)
        .annotate(n_units=Count("units", distinct=True)).prefetch_related("findings__organization", "findings__items")
    )  # fmt: skip
    findings = [f for i in inspections for f in i.findings.all()]
    items = [it for f in findings for it in f.items.all()]
    context = {"first": first, "inspections": inspections, "findings": findings,
               "units": sum(i.n_units for i in inspections), "items": len(items),
               "closed": sum(1 for it in items if it.closed_at)}  # fmt: skip
    return render(request, "pilots/assessment/inspection_report.html", context)


@require_http_methods(["GET", "POST"])
def escalation(request, org_id: int):
    """A city's yearly ranking, the bottom three and the ladder step proposed for each."""
    city = policies.get_organization(request.user, org_id, "view")
    years = list(
        YearlyRanking.objects.filter(city=city).values_list("year", flat=True).distinct().order_by("-year")
    )
    raw = str(request.GET.get("year") or request.POST.get("year") or "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else (years[0] if years else today().year)
    can_manage = policies.can(request.user, "manage", city)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        form = EscalationForm(request.POST)
        try:
            if not form.is_valid():
                raise services.AssessmentError(_("Give the date it happened."), "held_on")
            org = get_object_or_404(city.descendants(), pk=form.cleaned_data["organization"])
            services.escalation_record(by=request.user, city=city, organization=org, year=year,
                                       held_on=form.cleaned_data["held_on"], note=form.cleaned_data["note"])  # fmt: skip
            messages.success(request, _("Recorded."))
        except services.AssessmentError as exc:
            messages.error(request, exc.message)
        return redirect(f"{request.path}?year={year}")
    ranking = YearlyRanking.objects.filter(city=city, year=year).select_related("organization")
    context = {"city": city, "year": year, "years": years, "ranking": ranking, "can_manage": can_manage,
               "proposals": services.escalation_proposals(city, year),
               "history": Escalation.objects.filter(city=city).select_related("organization", "step")[:30]}  # fmt: skip
    return render(request, "pilots/assessment/escalation.html", context)


@require_GET
def hearing_list(request):
    qs = (
        Hearing.objects.for_user(request.user)
        .select_related("organization")
        .annotate(
            n=Count("speakers"), n_open=Count("speakers", filter=Q(speakers__submitted_on__isnull=True))
        )
    ).order_by("-held_on", "-id")
    page = Paginator(qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    mine = (
        HearingReport.objects.filter(policies.scope_q(request.user, "file", "organization__path") or Q())
        .outstanding()
        .select_related("hearing__organization", "organization")[:10]
    )
    can_create = policies.organizations_for(request.user, "manage").filter(level__in=HOST_LEVELS).exists()
    return render(request, "pilots/assessment/hearing_list.html",
                  {"page": page, "mine": list(mine) if policies.scope_paths(request.user, "file") != [] else [],
                   "can_create": can_create})  # fmt: skip


@require_GET
def hearing_detail(request, hearing_id: int):
    hearing = get_object_or_404(
        Hearing.objects.for_user(request.user).select_related("organization"), pk=hearing_id
    )
    can_manage = policies.can(request.user, "manage", hearing.organization)
    return render(request, "pilots/assessment/hearing_detail.html",
                  {"hearing": hearing, "speakers": hearing.speakers.select_related("organization"), "on": today(),
                   "can_manage": can_manage})  # fmt: skip


@require_http_methods(["GET", "POST"])
def hearing_report(request, hearing_report_id: int):
    qs = HearingReport.objects.filter(policies.scope_q(request.user, "view", "organization__path") or Q())
    report = get_object_or_404(
        qs.select_related("hearing__organization", "organization"), pk=hearing_report_id
    )
    can_file = policies.can(request.user, "file", report.organization) or policies.can(
        request.user, "manage", report.organization)  # fmt: skip
    form = HearingReportForm(request.POST or None)
    if request.method == "POST":
        if not can_file:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.hearing_report_submit(by=request.user, report=report, text=form.cleaned_data["text"])
                messages.success(request, _("Rectification report submitted."))
                return redirect("pilots:hearing_report", report.pk)
            except services.AssessmentError as exc:
                _error(request, form, exc)
    return render(request, "pilots/assessment/hearing_report.html",
                  {"report": report, "form": form, "can_file": can_file and not report.submitted_on, "on": today()})  # fmt: skip
