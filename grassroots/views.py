"""Pages of grassroots work: the subtree overview, theme days, and forms for the other records."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import django_filters
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from league import policies, uploads
from league.exports import export_list, export_params, xlsx_response
from league.models import Level, Organization

from . import forms, lists, rollups, services
from .models import (
    CoverageGap,
    Handover,
    Lack,
    Lecture,
    ReformMeasure,
    ServiceProject,
    ThemeDay,
    ThemeDayPhoto,
    YouthFunding,
    YouthHome,
    YouthOfficer,
)
from .resources import ThemeDayResource


def _month(request) -> datetime.date:
    raw = request.GET.get("month", "")
    try:
        return datetime.datetime.strptime(raw, "%Y-%m").date()
    except ValueError:
        return timezone.localdate().replace(day=1)


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _require_record(user, organization) -> None:
    if not services.may_record(user, organization):
        raise PermissionDenied


def _within(queryset, organization, path_field="organization__path"):
    return queryset.filter(**{f"{path_field}__startswith": organization.path})


# --- overview -------------------------------------------------------------------------------------------


@require_GET
def index(request):
    """The grassroots work of each organization at the top of the user's scope."""
    month = _month(request)
    roots = list(policies.scope_roots(request.user).order_by("path")[:20])
    rows = [rollups.theme_day_rate(root, month) for root in roots]
    return render(request, "grassroots/index.html", {"rows": rows, "month": month})


