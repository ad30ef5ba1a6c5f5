"""Pilot programs, their units, leading groups and milestones."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from league import policies
from league.lineups import lineup_statuses_of
from league.models import Level
from league.pagination import first_page_or_paginate

from .. import dashboard as numbers
from .. import services
from ..filters import ProgramFilter
from ..forms import MilestoneDoneForm
from ..models import Milestone, ReportSlot, today
from ..selectors import latest_briefings, program_for_page, program_units_page, programs_for, units_for


@require_GET
def program_list(request):
    filterset = ProgramFilter(request.GET or None, queryset=programs_for(request.user))
    # A first page of no more than PAGE_SIZE programs (every scope of the national data) in one query, not a COUNT
    # and a page.
    page = first_page_or_paginate(
        filterset.qs.order_by("-starts_on", "name"), settings.PAGE_SIZE, request.GET.get("page")
    )
    return render(request, "pilots/program_list.html", {"filter": filterset, "page": page})


def phase_strip(program, phases) -> list[dict]:
    """Phases as offsets and widths (percent of the program's span) for the Gantt-like strip."""
    span = max((program.ends_on - program.starts_on).days + 1, 1)
    on = today()
    strip = []
    for phase in phases:
        left = max((phase.starts_on - program.starts_on).days, 0) * 100 / span
        width = max(((phase.ends_on - phase.starts_on).days + 1) * 100 / span, 1)
        strip.append({"phase": phase, "x": round(left, 2), "width": round(min(width, 100 - left), 2),
                      "current": phase.starts_on <= on <= phase.ends_on})  # fmt: skip
    today_x = (on - program.starts_on).days * 100 / span
    return strip, (round(today_x, 2) if 0 <= today_x <= 100 else None)


@require_GET
def program_detail(request, program_id: int):
    user, on = request.user, today()
    # The program by its id alone, with its organization, lineup rule, phases and schedules (one statement): whether
    # the user may see it is answered below, not by programs_for()'s condition on the runner or any unit in scope,
    # an OR with a subquery PostgreSQL took ~1 ms to plan and run for one program.
    found = program_for_page(program_id)
    if found is None:
        raise Http404("No pilot program in your scope matches the request.")
    program, phases, schedules = found
    # The page of units in the user's scope (only what a row shows, as tuples: the unit, its organization's id and
    # name, and the level and path its lineup is judged by) and their count, capped and read by the path each
    # unit keeps (an index range of unit_path_program), in one statement.
    page = program_units_page(user, program.pk, settings.PAGE_SIZE, request.GET.get("page"))
    # programs_for(user): run inside the user's scope, or with a unit in it (the units just counted: none, no page).
    if not policies.can(user, "view", program.organization) and not page.paginator.count:
        raise Http404("No pilot program in your scope matches the request.")
    unit_list = list(page.object_list)
    # The rows' milestone and report figures, live, in one statement.
    milestone_counts, report_counts = numbers.unit_figures(program.pk, [(u[0], u[1]) for u in unit_list], on)
    # The streets' lineups, from the paths read with the units (not a second read of the organizations).
    street_paths = {org_id: path for _, org_id, _, level, path in unit_list if level == Level.STREET}
    lineups = lineup_statuses_of(street_paths, on=program.lineup_date(on), rule=program.lineup_rule)
    rows = [
        (
            (pk, name),
            milestone_counts.get(pk, {}),
            report_counts.get(org_id, {}),
            lineups.get(org_id),
        )
        for pk, org_id, name, _, _ in unit_list
    ]
    strip, today_x = phase_strip(program, phases)
    context = {
        "program": program,
        "phase": next(
            (phase for phase in phases if phase.starts_on <= on <= phase.ends_on), None
        ),  # phase_on
        "schedules": schedules,
        "strip": strip,
        "today_x": today_x,
        "rows": rows,
        "page": page,
        "can_manage": policies.can(user, "manage", program.organization),
        # What the list shows of a briefing: its title and number (not its program, publisher or texts).
        "briefings": latest_briefings(user, program.pk),
    }
    return render(request, "pilots/program_detail.html", context)


@require_GET
def unit_detail(request, unit_id: int):
    user = request.user
    unit = get_object_or_404(units_for(user), pk=unit_id)
    organization = unit.organization
    can_mark = policies.can(user, "file", organization) or policies.can(user, "manage", organization)
    slots = (
        ReportSlot.objects.filter(program=unit.program, organization=organization)
        .opened()
        .select_related("report", "schedule")
        .order_by("-period_start")
    )
    context = {
        "unit": unit,
        "program": unit.program,
        "leading_group": list(unit.leading_group.all()),
        "milestones": list(unit.milestones.prefetch_related("attachments")),
        "slots": Paginator(slots, 24).get_page(request.GET.get("page")),
        "can_mark": can_mark,
        "done_form": MilestoneDoneForm(initial={"done_on": today()}),
        "on": today(),
    }
    return render(request, "pilots/unit_detail.html", context)


@require_POST
def milestone_complete(request, milestone_id: int):
    milestone = get_object_or_404(
        policies.scoped(Milestone.objects.select_related("unit__organization", "unit__program"), request.user,
                        path_field="unit__organization__path"),
        pk=milestone_id,
    )  # fmt: skip
    organization = milestone.unit.organization
    if not (
        policies.can(request.user, "file", organization) or policies.can(request.user, "manage", organization)
    ):
        raise PermissionDenied
    form = MilestoneDoneForm(request.POST, request.FILES)
    if form.is_valid():
        files = [form.cleaned_data["file"]] if form.cleaned_data.get("file") else []
        try:
            services.milestone_complete(by=request.user, milestone=milestone, done_on=form.cleaned_data["done_on"],
                                        evidence=form.cleaned_data["evidence"], files=files)  # fmt: skip
            messages.success(request, _("Milestone marked done: %(title)s") % {"title": milestone.title})
        except services.PilotError as exc:
            messages.error(request, exc.message)
    else:
        errors = "; ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items())
        messages.error(request, errors)
    return redirect("pilots:unit_detail", milestone.unit_id)
