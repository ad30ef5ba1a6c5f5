"""Deployment probe for operators (JSON, platform admins only): enqueue probe tasks through whichever
app instance serves the request, and read back which instance enqueued and which worker ran each."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from league import policies

from . import services
from .models import TaskRecord

MAX_PROBES = 200
MAX_SECONDS = 30.0


def _number(request, field: str, kind, default, low, high):
    raw = request.POST.get(field, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise ValueError(
            _("%(field)s must be a number from %(low)s to %(high)s.")
            % {"field": field, "low": low, "high": high}
        )
    return value


@require_http_methods(["GET", "POST"])
def probes(request):
    """GET ?batch=…: what happened to a batch. POST count, seconds, batch: enqueue a batch."""
    if not policies.is_platform_admin(request.user):
        raise PermissionDenied
    if request.method == "POST":
        try:
            count = _number(request, "count", int, 10, 1, MAX_PROBES)
            seconds = _number(request, "seconds", float, 0.0, 0.0, MAX_SECONDS)
        except ValueError as exc:
            return JsonResponse({"error": str(exc)}, status=400)
        batch = request.POST.get("batch", "").strip()[:40] or uuid.uuid4().hex[:12]
        keys = services.enqueue_probes(
            batch=batch, count=count, seconds=seconds, enqueued_by=settings.INSTANCE_NAME
        )
        return JsonResponse({"batch": batch, "keys": keys, "instance": settings.INSTANCE_NAME})
    records = TaskRecord.objects.filter(batch=request.GET.get("batch", ""))
    summary = {
        field: {row[field]: row["n"] for row in records.values(field).annotate(n=Count("id")).order_by(field)}
        for field in ("state", "enqueued_by", "done_by")
    }
    totals = records.aggregate(attempts=Sum("attempts"), completions=Sum("completions"), records=Count("id"))
    return JsonResponse({**summary, **totals, "instance": settings.INSTANCE_NAME})
