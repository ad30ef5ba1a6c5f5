"""Filing, reviewing and reading progress reports."""

from __future__ import annotations

import difflib
from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from league import policies, uploads
from league.exports import ExportSpec, export_list, export_source
from league.locking import StaleObjectError
from league.pagination import CappedPaginator

from .. import services
from ..filters import ReportFilter
from ..forms import ExcerptForm, ReportForm, ReturnForm
from ..models import REPORT_TEXT_FIELDS, Attachment, Report, ReportState, today
from ..panels import HOME_SLOT_FIELDS
from ..resources import ReportResource
from ..selectors import (
    REPORT_LIST_ORDER,
    ReportListRows,
    ReviewQueueRows,
    by_organizations_in_scope,
    outstanding_slots_for,
    reports_for,
    slots_for,
)
from ..templatetags.pilots_tags import PROGRESS_SHOWN


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


DETAIL_RELATED = ("slot__organization", "slot__program", "slot__schedule", "submitted_by", "reviewed_by")


def _report_or_404(user, report_id, action="view", related=DETAIL_RELATED, only=None):
    qs = reports_for(user, "view").select_related(*related)
    if only:
        qs = qs.only(*only)
    report = get_object_or_404(qs, pk=report_id)
    policies.require(user, action, report.slot.organization)
    return report


# --- secretaries ---------------------------------------------------------------------------------------------


@require_GET
def my_reports(request):
    """What the user has to file: due, overdue and returned reports, with one click to file each."""
    if policies.scope_paths(request.user, "file") == []:
        raise PermissionDenied
    on = today()
    # What pilots/_file_list.html shows of a slot (not the schedule, the program's figure fields, the texts).
    outstanding = list(
        outstanding_slots_for(request.user, on=on)
        .select_related(None)
        .select_related("organization", "program", "report")
        .only(*HOME_SLOT_FIELDS)[:200]
    )
    # The user's own slots' reports (by organization id), not every submitted report of the country.
    recent = (
        by_organizations_in_scope(Report.objects.all(), request.user, "file", "slot__organization")
        .filter(state__in=[ReportState.SUBMITTED, ReportState.ACCEPTED])
        .select_related("slot__organization")
        .only("state", "late", "slot__period_start", "slot__period_end", "slot__organization__name")
        .order_by("-submitted_at")[:20]
    )
    return render(request, "pilots/my_reports.html", {"outstanding": outstanding, "recent": recent, "on": on})


@require_POST
def slot_file(request, slot_id: int):
    """One click to file: open the slot's report (creating the draft) and go to its form."""
    # The organization is checked and named in messages; the program plays no part in opening the draft.
    slot = get_object_or_404(slots_for(request.user).select_related("organization"), pk=slot_id)
    policies.require(request.user, "file", slot.organization)
    report = Report.objects.filter(slot=slot).only("state").first()  # where to go needs the state only
    if report is None:
        try:
            report = services.report_start(slot=slot, by=request.user)
        except services.PilotError as exc:
            messages.error(request, exc.message)
            return redirect("pilots:my_reports")
    if not report.is_editable:
        return redirect("pilots:report_detail", report.pk)
    return redirect("pilots:report_edit", report.pk)


EDIT_RELATED = ("slot__organization", "slot__program")  # the form shows them; not who submitted or reviewed


@require_http_methods(["GET", "POST"])
def report_edit(request, report_id: int):
    if request.method == "POST":
        return _report_edit_post(request, report_id)
    report = _report_or_404(request.user, report_id, "file", related=EDIT_RELATED)
    if not report.is_editable:
        return _not_editable(request, report)
    return _report_edit_page(request, report, ReportForm(report=report))


def _not_editable(request, report):
    messages.info(request, _("This report has been submitted and can no longer be changed."))
    return redirect("pilots:report_detail", report.pk)


def _report_edit_page(request, report, form, status=200):
    context = {"report": report, "form": form, "attachments": list(report.attachments.all())}
    return render(request, "pilots/report_edit.html", context, status=status)


def _report_edit_post(request, report_id: int):
    """Save (or save and submit) the form. The report is read once, locked, in the transaction that saves it;
    a refusal undoes that transaction whole (attachment and texts too) and shows the form again, from the
    report as read (the services set the posted texts on it, which the bound form shows anyway)."""
    submit = "submit" in request.POST
    status = 200
    policies.memberships(request.user)  # read before the transaction: SQLite lets in one writer at a time
    try:
        with transaction.atomic():
            report = services.report_lock(by=request.user, pk=report_id)
            if report is None:
                raise Http404("No report in your scope matches the request.")
            policies.require(request.user, "file", report.slot.organization)
            if not report.is_editable:
                return _not_editable(request, report)
            form = ReportForm(request.POST or None, request.FILES or None, report=report)
            if form.is_valid():
                content = {"figures": form.figures(), "expected_token": form.cleaned_data.get("token") or None,
                           **form.texts()}  # fmt: skip
                if form.cleaned_data.get("file"):
                    services.attachment_add(report=report, by=request.user, upload=form.cleaned_data["file"])
                if submit:  # saved and submitted in one step
                    services.report_submit(report=report, by=request.user, content=content, locked=True)
                else:
                    services.report_save(report=report, by=request.user, locked=True, **content)
    except services.PilotError as exc:
        target = exc.field if exc.field in form.fields else f"fig_{exc.field}"
        form.add_error(target if target in form.fields else None, exc.message)
    except StaleObjectError as exc:
        form.add_error(None, str(exc))
        status = 409
    if not form.is_valid():  # a field left wrong, or a refusal above (errors added make the form invalid)
        return _report_edit_page(request, report, form, status=status)
    if submit:
        messages.success(request, _("Report submitted."))
        return redirect("pilots:report_detail", report.pk)
    messages.success(request, _("Draft saved."))
    return redirect("pilots:report_edit", report.pk)


