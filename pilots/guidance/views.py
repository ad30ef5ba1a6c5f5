"""Pages for instructors (visits, five ones, totals) and 联试共建 pairs. Each starts from a scoped queryset."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from league import policies, uploads
from league.exports import xlsx_response

from ..models import today
from ..selectors import programs_for
from ..services import PilotError
from . import services, stats
from .forms import (
    ActivityForm,
    AgreementForm,
    AgreementStatusForm,
    AssignmentForm,
    EndAssignmentForm,
    MeetingForm,
    PairForm,
    VisitForm,
    lines,
)
from .models import InstructorAssignment, Problem, ProblemStatus
from .policies import assigned_units, guidance_units_for
from .resources import VisitResource
from .selectors import agreements_for, assignments_for, pairs_for, visit_files_for, visits_for


def _form_error(request, form, exc: PilotError) -> None:
    if exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        form.add_error(None, exc.message)


def _flash_form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))


def _user_label(user) -> str:
    return user.get_full_name() or user.username


# --- instructors -------------------------------------------------------------------------------------------


@require_GET
def guidance_home(request):
    """An instructor's units with their five ones; for staff, the programs whose guidance they follow."""
    user, on = request.user, today()
    mine = list(assigned_units(user).order_by("program__name", "organization__path")[:50])
    checklists = {}
    for program in {u.program for u in mine}:
        checklists.update(stats.five_ones(program, [u for u in mine if u.program_id == program.pk], on=on))
    rows = [(u, checklists.get(u.pk, [])) for u in mine]
    programs = programs_for(user).filter(units__in=guidance_units_for(user).values("pk")).distinct()
    page = Paginator(programs.order_by("-starts_on", "name"), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    recent = list(visits_for(user).order_by("-visited_on", "-id")[:10])
    return render(
        request, "pilots/guidance/home.html", {"rows": rows, "page": page, "recent": recent, "on": on}
    )


@require_GET
def program_guidance(request, program_id: int):
    user, on = request.user, today()
    program = get_object_or_404(programs_for(user), pk=program_id)
    units_qs = guidance_units_for(user).filter(program=program).order_by("organization__path")
    page = Paginator(units_qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    units = list(page.object_list)
    visits = visits_for(user)
    totals = stats.program_totals(program, visits)
    instructor_ids = list(totals["by_instructor"])
    from django.contrib.auth import get_user_model

    people = {u.pk: u for u in get_user_model().objects.filter(pk__in=instructor_ids)}
    by_instructor = sorted(((people[pk], t) for pk, t in totals["by_instructor"].items()),
                           key=lambda r: r[0].username)  # fmt: skip
    checklists = stats.five_ones(program, units, on=on)
    unit_rows = [(u, totals["by_unit"].get(u.pk, stats.Totals()), checklists[u.pk]) for u in units]
    chart = {
        "labels": [_user_label(p) for p, _t in by_instructor],
        "visits": [t.visits for _p, t in by_instructor],
        "activities": [t.activities for _p, t in by_instructor],
        "solved": [t.solved for _p, t in by_instructor],
        "funds": [float(t.funds) for _p, t in by_instructor],
    }
    can_manage = policies.can(user, "manage", program.organization)
    assignments = list(assignments_for(user).filter(unit__program=program).order_by("unit__organization__path",
                                                                                         "starts_on")[:100])  # fmt: skip
    context = {
        "program": program, "page": page, "unit_rows": unit_rows, "by_instructor": by_instructor,
        "total": totals["total"], "instructor_count": totals["instructors"], "chart": chart, "on": on,
        "can_manage": can_manage, "assignments": assignments,
        "assign_form": AssignmentForm(program=program) if can_manage else None,
        "target": stats.target_for(program),
    }  # fmt: skip
    return render(request, "pilots/guidance/program.html", context)


@require_POST
def assignment_create(request, program_id: int):
    program = get_object_or_404(programs_for(request.user), pk=program_id)
    policies.require(request.user, "manage", program.organization)
    form = AssignmentForm(request.POST, program=program)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.assignment_add(by=request.user, unit=d["unit"], instructor=d["instructor"],
                                    starts_on=d["starts_on"], ends_on=d["ends_on"])  # fmt: skip
            messages.success(request, _("Instructor assigned."))
        except PilotError as exc:
            messages.error(request, exc.message)
    else:
        _flash_form_errors(request, form)
    return redirect("pilots:program_guidance", program.pk)


@require_POST
def assignment_end(request, instructor_assignment_id: int):
    assignment = get_object_or_404(assignments_for(request.user), pk=instructor_assignment_id)
    policies.require(request.user, "manage", assignment.unit.program.organization)
    form = EndAssignmentForm(request.POST)
    if form.is_valid():
        try:
            services.assignment_end(
                by=request.user, assignment=assignment, ends_on=form.cleaned_data["ends_on"]
            )
            messages.success(request, _("Assignment ended."))
        except PilotError as exc:
            messages.error(request, exc.message)
    else:
        _flash_form_errors(request, form)
    return redirect("pilots:program_guidance", assignment.unit.program_id)


@require_GET
def unit_guidance(request, unit_id: int):
    user, on = request.user, today()
    unit = get_object_or_404(guidance_units_for(user), pk=unit_id)
    visits = (
        visits_for(user)
        .filter(unit=unit)
        .prefetch_related("problems_raised", "problems_solved", "attachments")
    )
    page = Paginator(visits.order_by("-visited_on", "-id"), 20).get_page(request.GET.get("page"))
    context = {
        "unit": unit, "program": unit.program, "page": page, "on": on,
        "checklist": stats.five_ones(unit.program, [unit], on=on)[unit.pk],
        "target": stats.target_for(unit.program),
        "open_problems": list(Problem.objects.filter(unit=unit, status=ProblemStatus.OPEN).select_related("raised_in")),
        "assignments": list(InstructorAssignment.objects.filter(unit=unit).select_related("instructor")),
        "can_log": assigned_units(user, on=on).filter(pk=unit.pk).exists(),
        "totals": stats.visit_totals(visits, "unit").get(unit.pk, stats.Totals()),
        "pairs": list(pairs_for(user).filter(unit=unit)),
    }  # fmt: skip
    return render(request, "pilots/guidance/unit.html", context)


@require_http_methods(["GET", "POST"])
def visit_create(request, unit_id: int):
    user = request.user
    unit = get_object_or_404(guidance_units_for(user), pk=unit_id)
    if not policies.can(user, "guide", unit.organization):
        raise PermissionDenied
    open_problems = list(Problem.objects.filter(unit=unit, status=ProblemStatus.OPEN))
    posted = request.method == "POST"
    form = VisitForm(
        request.POST if posted else None, request.FILES if posted else None, open_problems=open_problems
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        kind = d["problem_kind"]
        items = [services.ProblemItem(t, kind, False) for t in lines(d["raised"])]
        items += [services.ProblemItem(t, kind, True) for t in lines(d["solved_now"])]
        try:
            visit = services.visit_log(
                by=user, unit=unit, visited_on=d["visited_on"], kind=d["kind"], summary=d["summary"],
                activity_designed=d["activity_designed"], funds_amount=d["funds_amount"] or "0",
                funds_source=d["funds_source"], problems=items, solve=d.get("solve") or [], files=d["files"],
            )  # fmt: skip
        except PilotError as exc:
            _form_error(request, form, exc)
        else:
            messages.success(request, _("Visit to %(unit)s logged.") % {"unit": unit.organization.name})
            return redirect("pilots:visit_detail", visit.pk)
    return render(request, "pilots/guidance/visit_form.html", {"unit": unit, "form": form})


@require_GET
def visit_detail(request, visit_id: int):
    visit = get_object_or_404(visits_for(request.user), pk=visit_id)
    context = {
        "visit": visit, "unit": visit.unit,
        "raised": list(visit.problems_raised.all()), "solved": list(visit.problems_solved.all()),
        "files": list(visit.attachments.all()),
    }  # fmt: skip
    return render(request, "pilots/guidance/visit_detail.html", context)


@require_GET
def visit_file(request, visit_file_id: int):
    attachment = get_object_or_404(visit_files_for(request.user), pk=visit_file_id)
    return uploads.serve(attachment.file.name, download_name=attachment.original_name,
                         content_type=attachment.content_type)  # fmt: skip


@require_GET
def visit_export(request, program_id: int):
    program = get_object_or_404(programs_for(request.user), pk=program_id)
    policies.require(request.user, "export", program.organization)
    visits = visits_for(request.user).filter(unit__program=program).order_by("visited_on", "id")
    return xlsx_response(VisitResource(), visits, "visits")


# --- pairs -------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def pair_list(request, program_id: int):
    user = request.user
    program = get_object_or_404(programs_for(user), pk=program_id)
    can_manage = policies.can(user, "manage", program.organization)
    form = (
        PairForm(request.POST if request.method == "POST" else None, program=program) if can_manage else None
    )
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            try:
                pair = services.pair_create(by=user, program=program, organ=d["organ"], unit=d["unit"],
                                            starts_on=d["starts_on"])  # fmt: skip
                messages.success(request, _("Pair created: %(pair)s") % {"pair": pair})
                return redirect("pilots:pair_list", program.pk)
            except PilotError as exc:
                _form_error(request, form, exc)
    pairs = pairs_for(user).filter(program=program).order_by("id")
    page = Paginator(pairs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    totals = stats.pair_totals(pairs)
    rows = [(p, totals[p.pk]) for p in page.object_list]
    context = {"program": program, "page": page, "rows": rows, "sum": stats.sum_pairs(totals), "form": form,
               "can_manage": can_manage}  # fmt: skip
    return render(request, "pilots/guidance/pairs.html", context)


@require_GET
def pair_detail(request, pair_id: int):
    pair = get_object_or_404(pairs_for(request.user), pk=pair_id)
    can_record = services.can_record_for_pair(request.user, pair)
    context = {
        "pair": pair, "program": pair.program, "can_record": can_record,
        "meetings": list(pair.meetings.all()), "agreements": list(pair.agreements.all()),
        "activities": list(pair.activities.all()), "totals": stats.pair_totals([pair])[pair.pk],
        "meeting_form": MeetingForm(initial={"held_on": today()}) if can_record else None,
        "agreement_form": AgreementForm(initial={"reached_on": today()}) if can_record else None,
        "activity_form": ActivityForm(initial={"held_on": today()}) if can_record else None,
        "status_form": AgreementStatusForm(),
    }  # fmt: skip
    return render(request, "pilots/guidance/pair_detail.html", context)


def _pair_for_recording(request, pair_id):
    pair = get_object_or_404(pairs_for(request.user), pk=pair_id)
    if not services.can_record_for_pair(request.user, pair):
        raise PermissionDenied
    return pair


def _record(request, pair, form, call, done_message):
    if form.is_valid():
        try:
            call(form.cleaned_data)
            messages.success(request, done_message)
        except PilotError as exc:
            messages.error(request, exc.message)
    else:
        _flash_form_errors(request, form)
    return redirect("pilots:pair_detail", pair.pk)


@require_POST
def pair_meeting_add(request, pair_id: int):
    pair = _pair_for_recording(request, pair_id)
    return _record(request, pair, MeetingForm(request.POST), lambda d: services.meeting_add(
        by=request.user, pair=pair, held_on=d["held_on"], attendees=d["attendees"], minutes=d["minutes"]),
        _("Meeting recorded."))  # fmt: skip


@require_POST
def pair_agreement_add(request, pair_id: int):
    pair = _pair_for_recording(request, pair_id)
    return _record(request, pair, AgreementForm(request.POST), lambda d: services.agreement_add(
        by=request.user, pair=pair, title=d["title"], reached_on=d["reached_on"], status=d["status"]),
        _("Agreement recorded."))  # fmt: skip


@require_POST
def pair_activity_add(request, pair_id: int):
    pair = _pair_for_recording(request, pair_id)
    return _record(request, pair, ActivityForm(request.POST), lambda d: services.activity_add(
        by=request.user, pair=pair, held_on=d["held_on"], title=d["title"], participants=d["participants"],
        description=d["description"]), _("Activity recorded."))  # fmt: skip


@require_POST
def agreement_status(request, pair_agreement_id: int):
    agreement = get_object_or_404(agreements_for(request.user), pk=pair_agreement_id)
    pair = _pair_for_recording(request, agreement.pair_id)
    return _record(request, pair, AgreementStatusForm(request.POST), lambda d: services.agreement_set_status(
        by=request.user, agreement=agreement, status=d["status"]), _("Status changed."))  # fmt: skip
