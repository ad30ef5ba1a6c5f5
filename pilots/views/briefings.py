"""Good practice excerpts and numbered briefings (简报 第N期, 总第M期)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from league import policies
from league.pagination import first_page_or_paginate

from .. import services
from ..filters import BriefingFilter
from ..forms import BriefingForm, ExcerptForm
from ..selectors import briefings_for, program_choices, programs_for, reports_for


@require_POST
def excerpt_add(request, report_id: int):
    report = get_object_or_404(reports_for(request.user).select_related("slot__organization"), pk=report_id)
    if not services.can_review(request.user, report.slot.organization):
        raise PermissionDenied
    form = ExcerptForm(request.POST)
    if form.is_valid():
        try:
            services.excerpt_mark(report=report, by=request.user, **form.cleaned_data)
            messages.success(request, _("Marked as good practice; it can now go into a briefing."))
        except services.PilotError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Give the excerpt a heading and text."))
    return redirect("pilots:report_detail", report.pk)


@require_GET
def briefing_list(request):
    # The programs the user sees, read once: the filter's select, and whose published briefings are listed.
    programs = program_choices(request.user)
    briefings = briefings_for(request.user, program_ids=[pk for pk, _ in programs])
    filterset = BriefingFilter(request.GET or None, queryset=briefings, request=request, programs=programs)
    # A first page no longer than a page (most scopes' briefings) in one query, not a COUNT and a page.
    page = first_page_or_paginate(filterset.qs, settings.PAGE_SIZE, request.GET.get("page"))
    return render(request, "pilots/briefing_list.html", {"filter": filterset, "page": page})


@require_http_methods(["GET", "POST"])
def briefing_create(request, program_id: int):
    program = get_object_or_404(programs_for(request.user), pk=program_id)
    policies.require(request.user, "manage", program.organization)
    form = BriefingForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            briefing = services.briefing_create(
                by=request.user, program=program, title=form.cleaned_data["title"],
                foreword=form.cleaned_data["foreword"], excerpts=list(form.cleaned_data["excerpts"]),
            )  # fmt: skip
            messages.success(request, _("Briefing drafted. Check it, then publish it."))
            return redirect("pilots:briefing_detail", briefing.pk)
        except services.PilotError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    if request.method == "POST" and form.errors:
        # The excerpt checkboxes show no error of their own when there is nothing to choose from.
        messages.error(request, _("Nothing was saved. %(errors)s") % {"errors": "; ".join(
            f"{form.fields[n].label if n in form.fields else _('Form')}: {' '.join(e)}" for n, e in form.errors.items()
        )})  # fmt: skip
    return render(request, "pilots/briefing_form.html", {"program": program, "form": form})


def _briefing(request, briefing_id):
    qs = briefings_for(request.user).prefetch_related("excerpts__report__slot__organization")
    return get_object_or_404(qs, pk=briefing_id)


@require_GET
def briefing_detail(request, briefing_id: int):
    briefing = _briefing(request, briefing_id)
    can_manage = policies.can(request.user, "manage", briefing.organization)
    return render(request, "pilots/briefing_detail.html", {"briefing": briefing, "can_manage": can_manage})


@require_GET
def briefing_print(request, briefing_id: int):
    return render(request, "pilots/briefing_print.html", {"briefing": _briefing(request, briefing_id)})


@require_POST
def briefing_publish(request, briefing_id: int):
    briefing = _briefing(request, briefing_id)
    policies.require(request.user, "manage", briefing.organization)
    try:
        briefing = services.briefing_publish(briefing=briefing, by=request.user)
        messages.success(request, _("Published as issue %(n)s (overall %(m)s).") % {"n": briefing.number,
                                                                                    "m": briefing.total_number})  # fmt: skip
    except services.PilotError as exc:
        messages.error(request, exc.message)
    return redirect("pilots:briefing_detail", briefing.pk)