@require_POST
def attachment_remove(request, attachment_id: int):
    attachment = get_object_or_404(
        policies.scoped(Attachment.objects.select_related("report"), request.user), pk=attachment_id
    )
    try:
        services.attachment_remove(attachment=attachment, by=request.user)
    except services.PilotError as exc:
        messages.error(request, exc.message)
    if attachment.report_id:
        return redirect("pilots:report_edit", attachment.report_id)
    return redirect("pilots:my_reports")


@require_GET
def attachment_download(request, attachment_id: int):
    """Files are served only here, after the scope check, as downloads."""
    attachment = get_object_or_404(policies.scoped(Attachment.objects.all(), request.user), pk=attachment_id)
    return uploads.serve(attachment.file.name, download_name=attachment.original_name,
                         content_type=attachment.content_type)  # fmt: skip


# --- reading and reviewing -----------------------------------------------------------------------------------


# What the report page's list of versions shows (not the texts and figures each version keeps); the report
# too, which the related manager sets on each version.
VERSION_LIST_FIELDS = ("report", "number", "submitted_at", "late", "return_reason", "return_comment",
                       "submitted_by__username", "submitted_by__first_name", "submitted_by__last_name")  # fmt: skip


# What the report page reads of a report and its slot, organization (its name; its path and parent for the
# scope and review checks) and program (its name and figure fields): not the organization's or program's other
# columns, nor who created or reviewed the report.
DETAIL_FIELDS = ("state", "version", "late", "submitted_at", "return_reason", "return_comment", "figures",
                 *REPORT_TEXT_FIELDS, "slot__period_start", "slot__period_end", "slot__due_on", "slot__deadline",
                 "slot__organization__name", "slot__organization__path", "slot__organization__parent_id",
                 "slot__program__name", "slot__program__figure_fields")  # fmt: skip


@require_GET
def report_detail(request, report_id: int):
    # The page shows the organization, period and program; who submitted each version comes with the versions.
    report = _report_or_404(request.user, report_id, related=("slot__organization", "slot__program"),
                            only=DETAIL_FIELDS)  # fmt: skip
    organization = report.slot.organization
    can_review = services.can_review(request.user, organization)
    context = {
        "report": report,
        "figures": [
            (f["label"], (report.figures or {}).get(f["key"]), f.get("unit", ""))
            for f in report.slot.program.figure_fields or []
        ],
        "versions": list(
            report.versions.select_related("submitted_by").only(*VERSION_LIST_FIELDS).order_by("number")
        ),
        "attachments": list(report.attachments.all()),
        "excerpts": list(report.excerpts.select_related("briefing")),
        "can_file": policies.can(request.user, "file", organization) and report.is_editable,
        "can_review": can_review and report.state == ReportState.SUBMITTED,
        "can_mark": can_review and report.state == ReportState.ACCEPTED,
        "return_form": ReturnForm(),
        "excerpt_form": ExcerptForm(initial={"title": str(organization), "text": report.innovations}),
    }
    return render(request, "pilots/report_detail.html", context)


@require_GET
def report_compare(request, report_id: int):
    """Two submitted versions side by side, changed lines marked."""
    report = _report_or_404(request.user, report_id)
    versions = {v.number: v for v in report.versions.all()}
    if len(versions) < 2:
        messages.info(request, _("There is only one version of this report."))
        return redirect("pilots:report_detail", report.pk)
    numbers = sorted(versions)

    def pick(name, default):
        try:
            n = int(request.GET.get(name, default))
        except ValueError:
            n = default
        return versions.get(n, versions[default])

    a, b = pick("a", numbers[-2]), pick("b", numbers[-1])
    labels = {f: report._meta.get_field(f).verbose_name for f in REPORT_TEXT_FIELDS}
    rows = []
    for field in REPORT_TEXT_FIELDS:
        before, after = getattr(a, field), getattr(b, field)
        diff = list(difflib.ndiff(before.splitlines() or [""], after.splitlines() or [""]))
        lines = [(line[0], line[2:]) for line in diff if not line.startswith("?")]
        rows.append({"label": labels[field], "changed": before != after, "lines": lines})
    for f in report.slot.program.figure_fields or []:
        before, after = (a.figures or {}).get(f["key"]), (b.figures or {}).get(f["key"])
        rows.append({"label": f["label"], "changed": before != after, "before": before, "after": after})
    context = {"report": report, "a": a, "b": b, "rows": rows, "numbers": numbers}
    return render(request, "pilots/report_compare.html", context)


