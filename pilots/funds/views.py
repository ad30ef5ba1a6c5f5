"""Fund pages: list, detail (balance, committed vs disbursed, per-unit use, pending applications, ledger),
applications with decisions and disbursements, reversals, Excel exports."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from league import policies
from league.exports import xlsx_response
from league.pagination import first_page_or_paginate

from ..models import PilotProgram
from ..services import PilotError
from . import services, stats
from .forms import ApplicationForm, DecisionForm, DisburseForm, EntryForm, FundForm, ReverseForm
from .models import ApplicationStatus
from .resources import ApplicationResource, LedgerResource
from .selectors import (
    applications_for,
    can_see_ledger,
    entries_for,
    fund_form_options,
    fund_list_rows,
    funds_for,
)


def _flash_form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))


def _applying_units(user, fund):
    """Units of the fund the user may apply for (secretaries filing for their unit, or staff managing it)."""
    eligible = services.eligible_units(fund).order_by("path")
    may_file, may_manage = policies.scope_q(user, "file", "path"), policies.scope_q(user, "manage", "path")
    if may_file is None or may_manage is None:
        return eligible
    return eligible.filter(may_file | may_manage)


def _fund_form(user, data=None):
    organizations = (
        policies.organizations_for(user, "manage")
        .filter(level__in=services.FUND_HOLDER_LEVELS)
        .order_by("path")
    )
    # Programs run by one of those committees: the rows of programs_for(user, "manage") whose runner is one of
    # them (a runner the user manages), asked by the runner's path and level without programs_for's OR.
    programs = policies.scoped(
        PilotProgram.objects.filter(organization__level__in=services.FUND_HOLDER_LEVELS), user, "manage"
    )
    form = FundForm(data, organizations=organizations, programs=programs)
    if data is None:  # only shown: the options' ids and names (a hundred committees for a province), as SQL
        for name, rows in zip(("organization", "program"), fund_form_options(user), strict=True):
            form.fields[name].name_rows = rows  # written by the select (pilots.widgets) instead of a fetch
    return form


@require_GET
def fund_list(request):
    user = request.user
    # with_figures(funds_for(user)) by organization path and name, as SQL written once (fund_list_rows)
    page = first_page_or_paginate(
        fund_list_rows(user), settings.PAGE_SIZE, request.GET.get("page")
    )  # no COUNT
    rows = [(f, f if can_see_ledger(user, f) else None) for f in page.object_list]
    can_create = policies.scope_paths(user, "manage") != []
    return render(request, "pilots/funds/list.html",
                  {"page": page, "rows": rows, "form": _fund_form(user) if can_create else None})  # fmt: skip


@require_POST
def fund_create(request):
    if policies.scope_paths(request.user, "manage") == []:
        raise PermissionDenied
    form = _fund_form(request.user, request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            fund = services.fund_create(by=request.user, organization=d["organization"], name=d["name"],
                                        program=d["program"])  # fmt: skip
            messages.success(request, _("Fund created."))
            return redirect("pilots:fund_detail", fund.pk)
        except PilotError as exc:
            messages.error(request, exc.message)
    else:
        _flash_form_errors(request, form)
    return redirect("pilots:fund_list")


@require_GET
def fund_detail(request, fund_id: int):
    user = request.user
    fund = get_object_or_404(funds_for(user), pk=fund_id)
    full = can_see_ledger(user, fund)
    can_manage = policies.can(user, "manage", fund.organization)
    applications = applications_for(user).filter(fund=fund)
    units = _applying_units(user, fund)
    context = {
        "fund": fund, "full": full, "can_manage": can_manage, "summary": stats.summary(fund),
        "pending": list(applications.filter(status=ApplicationStatus.SUBMITTED).order_by("applied_at")[:50]),
        "decided": list(applications.exclude(status=ApplicationStatus.SUBMITTED).order_by("-decided_at")[:50]),
        "can_apply": units.exists(),
        "can_export": policies.can(user, "export", fund.organization),
    }  # fmt: skip
    if full:
        context["per_unit"] = stats.per_unit(fund)
        entries = entries_for(user).filter(fund=fund).select_related("reverses").order_by("-seq")
        context["page"] = Paginator(entries, settings.PAGE_SIZE).get_page(request.GET.get("page"))
        reversed_ids = set(fund.entries.filter(reverses__isnull=False).values_list("reverses_id", flat=True))
        context["reversed_ids"] = reversed_ids
    if can_manage:
        context["entry_form"] = EntryForm(units=services.eligible_units(fund))
    return render(request, "pilots/funds/detail.html", context)


@require_POST
def entry_create(request, fund_id: int):
    fund = get_object_or_404(funds_for(request.user), pk=fund_id)
    policies.require(request.user, "manage", fund.organization)
    form = EntryForm(request.POST, units=services.eligible_units(fund))
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.entry_add(by=request.user, fund=fund, kind=d["kind"], amount=d["amount"],
                               entry_date=d["entry_date"], source=d["source"], memo=d["memo"],
                               organization=d["organization"])  # fmt: skip
            messages.success(request, _("Entry recorded."))
        except PilotError as exc:
            messages.error(request, exc.message)
    else:
        _flash_form_errors(request, form)
    return redirect("pilots:fund_detail", fund.pk)


@require_http_methods(["GET", "POST"])
def application_create(request, fund_id: int):
    user = request.user
    fund = get_object_or_404(funds_for(user), pk=fund_id)
    units = _applying_units(user, fund)
    if not units.exists():
        raise PermissionDenied
    form = ApplicationForm(request.POST if request.method == "POST" else None, units=units)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            application = services.application_submit(by=user, fund=fund, organization=d["organization"],
                                                      title=d["title"], plan=d["plan"], amount=d["amount"],
                                                      budget_lines=form.budget_lines())  # fmt: skip
            messages.success(request, _("Application submitted."))
            return redirect("pilots:application_detail", application.pk)
        except PilotError as exc:
            field = {"amount_requested": "amount", "budget_lines": "budget"}.get(exc.field, exc.field)
            form.add_error(field if field in form.fields else None, exc.message)
    return render(request, "pilots/funds/application_form.html", {"fund": fund, "form": form})


@require_GET
def application_detail(request, fund_application_id: int):
    application = get_object_or_404(applications_for(request.user), pk=fund_application_id)
    can_manage = policies.can(request.user, "manage", application.fund.organization)
    context = {
        "application": application, "fund": application.fund, "can_manage": can_manage,
        "entries": list(application.entries.select_related("created_by").order_by("seq")),
        "disbursed": application.disbursed(), "remaining": application.remaining(),
        "decision_form": DecisionForm() if can_manage and application.is_pending else None,
        "disburse_form": DisburseForm(initial={"amount": application.remaining()})
        if can_manage and application.remaining() > 0 else None,
    }  # fmt: skip
    return render(request, "pilots/funds/application_detail.html", context)


def _managed_application(request, fund_application_id):
    application = get_object_or_404(applications_for(request.user), pk=fund_application_id)
    policies.require(request.user, "manage", application.fund.organization)
    return application


@require_POST
def application_decide(request, fund_application_id: int):
    application = _managed_application(request, fund_application_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.application_decide(by=request.user, application=application, approve=d["decision"] == "approve",
                                        amount=d["amount"], reason=d["reason"], disburse_now=d["disburse_now"])  # fmt: skip
            messages.success(request, _("Decision recorded."))
        except PilotError as exc:
            messages.error(request, exc.message)
    else:
        _flash_form_errors(request, form)
    return redirect("pilots:application_detail", application.pk)


@require_POST
def application_disburse(request, fund_application_id: int):
    application = _managed_application(request, fund_application_id)
    form = DisburseForm(request.POST)
    if form.is_valid():
        try:
            services.disburse(by=request.user, application=application, amount=form.cleaned_data["amount"],
                              on=form.cleaned_data["entry_date"])  # fmt: skip
            messages.success(request, _("Disbursement recorded."))
        except PilotError as exc:
            messages.error(request, exc.message)
    else:
        _flash_form_errors(request, form)
    return redirect("pilots:application_detail", application.pk)


@require_POST
def entry_reverse(request, ledger_entry_id: int):
    entry = get_object_or_404(entries_for(request.user), pk=ledger_entry_id)
    policies.require(request.user, "manage", entry.fund.organization)
    form = ReverseForm(request.POST)
    if form.is_valid():
        try:
            services.entry_reverse(by=request.user, entry=entry, reason=form.cleaned_data["reason"])
            messages.success(request, _("Entry no. %(seq)s reversed.") % {"seq": entry.seq})
        except PilotError as exc:
            messages.error(request, exc.message)
    else:
        _flash_form_errors(request, form)
    return redirect("pilots:fund_detail", entry.fund_id)


def _export_fund(request, fund_id):
    fund = get_object_or_404(funds_for(request.user), pk=fund_id)
    if not can_see_ledger(request.user, fund):
        raise PermissionDenied
    policies.require(request.user, "export", fund.organization)
    return fund


@require_GET
def ledger_export(request, fund_id: int):
    fund = _export_fund(request, fund_id)
    entries = fund.entries.select_related("fund", "organization", "reverses", "created_by").order_by("seq")
    return xlsx_response(LedgerResource(), entries, "ledger")


@require_GET
def application_export(request, fund_id: int):
    fund = _export_fund(request, fund_id)
    apps = fund.applications.select_related("fund", "organization", "decided_by").order_by("applied_at")
    return xlsx_response(ApplicationResource(), apps, "applications")
