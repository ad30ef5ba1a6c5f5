"""Staff pages that create and edit: a scheme's criteria, quarterly inspections and their findings, monthly
hearings, and a city's yearly ranking. Every view starts from league.policies (out of scope → 404, visible
but not allowed → 403); services.py holds the rules and says what was refused, naming the field.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from league import policies
from league.models import Organization

from ..models import today
from ..selectors import programs_for
from . import services
from .forms import (
    HOST_LEVELS,
    CriteriaFormSet,
    FindingForm,
    HearingForm,
    InspectionForm,
    RankingForm,
    RankingFormSet,
    SpeakerCommentForm,
    VetoItemsForm,
)
from .models import AssessmentScheme, Hearing, HearingReport, Inspection, YearlyRanking


def _error(request, form, exc: services.AssessmentError) -> None:
    """The refusal on its field when the form has it, else as a page message."""
    if form is not None and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        messages.error(request, exc.message)


def _hosts(user):
    """Committees the user manages that can host inspections, hearings and rankings (at most 60)."""
    return list(
        policies.organizations_for(user, "manage").filter(level__in=HOST_LEVELS).order_by("path")[:60]
    )


def _host(request, param: str = "org") -> tuple[Organization | None, list[Organization]]:
    """The committee named in ?org= (it must be one the user manages), or the only one the user manages."""
    hosts = _hosts(request.user)
    raw = request.GET.get(param) or request.POST.get(param)
    if raw:
        host = policies.get_organization(request.user, raw, "manage")
        return host, hosts
    if not hosts:
        raise PermissionDenied
    return (hosts[0] if len(hosts) == 1 else None), hosts


# --- a scheme's criteria -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def scheme_criteria(request, program_id: int):
    program = get_object_or_404(programs_for(request.user), pk=program_id)
    policies.require(request.user, "manage", program.organization)
    scheme = get_object_or_404(AssessmentScheme, program=program)
    criteria = list(scheme.criteria.all())
    frozen = scheme.reviews.exists()
    initial = [{"name": c.name, "max_points": c.max_points, "description": c.description} for c in criteria]
    formset = CriteriaFormSet(request.POST or None, initial=initial, prefix="criteria")
    veto_form = VetoItemsForm(request.POST or None,
                              initial={"veto_items": "\n".join(v.text for v in scheme.veto_items.all())})  # fmt: skip
    status = 200
    if request.method == "POST":
        if formset.is_valid() and veto_form.is_valid():
            rows, taken = [], {c.key for c in criteria}
            for i, form in enumerate(formset.forms):
                data = form.cleaned_data
                if not data or data.get("DELETE"):
                    continue
                key = criteria[i].key if i < len(criteria) else services.new_criterion_key(scheme, taken)
                taken.add(key)
                rows.append({"key": key, "name": data["name"], "max_points": data["max_points"],
                             "description": data.get("description", "")})  # fmt: skip
            try:
                with transaction.atomic():
                    services.scheme_set_criteria(by=request.user, scheme=scheme, criteria=rows)
                    services.scheme_set_veto_items(by=request.user, scheme=scheme,
                                                   texts=veto_form.cleaned_data["veto_items"].splitlines())  # fmt: skip
                messages.success(request, _("Criteria saved; they sum to 100."))
                return redirect("pilots:program_assessment", program.pk)
            except services.AssessmentError as exc:
                if exc.field == "veto_items":
                    veto_form.add_error("veto_items", exc.message)
                else:
                    messages.error(request, exc.message)
        else:
            messages.error(request, _("Check the rows marked below."))
        status = 400
    total = sum(c.max_points for c in criteria)
    context = {"program": program, "scheme": scheme, "formset": formset, "veto_form": veto_form,
               "frozen": frozen, "total": total}  # fmt: skip
    return render(request, "pilots/assessment/criteria.html", context, status=status)


# --- inspections -------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def inspection_new(request):
    city, hosts = _host(request)
    if city is None:
        return render(request, "pilots/assessment/choose_host.html",
                      {"hosts": hosts, "title": _("New quarterly inspection")})  # fmt: skip
    on = today()
    form = InspectionForm(request.POST or None, city=city,
                          initial={"year": on.year, "quarter": (on.month - 1) // 3 + 1, "held_on": on})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.inspection_create(by=request.user, city=city, **_inspection_data(form))
            messages.success(request, _("Inspection recorded; add its findings."))
            return redirect("pilots:inspection_detail", inspection.pk)
        except services.AssessmentError as exc:
            _error(request, form, exc)
    return render(request, "pilots/assessment/inspection_form.html", {"form": form, "city": city},
                  status=400 if form.errors else 200)  # fmt: skip


def _inspection_data(form) -> dict:
    data = form.cleaned_data
    return {"year": data["year"], "quarter": data["quarter"], "plan": data["plan"], "team": data["team"],
            "methods": data["methods"], "units": list(data["units"]), "held_on": data["held_on"]}  # fmt: skip


def _inspection(request, inspection_id: int) -> Inspection:
    inspection = get_object_or_404(
        Inspection.objects.for_user(request.user).select_related("city"), pk=inspection_id
    )
    policies.require(request.user, "manage", inspection.city)
    return inspection


@require_http_methods(["GET", "POST"])
def inspection_edit(request, inspection_id: int):
    inspection = _inspection(request, inspection_id)
    initial = {"year": inspection.year, "quarter": inspection.quarter, "held_on": inspection.held_on,
               "plan": inspection.plan, "team": inspection.team, "methods": inspection.methods,
               "units": list(inspection.units.all())}  # fmt: skip
    form = InspectionForm(request.POST or None, city=inspection.city, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.inspection_update(by=request.user, inspection=inspection, **_inspection_data(form))
            messages.success(request, _("Inspection saved."))
            return redirect("pilots:inspection_detail", inspection.pk)
        except services.AssessmentError as exc:
            _error(request, form, exc)
    return render(request, "pilots/assessment/inspection_form.html",
                  {"form": form, "city": inspection.city, "inspection": inspection},
                  status=400 if form.errors else 200)  # fmt: skip


@require_POST
def finding_add(request, inspection_id: int):
    inspection = _inspection(request, inspection_id)
    form = FindingForm(request.POST, inspection=inspection)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.finding_add(by=request.user, inspection=inspection, organization=data["organization"],
                                 text=data["text"], action=data["action"], owner=data["owner"],
                                 deadline=data["deadline"])  # fmt: skip
            messages.success(request, _("Finding recorded."))
            return redirect("pilots:inspection_detail", inspection.pk)
        except services.AssessmentError as exc:
            _error(request, form, exc)
    from .views import inspection_context

    context = {**inspection_context(inspection), "finding_form": form, "can_manage": True}
    return render(request, "pilots/assessment/inspection_detail.html", context, status=400)


# --- monthly hearings --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def hearing_new(request):
    host, hosts = _host(request)
    if host is None:
        return render(request, "pilots/assessment/choose_host.html",
                      {"hosts": hosts, "title": _("Schedule a hearing")})  # fmt: skip
    form = HearingForm(request.POST or None, organization=host, initial={"held_on": today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            hearing = services.hearing_schedule(by=request.user, organization=host, held_on=data["held_on"],
                                                units=list(data["units"]), comments=data["comments"])  # fmt: skip
            messages.success(
                request, _("Hearing scheduled; each unit's rectification report is due within a week.")
            )
            return redirect("pilots:hearing_detail", hearing.pk)
        except services.AssessmentError as exc:
            _error(request, form, exc)
    return render(request, "pilots/assessment/hearing_form.html", {"form": form, "host": host},
                  status=400 if form.errors else 200)  # fmt: skip


@require_POST
def hearing_comment(request, hearing_report_id: int):
    report = get_object_or_404(
        HearingReport.objects.filter(hearing__in=Hearing.objects.for_user(request.user)).select_related(
            "hearing__organization", "organization"
        ),
        pk=hearing_report_id,
    )
    policies.require(request.user, "manage", report.hearing.organization)
    form = SpeakerCommentForm(request.POST)
    try:
        if not form.is_valid():
            raise services.AssessmentError(_("Write the comment."), "comment")
        services.hearing_comment(by=request.user, report=report, comment=form.cleaned_data["comment"])
        messages.success(request, _("Comment saved."))
    except services.AssessmentError as exc:
        messages.error(request, exc.message)
    return redirect("pilots:hearing_detail", report.hearing_id)


# --- the yearly ranking ------------------------------------------------------------------------------------


@require_GET
def escalation_index(request):
    """The committees whose yearly ranking the user can see or keep, with the latest year ranked."""
    seen = YearlyRanking.objects.for_user(request.user)
    ranked = {r["city"]: r for r in seen.values("city").annotate(last=Max("year"), n=Count("id"))}
    hosts = _hosts(request.user)
    cities = {o.pk: o for o in Organization.objects.filter(pk__in=list(ranked)).order_by("path")}
    for host in hosts:
        cities.setdefault(host.pk, host)
    rows = [{"city": c, "last": ranked.get(pk, {}).get("last"), "can_manage": any(h.pk == pk for h in hosts)}
            for pk, c in sorted(cities.items(), key=lambda p: p[1].path)]  # fmt: skip
    return render(request, "pilots/assessment/escalation_index.html", {"rows": rows})


def _year(raw, default: int) -> int:
    return int(raw) if str(raw or "").isdigit() and 2000 <= int(raw) <= 2100 else default


@require_http_methods(["GET", "POST"])
def ranking_edit(request, org_id: int):
    """Record a city's yearly ranking: a score for each of its units (blank: not ranked)."""
    city = policies.get_organization(request.user, org_id, "manage")
    year = _year(request.GET.get("year") or request.POST.get("year"), today().year - 1)
    units = list(city.children.order_by("path"))
    existing = {r.organization_id: r.score for r in YearlyRanking.objects.filter(city=city, year=year)}
    initial = [{"organization": u.pk, "score": existing.get(u.pk)} for u in units]
    form = RankingForm(request.POST or None, initial={"year": year})
    formset = RankingFormSet(request.POST or None, initial=initial, prefix="rows")
    status = 200
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            by_pk = {u.pk: u for u in units}
            scores, unknown = {}, []
            for row in formset.cleaned_data:
                if not row or row.get("score") is None:
                    continue
                org = by_pk.get(row["organization"])
                if org is None:
                    unknown.append(str(row["organization"]))
                else:
                    scores[org] = row["score"]
            try:
                if unknown:
                    raise services.AssessmentError(
                        _("Not a unit of %(city)s: %(u)s.") % {"city": city, "u": "、".join(unknown)},
                        "scores",
                    )
                services.ranking_record(
                    by=request.user, city=city, year=form.cleaned_data["year"], scores=scores
                )
                messages.success(request, _("Ranking of %(y)s recorded.") % {"y": form.cleaned_data["year"]})
                return redirect(f"{_escalation_url(city)}?year={form.cleaned_data['year']}")
            except services.AssessmentError as exc:
                _error(request, form, exc)
        else:
            messages.error(request, _("Check the rows marked below."))
        status = 400
    by_pk = {u.pk: u for u in units}
    rows = [(by_pk.get(_int(f["organization"].value())), f) for f in formset.forms]
    return render(request, "pilots/assessment/ranking_form.html",
                  {"city": city, "year": year, "form": form, "formset": formset, "rows": rows}, status=status)  # fmt: skip


def _int(value) -> int | None:
    return int(value) if str(value or "").isdigit() and len(str(value)) < 12 else None


def _escalation_url(city) -> str:
    from django.urls import reverse

    return reverse("pilots:escalation", args=[city.pk])