@require_GET
def organization(request, org_id: int):
    user = request.user
    org = policies.get_organization(user, org_id)
    month = _month(request)
    year = (
        int(request.GET.get("year") or month.year)
        if (request.GET.get("year") or "").isdigit()
        else month.year
    )
    children = org.children.order_by("name")
    page = Paginator(children, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    missing = rollups.missing_theme_days(month, within=org)
    homes = (
        _within(YouthHome.objects.all(), org)
        .select_related("organization")
        .annotate(activity_count=Count("activities"), participant_sum=Sum("activities__participants"))
        .order_by("tier", "name")
    )
    projects = (
        _within(ServiceProject.objects.all(), org)
        .select_related("organization")
        .annotate(
            activity_count=Count("activities"),
            volunteer_sum=Sum("activities__volunteers"),
            served_sum=Sum("activities__served"),
        )
        .order_by("-is_brand", "name")
    )
    measures = (
        _within(ReformMeasure.objects.all(), org)
        .select_related("organization")
        .order_by("lack", "-year", "id")
    )
    measures_by_lack = [
        (label, [m for m in measures[:200] if m.lack == value]) for value, label in Lack.choices
    ]
    context = {
        "organization": org,
        "month": month,
        "year": year,
        "previous_month": (month - datetime.timedelta(days=1)).replace(day=1),
        "next_month": rollups._next_month(month),
        "rate": rollups.theme_day_rate(org, month),
        "children_page": page,
        "rollup": rollups.theme_day_rollup(org, month, page.object_list),
        "missing": list(missing.select_related("parent")[:12]),
        "summary": rollups.work_summary(org, month),
        "funding": rollups.per_capita_funding(org, year, rows=50),
        "fund_rows": list(
            _within(YouthFunding.objects.filter(year=year), org)
            .select_related("organization")
            .order_by("organization__path")[:30]
        ),
        "lectures": list(
            _within(Lecture.objects.all(), org)
            .select_related("organization")
            .filter(held_on__gte=month, held_on__lt=rollups._next_month(month))[:10]
        ),
        "homes": list(homes[:20]),
        "projects": list(projects[:20]),
        "officers": list(_within(YouthOfficer.objects.serving(), org).select_related("organization")[:20]),
        "handovers": list(
            _within(Handover.objects.filter(signed_at__isnull=True), org).select_related(
                "outgoing", "incoming", "organization"
            )[:10]
        ),
        "measures_by_lack": measures_by_lack,
        "gaps": list(
            _within(CoverageGap.objects.filter(closed_on__isnull=True), org).select_related("organization")[
                :20
            ]
        ),
        "transfers": list(rollups.transfer_rates_within(org, year)[:20]),
        "can_record": services.may_record(user, org),
        "can_manage": policies.can(user, "manage", org),
        "is_street": org.level == Level.STREET,
        "is_city": org.level == Level.CITY,
    }
    return render(request, "grassroots/organization.html", context)


# --- theme days -------------------------------------------------------------------------------------------


class BranchFilter(django_filters.FilterSet):
    STATUS = [
        ("held", gettext_lazy("Held")),
        ("missing", gettext_lazy("Not recorded")),
        ("incomplete", gettext_lazy("Held, fixed items missing")),
    ]
    q = django_filters.CharFilter(label=gettext_lazy("Name"), field_name="name", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label=gettext_lazy("Status"), choices=STATUS, method="filter_status")

    class Meta:
        model = Organization
        fields: list[str] = []

    def filter_status(self, queryset, name, value):
        if value == "held":
            return queryset.filter(theme_day_id__isnull=False)
        if value == "missing":
            return queryset.filter(theme_day_id__isnull=True)
        if value == "incomplete":
            return queryset.filter(theme_day_id__isnull=False, theme_day_complete=False)
        return queryset


def _branches_with_theme_day(org, month):
    from pilots.models import Reminder, ReminderKind, ReminderState

    days = ThemeDay.objects.filter(organization=OuterRef("pk"), month=month)
    reminded = Reminder.objects.filter(
        organization=OuterRef("pk"), slot__isnull=True, kind=ReminderKind.THEME_DAY, state=ReminderState.SENT,
        deadline__gte=month, deadline__lt=rollups._next_month(month),
    )  # fmt: skip
    return (
        rollups.branches_within(org)
        .select_related("parent")
        .annotate(
            reminded_at=Subquery(reminded.values("sent_at")[:1]),
            theme_day_id=Subquery(days.values("id")[:1]),
            theme_day_held_on=Subquery(days.values("held_on")[:1]),
            theme_day_present=Subquery(days.values("members_present")[:1]),
            theme_day_total=Subquery(days.values("members_total")[:1]),
            theme_day_items=Subquery(days.values("items_done")[:1]),
            theme_day_complete=Subquery(days.values("all_items_done")[:1]),
        )
        .order_by("path")
    )


@require_GET
def theme_day_list(request, org_id: int):
    org = policies.get_organization(request.user, org_id)
    month = _month(request)
    filterset = BranchFilter(request.GET, queryset=_branches_with_theme_day(org, month))
    page = Paginator(filterset.qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "grassroots/theme_day_list.html",
        {
            "organization": org,
            "month": month,
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "rate": rollups.theme_day_rate(org, month),
            "required_items": services.ThemeDayItem.objects.filter(active=True).count(),
            "can_record": services.may_record(request.user, org),
        },
    )


@require_GET
def theme_day_export(request, org_id: int):
    org = policies.get_organization(request.user, org_id, "export")
    month = _month(request)
    queryset = (
        policies.scoped(ThemeDay.objects.within(org).for_month(month), request.user, "export")
        .select_related("organization", "organization__parent")
        .prefetch_related("items")
        .order_by("organization__path")
    )
    return xlsx_response(ThemeDayResource(), queryset, f"theme-days-{month:%Y-%m}")


@require_http_methods(["GET", "POST"])
def theme_day_new(request, org_id: int):
    org = policies.get_organization(request.user, org_id)
    _require_record(request.user, org)
    branches = rollups.branches_within(org).order_by("path")
    initial = {}
    if (request.GET.get("branch") or "").isdigit():
        initial["branch"] = int(request.GET["branch"])
    form = forms.ThemeDayForm(request.POST or None, request.FILES or None, branches=branches, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            theme_day = services.theme_day_record(
                by=request.user,
                branch=data["branch"],
                held_on=data["held_on"],
                members_present=data["members_present"],
                members_total=data["members_total"],
                items=data["items"],
                own_items=data["own_items"],
                topic=data["topic"],
                photos=data["photos"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Theme day of %(branch)s for %(month)s saved.")
                % {"branch": theme_day.organization.name, "month": f"{theme_day.month:%Y-%m}"},
            )
            return redirect(
                reverse("grassroots:organization", args=[org.pk]) + f"?month={theme_day.month:%Y-%m}"
            )
    return render(request, "grassroots/theme_day_form.html", {"organization": org, "form": form})


@require_GET
def theme_day_detail(request, theme_day_id: int):
    theme_day = get_object_or_404(
        policies.scoped(ThemeDay.objects.select_related("organization", "recorded_by"), request.user),
        pk=theme_day_id,
    )
    return render(
        request,
        "grassroots/theme_day_detail.html",
        {
            "theme_day": theme_day,
            "done": set(theme_day.items.values_list("pk", flat=True)),
            "all_items": services.ThemeDayItem.objects.filter(active=True),
            "photos": theme_day.photos.all(),
            "can_record": services.may_record(request.user, theme_day.organization),
        },
    )


@require_GET
def photo(request, theme_photo_id: int):
    item = get_object_or_404(
        policies.scoped(
            ThemeDayPhoto.objects.all(), request.user, path_field="theme_day__organization__path"
        ),
        pk=theme_photo_id,
    )
    return uploads.serve(item.stored_name, download_name=item.name, content_type=item.content_type)


# --- the other records: one form page per kind --------------------------------------------------------------


@dataclass
class RecordKind:
    title: Any
    form: type
    save: Any  # (by, organization, cleaned_data) -> object
    manage: bool = False  # staff only (else secretaries of the organization too)
    level: str | None = None


def _fields(data, *names):
    return {name: data[name] for name in names}


RECORD_KINDS = {
    "lecture": RecordKind(
        gettext_lazy("Record a lecture (五四讲堂)"),
        forms.LectureForm,
        lambda by, org, d: services.lecture_record(
            by=by,
            organization=org,
            **_fields(d, "held_on", "kind", "title", "speaker", "place", "audience", "summary"),
        ),
    ),
    "home": RecordKind(
        gettext_lazy("Register a youth home (青年之家)"),
        forms.YouthHomeForm,
        lambda by, org, d: services.youth_home_register(
            by=by, organization=org, **_fields(d, "name", "tier", "address", "opening_hours")
        ),
    ),
    "project": RecordKind(
        gettext_lazy("Add a service project"),
        forms.ProjectForm,
        lambda by, org, d: services.project_create(
            by=by, organization=org, **_fields(d, "name", "is_brand", "description")
        ),
    ),
    "officer": RecordKind(
        gettext_lazy("Appoint a youth officer"),
        forms.OfficerForm,
        lambda by, org, d: services.officer_appoint(
            by=by, organization=org, **_fields(d, "post", "name", "full_time", "started_on", "replacing")
        ),
    ),
    "funding": RecordKind(
        gettext_lazy("Enter the youth fund and youth population"),
        forms.FundingForm,
        lambda by, org, d: services.funding_record(
            by=by, organization=org, **_fields(d, "year", "youth_population", "amount_yuan")
        ),
        level=Level.STREET,
    ),
    "gap": RecordKind(
        gettext_lazy("Add a unit without a league organization (空白点)"),
        forms.GapForm,
        lambda by, org, d: services.gap_add(
            by=by, organization=org, **_fields(d, "name", "kind", "found_on")
        ),
    ),
    "measure": RecordKind(
        gettext_lazy("Add a reform measure"),
        forms.MeasureForm,
        lambda by, org, d: services.measure_create(
            by=by,
            organization=org,
            **_fields(d, "lack", "title", "indicator", "year", "value_type", "target", "actual", "evidence"),
        ),
        manage=True,
    ),
    "transfer": RecordKind(
        gettext_lazy("Enter the school-to-society transfer (学社衔接)"),
        forms.TransferForm,
        lambda by, org, d: services.transfer_rate_record(
            by=by, organization=org, **_fields(d, "year", "graduating", "transferred")
        ),
        manage=True,
        level=Level.CITY,
    ),
}


def _form_page(request, organization, title, form, back):
    return render(
        request,
        "grassroots/record_form.html",
        {"organization": organization, "title": title, "form": form, "back": back},
    )


@require_http_methods(["GET", "POST"])
def record_new(request, org_id: int, record_kind: str):
    org = policies.get_organization(request.user, org_id)
    spec = RECORD_KINDS.get(record_kind)
    if spec is None or (spec.level and org.level != spec.level):
        raise Http404
    if spec.manage:
        policies.require(request.user, "manage", org)
    else:
        _require_record(request.user, org)
    extra = {"organization": org} if spec.form is forms.OfficerForm else {}
    form = spec.form(request.POST or None, **extra)
    back = reverse("grassroots:organization", args=[org.pk])
    if request.method == "POST" and form.is_valid():
        try:
            spec.save(request.user, org, form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(back)
    return _form_page(request, org, spec.title, form, back)


def _child_form(request, obj, organization, title, form_class, save, **form_kwargs):
    form = form_class(request.POST or None, **form_kwargs)
    back = reverse("grassroots:organization", args=[organization.pk])
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(back)
    return render(
        request,
        "grassroots/record_form.html",
        {"organization": organization, "title": title, "subject": obj, "form": form, "back": back},
    )


@require_http_methods(["GET", "POST"])
def home_activity_new(request, youth_home_id: int):
    home = get_object_or_404(
        policies.scoped(YouthHome.objects.select_related("organization"), request.user), pk=youth_home_id
    )
    _require_record(request.user, home.organization)
    return _child_form(
        request, home, home.organization, _("Record an activity at the youth home"), forms.HomeActivityForm,
        lambda d: services.home_activity_record(by=request.user, home=home, **_fields(d, "held_on", "title", "participants")),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def project_activity_new(request, service_project_id: int):
    project = get_object_or_404(
        policies.scoped(ServiceProject.objects.select_related("organization"), request.user),
        pk=service_project_id,
    )
    _require_record(request.user, project.organization)
    return _child_form(
        request, project, project.organization, _("Record a project activity"), forms.ProjectActivityForm,
        lambda d: services.project_activity_record(
            by=request.user, project=project, **_fields(d, "held_on", "title", "volunteers", "served")
        ),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def officer_assess(request, youth_officer_id: int):
    officer = get_object_or_404(
        policies.scoped(YouthOfficer.objects.select_related("organization"), request.user),
        pk=youth_officer_id,
    )
    policies.require(request.user, "manage", officer.organization)
    return _child_form(
        request, officer, officer.organization, _("Annual assessment of a youth officer"), forms.AssessmentForm,
        lambda d: services.officer_assess(by=request.user, officer=officer, **_fields(d, "year", "grade", "award_yuan", "note")),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def measure_actual(request, reform_measure_id: int):
    measure = get_object_or_404(
        policies.scoped(ReformMeasure.objects.select_related("organization"), request.user),
        pk=reform_measure_id,
    )
    policies.require(request.user, "manage", measure.organization)
    return _child_form(
        request, measure, measure.organization, _("Enter the actual value of a measure"), forms.MeasureActualForm,
        lambda d: services.measure_set_actual(by=request.user, measure=measure, actual=d["actual"], evidence=d["evidence"]),
        initial={"evidence": measure.evidence},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def gap_close(request, coverage_gap_id: int):
    gap = get_object_or_404(
        policies.scoped(CoverageGap.objects.select_related("organization"), request.user), pk=coverage_gap_id
    )
    _require_record(request.user, gap.organization)
    return _child_form(
        request, gap, gap.organization, _("Close a coverage gap: the unit now has a league organization"),
        forms.CloseGapForm, lambda d: services.gap_close(by=request.user, gap=gap, closed_on=d["closed_on"]),
    )  # fmt: skip


@require_GET
def handover_detail(request, officer_handover_id: int):
    handover = get_object_or_404(
        policies.scoped(
            Handover.objects.select_related("organization", "outgoing", "incoming", "signed_by"), request.user
        ),
        pk=officer_handover_id,
    )
    return render(
        request,
        "grassroots/handover.html",
        {
            "handover": handover,
            "items": handover.items.all(),
            "can_record": services.may_record(request.user, handover.organization),
        },
    )


@require_POST
def handover_update(request, officer_handover_id: int):
    handover = get_object_or_404(
        policies.scoped(Handover.objects.select_related("organization"), request.user), pk=officer_handover_id
    )
    _require_record(request.user, handover.organization)
    done = [int(v) for v in request.POST.getlist("done") if v.isdigit()]
    try:
        with transaction.atomic():  # ticking and signing succeed or fail together
            services.handover_items_update(by=request.user, handover=handover, done_ids=done)
            if request.POST.get("sign"):
                services.handover_sign(handover=handover, signed_by=request.user)
        if request.POST.get("sign"):
            messages.success(request, _("Handover signed: the seat counts as filled."))
        else:
            messages.success(request, _("Saved."))
    except ValidationError as exc:
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
    return redirect("grassroots:handover", handover.pk)


# --- lists of the other records over a subtree, with filters and the Excel export ------------------------------


@require_GET
def record_list(request, org_id: int, list_kind: str):
    org = policies.get_organization(request.user, org_id)
    spec = lists.LISTS.get(list_kind)
    if spec is None:
        raise Http404
    queryset = lists.within(policies.scoped(spec.queryset(), request.user), org)
    filterset = spec.filterset(request.GET, queryset=queryset)
    page = Paginator(filterset.qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    query = export_params(request.GET)
    return render(
        request,
        "grassroots/record_list.html",
        {
            "organization": org,
            "spec": spec,
            "filter": filterset,
            "page": page,
            "rows_template": spec.rows,
            "export_query": query.urlencode(),
            "export_url": reverse(f"grassroots:{spec.record_kind}_export") + f"?org={org.pk}",
            "can_record": services.may_record(request.user, org),
            "can_manage": policies.can(request.user, "manage", org),
            "can_export": policies.can(request.user, "export", org),
        },
    )


@require_GET
def record_export(request, list_kind: str):
    if list_kind not in lists.LISTS:
        raise Http404
    return export_list(request, f"grassroots_{list_kind}")