@require_GET
def review_queue(request):
    """Submitted reports the user may review, oldest first, with accept/return in place."""
    if policies.scope_paths(request.user, "review") == []:
        raise PermissionDenied
    # Only what a row shows, as tuples (no model instances), read by SQL written once: no texts but the head of
    # the progress (the row shows 160 characters of it, and truncatechars:160 of the head is that of the whole
    # text). Counted without the row's columns: the partial index report_queue alone answers it (no joins).
    rows = ReviewQueueRows(request.user, head=PROGRESS_SHOWN + 1)
    asked = request.GET.get("page")
    page = CappedPaginator(rows, settings.PAGE_SIZE, page=asked).get_page(asked)
    return render(request, "pilots/review_queue.html", {"page": page, "return_form": ReturnForm()})


@require_POST
def report_review(request, report_id: int):
    report = _report_or_404(request.user, report_id)
    if not services.can_review(request.user, report.slot.organization):
        raise PermissionDenied
    decision = request.POST.get("decision")
    form = ReturnForm(request.POST) if decision == "return" else None
    error = None
    try:
        if decision == "accept":
            report = services.report_accept(report=report, by=request.user)
            done = _("Accepted: %(report)s") % {"report": report}
        elif decision == "return":
            report = services.report_return(
                report=report, by=request.user, reason=request.POST.get("reason", ""),
                comment=request.POST.get("comment", ""),
            )  # fmt: skip
            done = _("Returned for revision: %(report)s") % {"report": report}
        else:
            raise services.PilotError(_("Choose accept or return."))
    except services.PilotError as exc:
        error = exc.message
    if _is_htmx(request):
        report.refresh_from_db()
        context = {"report": report, "error": error, "done": None if error else done,
                   "return_form": form or ReturnForm()}  # fmt: skip
        return render(request, "pilots/_review_row.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "pilots:review_queue"
    return redirect(target or "pilots:review_queue")


# --- lists and export ----------------------------------------------------------------------------------------


@require_GET
def report_list(request):
    # The filters' form validates and shows the filters; the rows are read by SQL written once (ReportListRows:
    # the rows of ReportFilter's queryset in REPORT_LIST_ORDER, newest period first, then in tree order, as the
    # export's), only the columns a row shows, as tuples. The index report_period_path gives that order, so a page
    # reads its fifty rows instead of sorting every report in scope (docs/benchmarks.md); the count reads no row
    # columns.
    filterset = ReportFilter(request.GET or None, queryset=Report.objects.none(), request=request)
    filters = None
    if filterset.is_bound:
        filterset.is_valid()  # a field left wrong puts no condition, as in django-filter's queryset
        filters = filterset.form.cleaned_data
    rows = ReportListRows(request.user, filters)
    asked = request.GET.get("page")
    page = CappedPaginator(rows, settings.PAGE_SIZE, page=asked).get_page(asked)
    can_export = policies.scope_paths(request.user, "export") != []
    return render(request, "pilots/report_list.html", {"filter": filterset, "page": page,
                                                       "can_export": can_export})  # fmt: skip


@export_source("reports")
def report_export_source(user, params) -> ExportSpec:
    """The report list as exported, in the web and in the worker: the user's export scope, the list's filters,
    the list's order, every column of the rows."""
    base = reports_for(user, "export").select_related("slot__organization", "slot__program")
    # The filter asks the request only for its user (the programs a user may pick).
    filterset = ReportFilter(params or None, queryset=base, request=SimpleNamespace(user=user))
    rows = filterset.qs.order_by(*REPORT_LIST_ORDER).only(*_EXPORT_FIELDS)
    return ExportSpec(ReportResource(), rows, "reports")


# What ReportResource reads of a report, its slot, organization and program (a province's year is tens of
# thousands of rows: no column or related row more is built for each).
_EXPORT_FIELDS = ("state", "late", "version", "submitted_at", *REPORT_TEXT_FIELDS, "figures",
                  "slot__period_start", "slot__period_end", "slot__deadline", "slot__organization__name",
                  "slot__organization__code", "slot__program__name", "slot__program__figure_fields")  # fmt: skip


@require_GET
def report_export(request):
    """Excel (or ?format=csv) of the filtered list: at once when small, past EXPORT_BACKGROUND_THRESHOLD rows
    a background job the user follows on the exports page (a province's year is tens of thousands of rows)."""
    if policies.scope_paths(request.user, "export") == []:
        raise PermissionDenied
    filters = ReportFilter(request.GET or None, queryset=Report.objects.none(), request=request)
    if filters.is_bound and not filters.is_valid():  # e.g. a month mistyped: never export more than was asked
        messages.error(request, _("Correct the filters marked below, then export again."))
        return redirect(f"{reverse('pilots:report_list')}?{request.GET.urlencode()}")
    return export_list(request, "reports")
