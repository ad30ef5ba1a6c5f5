"""Pages of pilot programs and reports. Each view fetches through a scoped queryset (league.policies)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .models import Briefing, Report
from .selectors import briefings_for, reports_for


@require_GET
def report_detail(request, report_id: int):
    report = get_object_or_404(reports_for(request.user).select_related("slot__organization"), pk=report_id)
    return render(request, "pilots/report_detail.html", {"report": report})


@require_GET
def briefing_detail(request, briefing_id: int):
    briefing = get_object_or_404(briefings_for(request.user), pk=briefing_id)
    return render(request, "pilots/briefing_detail.html", {"briefing": briefing})


__all__ = ["Briefing", "Report"]
