"""Pages without login under /public/elections/: publicity notices, the objection form, phone voting.

They show only what is published: the elected with their posts during and after publicity, nothing else.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import forms, lineup, services
from .models import BallotPaper, Election, Source, State
from .services import ElectionError
from .strokes import by_surname_strokes
from .tally import MARKS


def _published():
    return Election.objects.filter(
        state__in=[State.PUBLICITY, State.APPOINTED], publicity_start__isnull=False
    )


@require_GET
def notices(request):
    queryset = _published().select_related("organization").order_by("-publicity_start", "-id")
    page = Paginator(queryset, 20).get_page(request.GET.get("page"))
    recruiting = (
        Election.objects.filter(state=State.NOMINATION).select_related("organization").order_by("-id")[:20]
    )
    return render(request, "elections/public/notices.html", {"page": page, "recruiting": recruiting})


@require_http_methods(["GET", "POST"])
def nominate(request, nomination_id: int):
    """Self-nomination (个人自荐) while nomination is open: no login; staff screen it like any other."""
    election = get_object_or_404(Election.objects.filter(state=State.NOMINATION).select_related("organization"),
                                 pk=nomination_id)  # fmt: skip
    form = forms.NominationForm(request.POST or None, public=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.candidate_nominate(by=None, election=election, source=Source.SELF, **form.cleaned_data)
        except ElectionError as exc:
            for field_name, errors in exc.message_dict.items():
                for message in errors:
                    form.add_error(field_name if field_name in form.fields else None, message)
        else:
            messages.success(request, _("Your self-nomination was received. The committee will contact you."))
            return redirect("elections_public:nominate", election.pk)
    return render(request, "elections/public/nominate.html", {"election": election, "form": form})


@require_http_methods(["GET", "POST"])
def notice(request, publicity_id: int):
    election = get_object_or_404(_published().select_related("organization"), pk=publicity_id)
    form = forms.ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_submit(election=election, **form.cleaned_data)
        except ElectionError as exc:
            for field_name, errors in exc.message_dict.items():
                for message in errors:
                    form.add_error(field_name if field_name in form.fields else None, message)
        else:
            messages.success(request, _("Your objection was received. The committee will contact you."))
            return redirect("elections_public:notice", election.pk)
    committee = lineup.appointed_committee(election)
    return render(
        request, "elections/public/notice.html",
        {"election": election, "committee": committee, "form": form,
         "open": election.state == State.PUBLICITY},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def vote(request):
    """Step 1: the code from the paper. Step 2: the ballot. No login; the ballot is not linked to anyone."""
    raw = request.POST.get("code") or request.GET.get("code") or ""
    form = forms.CodeForm(
        {"code": raw}
    )  # refuses what no paper carries (too long, NUL characters) before any query
    code = form.cleaned_data["code"].strip().upper() if form.is_valid() else ""
    paper = BallotPaper.objects.select_related("round__election").filter(code=code).first() if code else None
    error = None
    if raw.strip() and paper is None:
        error = _("This voting code is not known. Check the code on your ballot paper.")
    elif paper is not None and paper.cast:
        error = _("This voting code has already been used. Each code votes once.")
        paper = None
    if paper is not None and request.method == "POST" and request.POST.get("cast") == "1":
        candidates = list(paper.round.candidates.all())
        marks = {}
        for c in candidates:
            mark = request.POST.get(f"c{c.pk}", "abstain")
            marks[str(c.pk)] = mark if mark in MARKS else "abstain"
        write_ins = [w for w in request.POST.getlist("write_in") if w.strip()]
        try:
            services.phone_vote(code=code, marks=marks, write_ins=write_ins)
        except ElectionError as exc:
            error = " ".join(m for ms in exc.message_dict.values() for m in ms)
            paper = None
        else:
            return render(request, "elections/public/voted.html", {})
    context = {"code": code if paper else "", "error": error, "paper": paper}
    if paper is not None:
        rnd = paper.round
        context.update(
            rnd=rnd,
            election=rnd.election,
            candidates=by_surname_strokes(rnd.candidates.all(), lambda c: c.name),
            write_in_lines=range(rnd.seats),
        )
    status = 400 if error else 200
    return render(request, "elections/public/vote.html", context, status=status)
