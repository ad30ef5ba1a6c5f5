"""Reminder history: a secretary's own, and per program for staff (who, when, which channel, filed?)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from league import policies

from .. import services
from ..models import Delivery, Reminder, ReminderKind, ReminderState
from ..selectors import programs_for


def _reminders(qs, request):
    kind = request.GET.get("kind", "")
    if kind in ReminderKind.values:
        qs = qs.filter(kind=kind)
    qs = (
        qs.select_related("organization", "slot__report", "program", "message")
        .prefetch_related(
            Prefetch("message__deliveries", queryset=Delivery.objects.order_by("channel", "pk"))
        )
        .order_by("-created_at", "-pk")
    )
    return Paginator(qs, settings.PAGE_SIZE).get_page(request.GET.get("page")), kind


@require_GET
def my_reminders(request):
    qs = Reminder.objects.for_user(request.user, "file").filter(state=ReminderState.SENT)
    page, kind = _reminders(qs, request)
    return render(
        request, "pilots/reminder_list.html", {"page": page, "kind": kind, "kinds": ReminderKind.choices}
    )


@require_GET
def program_reminders(request, program_id: int):
    program = get_object_or_404(programs_for(request.user), pk=program_id)
    policies.require(request.user, "review", program.organization)
    qs = Reminder.objects.for_user(request.user, "review").filter(program=program)
    page, kind = _reminders(qs, request)
    policy = getattr(program, "reminder_policy", None)
    return render(request, "pilots/program_reminders.html", {
        "program": program, "page": page, "kind": kind, "kinds": ReminderKind.choices,
        "paused": bool(policy and policy.paused),
        "may_manage": policies.can(request.user, "manage", program.organization),
    })  # fmt: skip


@require_POST
def program_reminders_send(request, program_id: int):
    program = get_object_or_404(programs_for(request.user), pk=program_id)
    policies.require(request.user, "manage", program.organization)
    found = services.reminders_send_now(program=program, by=request.user)
    messages.success(request, _("%(count)s reminders are due; they are being sent.") % {"count": found})
    return redirect("pilots:program_reminders", program_id=program.pk)
