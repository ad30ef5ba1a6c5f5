"""Staff pages of an election: one page per step, each fetched through the policy, writing via services.

Who may act: league staff ("manage") and the organization's own secretaries ("file") run the steps;
the rule numbers are changed by staff only. Everyone who may view the organization may read.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from league import policies
from league.exports import xlsx_response

from . import forms, lineup, services
from .models import (
    BallotSource,
    Candidate,
    Election,
    Objection,
    Round,
    State,
    Vetting,
    Voter,
    VoterRole,
)
from .resources import CandidateResource, ElectionResource
from .services import ElectionError
from .strokes import by_surname_strokes, unknown_surnames
from .tally import MARKS

# --- access -------------------------------------------------------------------------------------------


def can_run(user, organization) -> bool:
    return policies.can(user, "manage", organization) or policies.can(user, "file", organization)


def _elections(user):
    return policies.scoped_by_owner(Election.objects.select_related("organization"), user, "view")


def _election(request, election_id: int, *, run: bool = False, manage: bool = False) -> Election:
    election = get_object_or_404(_elections(request.user), pk=election_id)
    if manage:
        policies.require(request.user, "manage", election.organization)
    elif run and not can_run(request.user, election.organization):
        raise PermissionDenied
    return election


def _scoped_get(request, model, pk, *, run=True):
    obj = get_object_or_404(
        policies.scoped(model.objects.select_related("election__organization"), request.user, "view",
                        path_field="election__organization__path"),
        pk=pk,
    )  # fmt: skip
    if run and not can_run(request.user, obj.election.organization):
        raise PermissionDenied
    return obj


def _apply(request, form, call, success: str):
    """Call a service; on a broken rule put its message on the form (or the page) and return None."""
    try:
        result = call()
    except ElectionError as exc:
        if hasattr(exc, "error_dict"):
            for field_name, errors in exc.message_dict.items():
                target = field_name if form is not None and field_name in form.fields else None
                for message in errors:
                    if form is not None:
                        form.add_error(target, message)
                    else:
                        messages.error(request, message)
        else:
            for message in exc.messages:
                if form is not None:
                    form.add_error(None, message)
                else:
                    messages.error(request, message)
        return None
    messages.success(request, success)
    return result if result is not None else True


def _refused(request, *forms_) -> None:
    """A POST that saved nothing says why, naming the field: the page may not show the form in this state."""
    if request.method != "POST":
        return
    for form in forms_:
        if not form.is_bound or not form.errors:
            continue
        parts = [
            f"{form.fields[name].label if name in form.fields else _('Form')}: {' '.join(errors)}"
            for name, errors in form.errors.items()
        ]
        messages.error(request, _("Nothing was saved. %(errors)s") % {"errors": "; ".join(parts)})


# --- list, create, detail -----------------------------------------------------------------------------


@require_GET
def election_list(request):
    queryset = _elections(request.user).with_counts().order_by("-created_at", "-id")
    org_id = request.GET.get("org")
    organization = None
    if org_id:
        organization = policies.get_organization(request.user, org_id)
        queryset = policies.owned_under(queryset, organization)
    filtered = forms.ElectionFilter(request.GET, queryset=queryset)
    if request.GET.get("export") == "xlsx":
        if (
            not policies.scope_paths(request.user, "export")
            and policies.scope_paths(request.user, "export") is not None
        ):
            raise PermissionDenied
        return xlsx_response(ElectionResource(), filtered.qs, "elections")
    page = Paginator(filtered.qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    creatable = _creatable(request.user)
    return render(
        request, "elections/list.html",
        {"filter": filtered, "page": page, "organization": organization, "can_create": creatable.exists()},
    )  # fmt: skip


def _creatable(user):
    manage = policies.organizations_for(user, "manage")
    file = policies.organizations_for(user, "file")
    return (manage | file).filter(level__in=["street", "county"]).order_by("path").distinct()


@require_http_methods(["GET", "POST"])
def election_create(request):
    organizations = _creatable(request.user)
    if not organizations.exists():
        raise PermissionDenied
    form = forms.ElectionCreateForm(
        request.POST or None, organizations=organizations, initial={"organization": request.GET.get("org")}
    )
    if request.method == "POST" and form.is_valid():
        election = _apply(
            request, form,
            lambda: services.election_create(by=request.user, **form.cleaned_data),
            _("Election created. Design the seats next."),
        )  # fmt: skip
        if election:
            return redirect("elections:rules", election.pk)
    return render(request, "elections/form.html", {"form": form, "title": _("New election")})


STEPS = [
    (State.DESIGN, "elections:rules"),
    (State.NOMINATION, "elections:candidates"),
    (State.SCREENING, "elections:candidates"),
    (State.FORMAL, "elections:roll"),
    (State.CONGRESS, "elections:congress"),
    (State.COMMITTEE, "elections:congress"),
    (State.REPORT, "elections:report"),
    (State.PUBLICITY, "elections:publicity"),
    (State.APPOINTED, "elections:report"),
]


@require_GET
def election_detail(request, election_id: int):
    election = _election(request, election_id)
    events = election.events.all()
    return render(
        request,
        "elections/detail.html",
        {
            "election": election,
            "steps": [(state, url, election.reached(state), election.state == state) for state, url in STEPS],
            "events_page": Paginator(events, 100).get_page(request.GET.get("page")),
            "can_run": can_run(request.user, election.organization),
            "committee": lineup.appointed_committee(election) if election.reached(State.REPORT) else [],
            "nominations_needed": services.nominations_needed(election),
            "candidate_count": election.candidates.count(),
        },
    )


@require_POST
def election_step(request, election_id: int):
    """Simple state steps with no form: open nomination, close nomination, start the vote, next round..."""
    election = _election(request, election_id, run=True)
    step = request.POST.get("step")
    calls = {
        "open_nomination": (services.nomination_open, _("Nomination is open."), "elections:candidates"),
        "close_nomination": (services.nomination_close, _("Nomination closed; screening is open."), "elections:candidates"),
        "start_vote": (services.vote_start, _("The vote has started; ballot papers are ready to print."), "elections:congress"),
        "next_round": (services.round_next, _("A new round is open."), "elections:congress"),
        "reduce_seats": (services.seats_reduce, _("Seats reduced."), "elections:congress"),
    }  # fmt: skip
    if step not in calls:
        messages.error(request, _("Unknown step."))
        return redirect("elections:detail", election.pk)
    func, success, target = calls[step]
    if step in ("open_nomination",) and not policies.can(request.user, "manage", election.organization):
        # Opening nomination freezes the rules: staff decide when.
        if not policies.can(request.user, "file", election.organization):
            raise PermissionDenied
    _apply(request, None, lambda: func(by=request.user, election=election), success)
    return redirect(target, election.pk)


# --- seat design and rules ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def election_rules(request, election_id: int):
    election = _election(request, election_id)
    may_edit = policies.can(request.user, "manage", election.organization) and not election.rules_frozen
    form = forms.RulesForm(request.POST if request.POST.get("form") == "rules" else None, instance=election)
    quota_form = forms.QuotaForm(request.POST if request.POST.get("form") == "quota" else None)
    if request.method == "POST":
        if not policies.can(request.user, "manage", election.organization):
            raise PermissionDenied
        if request.POST.get("form") == "rules" and form.is_valid():
            values = {f: form.cleaned_data[f] for f in form.Meta.fields}
            election.refresh_from_db()
            if _apply(
                request,
                form,
                lambda: services.election_update_rules(by=request.user, election=election, **values) or True,
                _("Rules saved."),
            ):
                return redirect("elections:rules", election.pk)
        elif request.POST.get("form") == "quota" and quota_form.is_valid():
            if _apply(
                request,
                quota_form,
                lambda: (
                    services.quota_set(by=request.user, election=election, **quota_form.cleaned_data) or True
                ),
                _("Quota saved."),
            ):
                return redirect("elections:rules", election.pk)
        election.refresh_from_db()
        _refused(request, form, quota_form)
    if not may_edit:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request, "elections/rules.html",
        {"election": election, "form": form, "quota_form": quota_form, "may_edit": may_edit,
         "can_run": can_run(request.user, election.organization), "quotas": election.quotas.all()},
    )  # fmt: skip


# --- nomination and screening -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def candidate_list(request, election_id: int):
    election = _election(request, election_id)
    form = forms.NominationForm(request.POST or None)
    if request.method == "POST":
        if not can_run(request.user, election.organization):
            raise PermissionDenied
        if form.is_valid():
            if _apply(
                request,
                form,
                lambda: services.candidate_nominate(by=request.user, election=election, **form.cleaned_data),
                _("Nomination recorded."),
            ):
                return redirect("elections:candidates", election.pk)
        _refused(request, form)
    candidates = election.candidates.all().order_by("-is_formal", "id")
    if request.GET.get("export") == "xlsx":
        if not policies.can(request.user, "export", election.organization):
            raise PermissionDenied
        return xlsx_response(CandidateResource(), candidates, "candidates")
    ranked = sorted(candidates, key=lambda c: (c.vetting != Vetting.PASSED, -(c.total_score or 0), c.id))
    return render(
        request, "elections/candidates.html",
        {"election": election, "form": form, "page": Paginator(ranked, settings.PAGE_SIZE).get_page(request.GET.get("page")),
         "needed": services.nominations_needed(election), "minimum": election.recommended_minimum(),
         "can_run": can_run(request.user, election.organization)},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def candidate_detail(request, candidate_id: int):
    candidate = _scoped_get(request, Candidate, candidate_id, run=False)
    election = candidate.election
    form = forms.ScreeningForm(
        request.POST or None,
        initial={"written_score": candidate.written_score, "interview_score": candidate.interview_score,
                 "vetting": candidate.vetting, "notes": candidate.screening_notes},
    )  # fmt: skip
    if request.method == "POST":
        if not can_run(request.user, election.organization):
            raise PermissionDenied
        if form.is_valid():
            if _apply(
                request,
                form,
                lambda: services.screening_record(by=request.user, candidate=candidate, **form.cleaned_data),
                _("Screening recorded."),
            ):
                return redirect("elections:candidates", election.pk)
        _refused(request, form)
    return render(
        request, "elections/candidate.html",
        {"election": election, "candidate": candidate, "form": form,
         "may_screen": election.state == State.SCREENING and can_run(request.user, election.organization)},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def formal(request, election_id: int):
    election = _election(request, election_id)
    form = forms.FormalForm(request.POST or None, election=election)
    if request.method == "POST":
        if not can_run(request.user, election.organization):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            if _apply(
                request, form,
                lambda: services.formal_confirm(by=request.user, election=election, candidates=list(data["candidates"]),
                                                confirmed_by=data["confirmed_by"], confirmed_on=data["confirmed_on"]),
                _("Formal candidates confirmed. Prepare the roll of voters."),
            ):  # fmt: skip
                return redirect("elections:roll", election.pk)
        _refused(request, form)
    return render(
        request, "elections/formal.html",
        {"election": election, "form": form, "minimum": election.formal_minimum(),
         "formal": election.candidates.filter(is_formal=True)},
    )  # fmt: skip


# --- the roll and the congress ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def roll(request, election_id: int):
    election = _election(request, election_id)
    form = forms.RollLinesForm(request.POST or None)
    if request.method == "POST":
        if not can_run(request.user, election.organization):
            raise PermissionDenied
        if form.is_valid():
            added = _apply(
                request,
                form,
                lambda: services.roll_add_lines(
                    by=request.user, election=election, text=form.cleaned_data["lines"]
                ),
                _("Voters added."),
            )
            if added:
                return redirect("elections:roll", election.pk)
        _refused(request, form)
    voters = election.voters.all().order_by("sector", "id")
    return render(
        request, "elections/roll.html",
        {"election": election, "form": form, "page": Paginator(voters, 200).get_page(request.GET.get("page")),
         "attendance": services.attendance(election), "roles": VoterRole.choices,
         "editable": election.state == State.FORMAL and can_run(request.user, election.organization)},
    )  # fmt: skip


@require_POST
def voter_update(request, voter_id: int):
    voter = _scoped_get(request, Voter, voter_id)
    form = forms.VoterForm(request.POST)
    if form.is_valid():
        _apply(
            request,
            None,
            lambda: services.voter_update(by=request.user, voter=voter, **form.cleaned_data),
            _("%(name)s updated.") % {"name": voter.name},
        )
    else:
        messages.error(request, _("Check the role."))
    return redirect("elections:roll", voter.election_id)


@require_GET
def congress(request, election_id: int):
    election = _election(request, election_id)
    rounds = election.rounds.annotate(ballot_count=Count("ballots")).order_by("number")
    current = services.open_round(election)
    last = election.rounds.filter(certified_at__isnull=False).order_by("-number").first()
    officer_form = None
    if election.state == State.COMMITTEE and current is None:
        officer_form = forms.OfficerRoundForm(
            election=election, initial={"voters_present": election.candidates.filter(elected=True).count()}
        )
    return render(
        request, "elections/congress.html",
        {"election": election, "rounds": rounds, "current": current, "last": last,
         "attendance": services.attendance(election), "officer_form": officer_form,
         "elected": by_surname_strokes(election.candidates.filter(elected=True), lambda c: c.name),
         "can_run": can_run(request.user, election.organization)},
    )  # fmt: skip


@require_POST
def officer_round(request, election_id: int):
    election = _election(request, election_id, run=True)
    form = forms.OfficerRoundForm(request.POST, election=election)
    if form.is_valid():
        data = form.cleaned_data
        _apply(request, None, lambda: services.officer_round_open(by=request.user, election=election, post=data["post"],
               candidates=list(data["candidates"]), voters_present=data["voters_present"]), _("The round is open."))  # fmt: skip
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect("elections:congress", election.pk)


# --- rounds -------------------------------------------------------------------------------------------


def _round(request, round_id: int, *, run=False) -> Round:
    rnd = get_object_or_404(
        policies.scoped(Round.objects.select_related("election__organization"), request.user, "view",
                        path_field="election__organization__path"),
        pk=round_id,
    )  # fmt: skip
    if run and not can_run(request.user, rnd.election.organization):
        raise PermissionDenied
    return rnd


def _marks_from_post(request, candidates) -> tuple[dict, list[str]]:
    marks = {}
    for c in candidates:
        mark = request.POST.get(f"c{c.pk}", "abstain")
        marks[str(c.pk)] = mark if mark in MARKS else "abstain"
    write_ins = [w for w in request.POST.getlist("write_in") if w.strip()]
    return marks, write_ins


@require_http_methods(["GET", "POST"])
def round_detail(request, round_id: int):
    rnd = _round(request, round_id)
    election = rnd.election
    candidates = list(rnd.candidates.order_by("id"))
    if request.method == "POST":
        if not can_run(request.user, election.organization):
            raise PermissionDenied
        marks, write_ins = _marks_from_post(request, candidates)
        counter = election.voters.filter(pk=request.POST.get("counter"), role=VoterRole.COUNTER).first()
        try:
            paper_number, entry = (
                int(request.POST.get("paper_number", "")),
                int(request.POST.get("entry", "")),
            )
        except ValueError:
            messages.error(request, _("Give the paper number and the entry (first or second)."))
        else:
            if counter is None:
                messages.error(request, _("Choose the counter who reads this paper."))
            else:
                _apply(request, None, lambda: services.ballot_enter(by=request.user, rnd=rnd, paper_number=paper_number, entry=entry,
                       counter=counter, marks=marks, write_ins=write_ins),
                       _("Paper %(n)s, entry %(e)s recorded.") % {"n": paper_number, "e": entry})  # fmt: skip
        return redirect("elections:round", rnd.pk)
    count = services.round_count(rnd)
    names = {str(c.pk): c.name for c in candidates}
    superseded = Round.objects.filter(recount_of=rnd).first()
    entries = rnd.ballots.filter(source=BallotSource.PAPER).select_related("counter").order_by("-id")[:30]
    return render(
        request, "elections/round.html",
        {"election": election, "rnd": rnd, "candidates": candidates, "count": count, "names": names,
         "counters": election.voters.filter(role=VoterRole.COUNTER), "recent": entries,
         "superseded": superseded, "issued": rnd.papers.count(),
         "returned_form": forms.ReturnedForm(initial={"returned": rnd.papers_returned}),
         "recount_form": forms.RecountForm(), "write_in_lines": range(min(rnd.seats, 5)),
         "elected_sorted": by_surname_strokes((rnd.result or {}).get("elected", [])),
         "open": rnd.certified_at is None and superseded is None,
         "can_run": can_run(request.user, election.organization)},
    )  # fmt: skip


@require_POST
def round_action(request, round_id: int):
    rnd = _round(request, round_id, run=True)
    action = request.POST.get("action")
    if action == "certify":
        _apply(
            request,
            None,
            lambda: services.round_certify(by=request.user, rnd=rnd),
            _("The round is certified."),
        )
        return redirect("elections:congress", rnd.election_id)
    if action == "returned":
        form = forms.ReturnedForm(request.POST)
        if form.is_valid():
            _apply(
                request,
                None,
                lambda: services.papers_returned_record(
                    by=request.user, rnd=rnd, returned=form.cleaned_data["returned"]
                ),
                _("Ballots returned recorded."),
            )
        else:
            messages.error(request, _("Count the papers returned."))
    elif action == "recount":
        form = forms.RecountForm(request.POST)
        if not form.is_valid():
            _refused(request, form)
            return redirect("elections:round", rnd.pk)
        new = _apply(
            request,
            None,
            lambda: services.recount(by=request.user, rnd=rnd, reason=form.cleaned_data["reason"]),
            _("A recount is open."),
        )
        if new:
            return redirect("elections:round", new.pk)
    return redirect("elections:round", rnd.pk)


@require_GET
def round_print(request, round_id: int):
    """Ballot papers (numbered, with the one-time phone code) and the tally sheet, ready to print."""
    rnd = _round(request, round_id, run=True)
    candidates = by_surname_strokes(rnd.candidates.all(), lambda c: c.name)
    papers = rnd.papers.all() if request.GET.get("sheet") != "1" else []
    return render(
        request, "elections/print.html",
        {"election": rnd.election, "rnd": rnd, "candidates": candidates, "papers": papers,
         "write_in_lines": range(rnd.seats), "sheet_rows": range(1, 6),
         "vote_url": request.build_absolute_uri("/public/elections/vote/")},
    )  # fmt: skip


# --- report, publicity, appointment -------------------------------------------------------------------


def _result_rows(election):
    rows = []
    for rnd in election.rounds.filter(certified_at__isnull=False).order_by("number"):
        rows.append(rnd)
    return rows


@require_http_methods(["GET", "POST"])
def report(request, election_id: int):
    election = _election(request, election_id)
    form = forms.ApprovalForm(request.POST or None, initial={"approved_on": timezone.localdate()})
    if request.method == "POST":
        if not can_run(request.user, election.organization):
            raise PermissionDenied
        if form.is_valid() and _apply(
            request,
            form,
            lambda: services.report_approve(by=request.user, election=election, **form.cleaned_data),
            _("Approval recorded."),
        ):
            return redirect("elections:publicity", election.pk)
        _refused(request, form)
    committee = lineup.appointed_committee(election)
    return render(
        request, "elections/report.html",
        {"election": election, "form": form, "rounds": _result_rows(election), "committee": committee,
         "unknown": unknown_surnames(c.name for c in committee),
         "attendance": services.attendance(election),
         "can_run": can_run(request.user, election.organization)},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def publicity(request, election_id: int):
    election = _election(request, election_id)
    start_form = forms.PublicityForm(
        request.POST if request.POST.get("form") == "start" else None, initial={"start": timezone.localdate()}
    )
    appoint_form = forms.AppointForm(
        request.POST if request.POST.get("form") == "appoint" else None,
        initial={"on": timezone.localdate()},
        election=election,
    )
    if request.method == "POST":
        if not can_run(request.user, election.organization):
            raise PermissionDenied
        if request.POST.get("form") == "start" and start_form.is_valid():
            if _apply(
                request,
                start_form,
                lambda: services.publicity_open(
                    by=request.user, election=election, **start_form.cleaned_data
                ),
                _("The notice is public."),
            ):
                return redirect("elections:publicity", election.pk)
        if request.POST.get("form") == "appoint" and appoint_form.is_valid():
            if _apply(
                request,
                appoint_form,
                lambda: services.appoint(by=request.user, election=election, **appoint_form.cleaned_data),
                _("Appointed: the lineup is filled."),
            ):
                return redirect("elections:detail", election.pk)
        election.refresh_from_db()
        _refused(request, start_form, appoint_form)
    objections = election.objections.select_related("resolved_by")
    return render(
        request, "elections/publicity.html",
        {"election": election, "start_form": start_form, "appoint_form": appoint_form, "objections": objections,
         "resolve_form": forms.ResolveForm(), "committee": lineup.appointed_committee(election),
         "can_run": can_run(request.user, election.organization)},
    )  # fmt: skip


@require_POST
def objection_resolve(request, objection_id: int):
    objection = _scoped_get(request, Objection, objection_id)
    form = forms.ResolveForm(request.POST)
    if form.is_valid():
        _apply(
            request,
            None,
            lambda: services.objection_resolve(by=request.user, objection=objection, **form.cleaned_data),
            _("Objection resolved."),
        )
    else:
        messages.error(request, _("Say how the objection was resolved."))
    return redirect("elections:publicity", objection.election_id)
