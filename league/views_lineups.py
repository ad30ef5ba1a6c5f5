"""Pages of the "1+3+X" lineups: a committee's lineup, statistics, term expiry, people, supervision."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET

from . import policies
from .models import Term


def _on(request) -> dt.date:
    return parse_date(request.GET.get("on", "") or "") or timezone.localdate()


@require_GET
def lineup_detail(request, org_id: int):
    organization = policies.get_organization(request.user, org_id)
    on = _on(request)
    term = Term.objects.filter(organization=organization).current(on).first()
    status = term.status(on) if term else None
    seats = list(term.lineup(on)) if term else []
    return render(request, "league/lineup_detail.html",
                  {"organization": organization, "term": term, "status": status, "seats": seats, "on": on})  # fmt: skip
