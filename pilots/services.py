"""Use cases that write pilot data. Views, admin actions, demo data, imports and tasks call these.

Each function is keyword-only, runs in a transaction, checks permission through league.policies (the
caller has already fetched objects through a scoped queryset, so out-of-scope is a 404 there; here a
missing right is PermissionDenied), raises PilotError with a message naming the field on bad input, and
changes nothing when it raises.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from league import policies, uploads
from league.locking import StaleObjectError
from league.models import LEVEL_RANK, Membership, Organization, Role, path_segment
from league.services import notice_send

from . import submission, tallies
from .models import (
    REPORT_TEXT_FIELDS,
    Attachment,
    Briefing,
    Excerpt,
    Frequency,
    LeadingGroupMember,
    Milestone,
    Phase,
    PilotProgram,
    PilotUnit,
    Report,
    ReportingSchedule,
    ReportSlot,
    ReportState,
    ReportVersion,
    ReturnReason,
    today,
)

REOPEN_DAYS = 7  # a returned report may be resubmitted on time until at least this many days later
MAX_ATTACHMENTS = 10


class PilotError(ValueError):
    """Bad input: `field` names the form field (or None), the message says what is wrong."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
        self.message = message


def _require(user, action: str, organization: Organization) -> None:
    if user is None or not policies.can(user, action, organization):
        raise PermissionDenied


def can_review(user, organization: Organization) -> bool:
    """Reports are reviewed by the level above: review rights on the reporting organization's parent."""
    if (
        policies.scope_paths(user, "review") == []
    ):  # reviews nowhere (a secretary): no need to read the parent
        return False
    if not organization.parent_id:
        return policies.can(user, "review", organization)
    # The parent's path is the organization's own less its last segment (Organization.save keeps it so): the
    # scope is checked on that path, without reading the parent's row (a query on every report page).
    parent_path = organization.path[: -len(path_segment(organization.pk))]
    return policies.can(user, "review", Organization(pk=organization.parent_id, path=parent_path))


# --- programs, phases, units, leading groups, milestones -------------------------------------------


@transaction.atomic
def program_create(
    *,
    by,
    organization: Organization,
    name: str,
    kind: str,
    starts_on: dt.date,
    ends_on: dt.date,
    description: str = "",
    figure_fields: list[dict] | None = None,
    lineup_rule=None,
) -> PilotProgram:
    _require(by, "manage", organization)
    if not (name or "").strip():
        raise PilotError(_("Name is required."), "name")
    if ends_on < starts_on:
        raise PilotError(_("The end date must not be before the start date."), "ends_on")
    program = PilotProgram(organization=organization, name=name.strip(), kind=kind, starts_on=starts_on,
                           ends_on=ends_on, description=description, lineup_rule=lineup_rule)  # fmt: skip
    if figure_fields is not None:
        program.figure_fields = _clean_figure_fields(figure_fields)
    program.save()
    return program


def _clean_figure_fields(fields: list[dict]) -> list[dict]:
    out, seen = [], set()
    for i, f in enumerate(fields, start=1):
        key, label = str(f.get("key", "")).strip(), str(f.get("label", "")).strip()
        if not key.isidentifier() or not label or key in seen:
            raise PilotError(
                _("Figure field %(n)s needs a unique key and a label.") % {"n": i}, "figure_fields"
            )
        seen.add(key)
        out.append({"key": key, "label": label, "unit": str(f.get("unit", "")).strip()})
    return out


@transaction.atomic
def phase_add(*, by, program: PilotProgram, name: str, starts_on: dt.date, ends_on: dt.date,
              order: int | None = None, description: str = "") -> Phase:  # fmt: skip
    _require(by, "manage", program.organization)
    if ends_on < starts_on:
        raise PilotError(_("The end date must not be before the start date."), "ends_on")
    if program.phases.filter(name=name).exists():
        raise PilotError(_("This program already has a phase with that name."), "name")
    if order is None:
        order = (program.phases.aggregate(m=Max("order"))["m"] or 0) + 1
    return Phase.objects.create(program=program, name=name, starts_on=starts_on, ends_on=ends_on,
                                order=order, description=description)  # fmt: skip


@transaction.atomic
def unit_enroll(*, by, program: PilotProgram, organization: Organization,
                joined_on: dt.date | None = None, note: str = "") -> PilotUnit:  # fmt: skip
    _require(by, "manage", program.organization)
    if not organization.is_within(program.organization) or organization.pk == program.organization_id:
        raise PilotError(
            _("%(org)s is not under %(runner)s, which runs this program.")
            % {"org": organization, "runner": program.organization},
            "organization",
        )
    if PilotUnit.objects.filter(program=program, organization=organization).exists():
        raise PilotError(_("%(org)s is already a pilot unit of this program.") % {"org": organization},
                         "organization")  # fmt: skip
    unit = PilotUnit.objects.create(program=program, organization=organization,
                                    joined_on=joined_on or program.starts_on, note=note)  # fmt: skip
    for schedule in program.schedules.all():
        generate_slots(schedule=schedule)
    return unit


@transaction.atomic
def leading_group_member_add(*, by, unit: PilotUnit, name: str, role: str, title: str = "",
                             from_organization: str = "") -> LeadingGroupMember:  # fmt: skip
    _require(by, "manage", unit.program.organization)
    if not (name or "").strip():
        raise PilotError(_("Name is required."), "name")
    order = (unit.leading_group.aggregate(m=Max("order"))["m"] or 0) + 1
    return LeadingGroupMember.objects.create(unit=unit, name=name.strip(), role=role, title=title,
                                             from_organization=from_organization, order=order)  # fmt: skip


@transaction.atomic
def milestone_add(*, by, unit: PilotUnit, title: str, due_on: dt.date) -> Milestone:
    _require(by, "manage", unit.program.organization)
    if not (title or "").strip():
        raise PilotError(_("Title is required."), "title")
    return Milestone.objects.create(unit=unit, title=title.strip(), due_on=due_on)


@transaction.atomic
def milestone_complete(*, by, milestone: Milestone, done_on: dt.date, evidence: str = "",
                       files=()) -> Milestone:  # fmt: skip
    """Mark a milestone done (the unit's secretary or staff above it), with evidence and files."""
    organization = milestone.unit.organization
    if not (policies.can(by, "file", organization) or policies.can(by, "manage", organization)):
        raise PermissionDenied
    if done_on > today():
        raise PilotError(_("The date done cannot be in the future."), "done_on")
    checked = [_check(f) for f in files]
    milestone.done_on = done_on
    milestone.evidence = evidence
    milestone.save(update_fields=["done_on", "evidence"])
    for c in checked:
        _attach(checked=c, by=by, organization=organization, milestone=milestone)
    return milestone


# --- schedules and slots -------------------------------------------------------------------------------


@transaction.atomic
def schedule_create(*, by, program: PilotProgram, frequency: str, reporting_level: str,
                    due_weekday: int = 4, grace_days: int = 0, starts_on: dt.date | None = None,
                    ends_on: dt.date | None = None, name: str = "") -> ReportingSchedule:  # fmt: skip
    if by is not None:
        _require(by, "manage", program.organization)
    if frequency not in Frequency.values:
        raise PilotError(_("Choose monthly or weekly."), "frequency")
    if not 0 <= due_weekday <= 6:
        raise PilotError(_("The due weekday must be between Monday and Sunday."), "due_weekday")
    if LEVEL_RANK.get(reporting_level, 0) <= program.organization.level_rank:
        raise PilotError(_("The reporting level must be below the running organization's level."),
                         "reporting_level")  # fmt: skip
    starts_on, ends_on = starts_on or program.starts_on, ends_on or program.ends_on
    if ends_on < starts_on:
        raise PilotError(_("The end date must not be before the start date."), "ends_on")
    schedule = ReportingSchedule.objects.create(
        program=program, frequency=frequency, reporting_level=reporting_level, due_weekday=due_weekday,
        grace_days=grace_days, starts_on=starts_on, ends_on=ends_on, name=name,
    )  # fmt: skip
    generate_slots(schedule=schedule)
    return schedule


def reporting_organizations(schedule: ReportingSchedule) -> list[Organization]:
    """Pilot units at the schedule's level, or the organizations at that level above pilot units."""
    level = schedule.reporting_level
    orgs = list(Organization.objects.filter(pilot_units__program_id=schedule.program_id))
    direct = [o for o in orgs if o.level == level]
    above_ids = {
        aid for o in orgs if LEVEL_RANK[o.level] > LEVEL_RANK.get(level, 0) for aid in o.ancestor_ids
    }
    above = list(Organization.objects.filter(pk__in=above_ids, level=level)) if above_ids else []
    seen: dict[int, Organization] = {o.pk: o for o in direct + above}
    return sorted(seen.values(), key=lambda o: o.path)


@transaction.atomic
def generate_slots(*, schedule: ReportingSchedule) -> int:
    """Create the missing expected-report slots of a schedule (idempotent); returns how many were added."""
    orgs = reporting_organizations(schedule)
    existing = set(schedule.slots.values_list("organization_id", "period_start"))
    grace = dt.timedelta(days=schedule.grace_days)
    new = [
        ReportSlot(
            schedule=schedule,
            program_id=schedule.program_id,
            organization=org,
            period_start=start,
            period_end=end,
            due_on=due,
            deadline=due + grace,
        )  # fmt: skip
        for start, end, due in schedule.periods()
        for org in orgs
        if (org.pk, start) not in existing
    ]
    ReportSlot.objects.bulk_create(new, batch_size=2000)
    tallies.slots_created(new, {o.pk: o for o in orgs})
    return len(new)


# --- reports ------------------------------------------------------------------------------------------------


@transaction.atomic
def report_start(*, slot: ReportSlot, by, on: dt.date | None = None) -> Report:
    """Open a draft for a slot (the reporting organization's secretary)."""
    _require(by, "file", slot.organization)
    on = on or today()
    if slot.period_start > on:
        raise PilotError(
            _("The period %(period)s is not open yet: it opens on %(date)s.")
            % {"period": slot.period_label, "date": slot.period_start},
            "period",
        )
    if Report.objects.filter(slot=slot).exists():
        raise PilotError(_("There is already a report for %(slot)s.") % {"slot": slot}, "period")
    try:
        with transaction.atomic():
            return Report.objects.create(slot=slot, created_by=by)
    except IntegrityError:
        raise PilotError(_("There is already a report for %(slot)s.") % {"slot": slot}, "period") from None


def clean_figures(program: PilotProgram, raw: dict) -> dict:
    figures = {}
    for field in program.figure_fields or []:
        key = field["key"]
        value = raw.get(key)
        if value in (None, ""):
            continue
        try:
            number = Decimal(str(value).replace(",", "").strip())
        except InvalidOperation:
            raise PilotError(_("%(label)s must be a number.") % {"label": field["label"]}, key) from None
        if number < 0:
            raise PilotError(_("%(label)s cannot be negative.") % {"label": field["label"]}, key)
        figures[key] = int(number) if number == number.to_integral_value() else float(number)
    return figures


def report_save(*, report: Report, by, progress: str = "", innovations: str = "", problems: str = "",
                suggestions: str = "", figures: dict | None = None, expected_token: str | None = None,
                locked: bool = False) -> Report:  # fmt: skip
    """Save the draft's content (a draft or a returned report).

    `expected_token` is the content fingerprint the editor started from (`Report.content_token`): when
    someone saved different content since, StaleObjectError names who and when, and nothing is saved.
    `locked`: see report_lock.
    """
    with _report_transaction(locked):
        _require(by, "file", report.slot.organization)
        report = report if locked else _locked(report)
        if not report.is_editable:
            raise PilotError(_("This report has been submitted and can no longer be changed."))
        _apply_content(report, progress=progress, innovations=innovations, problems=problems,
                       suggestions=suggestions, figures=figures, expected_token=expected_token)  # fmt: skip
        report.save(update_fields=CONTENT_FIELDS)
        return report


CONTENT_FIELDS = [*REPORT_TEXT_FIELDS, "figures"]


LOCKED_RELATED = ("slot__program", "slot__organization")


def _locked(report: Report) -> Report:
    """The report row locked for this transaction, with the slot, program and organization it checks."""
    return Report.objects.select_for_update(of=("self",)).select_related(*LOCKED_RELATED).get(pk=report.pk)


def report_lock(*, by, pk) -> Report | None:
    """The report `pk` with its slot, program and organization, locked until the caller's transaction ends;
    None when there is no such report or `by` may not see it (the scope of reports_for(by, "view")).

    For a form that checks the report and then saves it in one transaction: it reads the report once, and
    passes it to report_save or report_submit with `locked=True`, which then change that very object instead
    of reading the report again, and open no savepoint (a refusal spoils the caller's transaction, which
    must then end: nothing is saved).
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError("report_lock() holds a lock only inside atomic()")
    sql, columns = _locked_read(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    values = []
    for value, (converters, column) in zip(row, columns, strict=True):
        for converter in converters:
            value = converter(value, column, connection)
        values.append(value)
    instances, start = [], 0
    for model in LOCKED_MODELS:
        end = start + len(model._meta.concrete_fields)
        instances.append(model.from_db(connection.alias, [f.attname for f in model._meta.concrete_fields],
                                       values[start:end]))  # fmt: skip
        start = end
    report, slot, organization, program = instances
    if not policies.can(by, "view", organization):  # what reports_for's scope filter would have left out
        return None
    slot.organization, slot.program = organization, program
    report.slot = slot
    return report


# report_lock's read, written as SQL once per database: compiling the equivalent scoped, select_related
# `reports_for(by).select_for_update(of=("self",)).get(pk=pk)` cost ~0.5 ms of CPU, a third of the floor's
# request. The rows become model instances as Django's compiler makes them (its converters, from_db). Kept
# per database alias: the converters depend on the database's settings only (its time zone), not on which
# thread's connection to it first asked.
LOCKED_MODELS = (Report, ReportSlot, Organization, PilotProgram)
_locked_reads: dict[str, tuple[str, list]] = {}


def _locked_read(connection) -> tuple[str, list]:
    """(SQL, [(converters, column)] for each selected column) on this database."""
    read = _locked_reads.get(connection.alias)
    if read is None:
        qn = connection.ops.quote_name
        r, s, o, p = (qn(f"t{i}") for i in range(len(LOCKED_MODELS)))
        select, columns = [], []
        for alias, model in zip((r, s, o, p), LOCKED_MODELS, strict=True):
            for field in model._meta.concrete_fields:
                column = field.get_col(alias)
                select.append(f"{alias}.{qn(field.column)}")
                columns.append((connection.ops.get_db_converters(column) + field.get_db_converters(connection),
                                column))  # fmt: skip

        def table(model, alias):
            return f"{qn(model._meta.db_table)} {alias}"

        def col(alias, model, name):
            return f"{alias}.{qn(model._meta.get_field(name).column)}"

        if connection.vendor == "postgresql":
            # Each row looked up by its key in a subquery of its own (LATERAL, kept apart by OFFSET 0): the
            # planner plans four single-row lookups instead of searching the join orders of four tables over
            # all their indexes (0.24 -> 0.10 ms of planning per read on the national PG). The report's row
            # alone is locked, as FOR UPDATE OF its alias did.
            def lookup(model, alias, key):
                return (f"(SELECT * FROM {qn(model._meta.db_table)} WHERE {qn(model._meta.pk.column)} = {key}"
                        f" OFFSET 0) {alias}")  # fmt: skip

            sql = (
                f"SELECT {', '.join(select)} FROM (SELECT * FROM {qn(Report._meta.db_table)}"
                f" WHERE {qn(Report._meta.pk.column)} = %s {connection.ops.for_update_sql()}) {r}"
                f" CROSS JOIN LATERAL {lookup(ReportSlot, s, col(r, Report, 'slot'))}"
                f" CROSS JOIN LATERAL {lookup(Organization, o, col(s, ReportSlot, 'organization'))}"
                f" CROSS JOIN LATERAL {lookup(PilotProgram, p, col(s, ReportSlot, 'program'))}"
            )
        else:
            sql = (
                f"SELECT {', '.join(select)} FROM {table(Report, r)}"
                f" INNER JOIN {table(ReportSlot, s)} ON {col(s, ReportSlot, 'id')} = {col(r, Report, 'slot')}"
                f" INNER JOIN {table(Organization, o)} ON {col(o, Organization, 'id')}"
                f" = {col(s, ReportSlot, 'organization')}"
                f" INNER JOIN {table(PilotProgram, p)} ON {col(p, PilotProgram, 'id')}"
                f" = {col(s, ReportSlot, 'program')}"
                f" WHERE {col(r, Report, 'id')} = %s"
            )
            # SQLite has no FOR UPDATE: its IMMEDIATE transactions serialize writers.
            if connection.features.has_select_for_update:
                of = (r,) if connection.features.has_select_for_update_of else ()
                sql += " " + connection.ops.for_update_sql(of=of)
        read = _locked_reads[connection.alias] = (sql, columns)
    return read


def _report_transaction(locked: bool):
    """The transaction of report_save and report_submit: their own, or the caller's that read `report`
    with report_lock (then no savepoint: the caller's transaction is undone whole when they refuse)."""
    if locked and not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("locked=True needs the transaction of report_lock()")
    return transaction.atomic(savepoint=not locked)


def _apply_content(report: Report, *, progress: str = "", innovations: str = "", problems: str = "",
                   suggestions: str = "", figures: dict | None = None, expected_token: str | None = None) -> None:  # fmt: skip
    """Set the texts and cleaned figures on the locked `report` (not saved); refuse a stale edit."""
    current = report.content_token()
    cleaned = clean_figures(report.slot.program, figures or {})
    values = {"progress": progress, "innovations": innovations, "problems": problems,
              "suggestions": suggestions}  # fmt: skip
    for field, value in values.items():
        setattr(report, field, (value or "").strip())
    report.figures = cleaned
    if expected_token and expected_token != current and report.content_token() != current:
        last = report.history.select_related("history_user").order_by("-history_date").first()
        raise StaleObjectError(changed_by=last and last.history_user, changed_at=last and last.history_date)


REQUIRED_TEXT = ("progress", "innovations", "problems", "suggestions")


def missing_fields(report: Report) -> list[str]:
    from .models import Report as R

    names = [str(R._meta.get_field(f).verbose_name) for f in REQUIRED_TEXT if not getattr(report, f).strip()]
    for field in report.slot.program.figure_fields or []:
        if field["key"] not in (report.figures or {}):
            names.append(field["label"])
    return names


def report_submit(
    *, report: Report, by, now: dt.datetime | None = None, content: dict | None = None, locked: bool = False
) -> Report:
    """Submit (or resubmit) a report; keeps the version; late if after the slot's deadline.

    `content` (report_save's keyword arguments) saves the texts and figures in the same step: one lock,
    one write and one history entry for "saved and submitted", as the report form's submit button does.
    `locked`: see report_lock.
    """
    with _report_transaction(locked):
        _require(by, "file", report.slot.organization)
        return _submit(report=report if locked else _locked(report), by=by, now=now, content=content)


def _submit(*, report: Report, by, now: dt.datetime | None, content: dict | None) -> Report:
    if not report.is_editable:
        raise PilotError(_("This report has already been submitted."))
    if content is not None:
        _apply_content(report, **content)
    before = (report.state, report.late)
    missing = missing_fields(report)
    if missing:
        raise PilotError(_("Fill in before submitting: %(fields)s.") % {"fields": "、".join(missing)})
    now = now or timezone.now()
    late_now = timezone.localdate(now) > report.slot.deadline
    report.late = report.late or late_now
    report.state = ReportState.SUBMITTED
    report.version += 1
    report.submitted_at = now
    report.submitted_by = by
    report.first_submitted_at = report.first_submitted_at or now
    report.return_reason = ""
    update_fields = [*(CONTENT_FIELDS if content is not None else ()), "state", "version", "submitted_at",
                     "submitted_by", "first_submitted_at", "late", "return_reason"]  # fmt: skip
    version = ReportVersion(report=report, number=report.version, submitted_at=now, submitted_by=by,
                            late=late_now, **report.snapshot())  # fmt: skip
    deltas = tallies.slot_deltas(report.slot, before=before, after=(report.state, report.late))
    if submission.applies(report):  # PostgreSQL: the same rows in one statement
        submission.write(report, update_fields=update_fields, version=version, deltas=deltas)
        return report
    report.save(update_fields=update_fields)
    version.save(force_insert=True)
    # Last, so the shared counter rows (the province's, the country's) stay locked only until the commit.
    tallies.apply(deltas)
    return report


def _review_target(report: Report) -> Report:
    return (
        Report.objects.select_for_update()
        .select_related("slot__organization", "slot__schedule")
        .get(pk=report.pk)
    )


@transaction.atomic
def report_return(*, report: Report, by, reason: str, comment: str, now: dt.datetime | None = None) -> Report:
    """Send a submitted report back for revision, with a structured reason; the deadline reopens."""
    report = _review_target(report)
    if not can_review(by, report.slot.organization):
        raise PermissionDenied
    if report.state != ReportState.SUBMITTED:
        raise PilotError(
            _("Only a submitted report can be returned; this one is %(state)s.")
            % {"state": report.get_state_display()}
        )
    if reason not in ReturnReason.values:
        raise PilotError(_("Choose a reason for returning the report."), "reason")
    if not (comment or "").strip():
        raise PilotError(_("Say what needs to change in the comment."), "comment")
    now = now or timezone.now()
    report.state = ReportState.RETURNED
    report.return_reason = reason
    report.return_comment = comment.strip()
    report.reviewed_at, report.reviewed_by = now, by
    report.save(update_fields=["state", "return_reason", "return_comment", "reviewed_at", "reviewed_by"])
    report.versions.filter(number=report.version).update(return_reason=reason, return_comment=comment.strip())
    slot = report.slot
    deadline_before = slot.deadline
    reopened = max(slot.deadline, timezone.localdate(now) + dt.timedelta(days=REOPEN_DAYS))
    if reopened != slot.deadline:
        slot.deadline = reopened
        slot.save(update_fields=["deadline"])
    tallies.slot_changed(slot, before=(ReportState.SUBMITTED, report.late), after=(report.state, report.late),
                         deadline_before=deadline_before)  # fmt: skip
    recipients = _filers(slot.organization, also=report.submitted_by)
    url = reverse("pilots:report_detail", args=[report.pk])
    title = _("Report returned for revision: %(slot)s") % {"slot": slot}
    body = f"{report.get_return_reason_display()}: {report.return_comment}"
    transaction.on_commit(lambda: notice_send(recipients=recipients, title=title, body=body, url=url,
                                              kind="report_returned"))  # fmt: skip
    return report


def _filers(organization: Organization, also=None) -> list:
    User = get_user_model()
    ids = set(
        Membership.objects.filter(organization=organization, role=Role.SECRETARY).values_list(
            "user_id", flat=True
        )
    )
    if also is not None:
        ids.add(also.pk)
    return list(User.objects.filter(pk__in=ids))


@transaction.atomic
def report_accept(*, report: Report, by, now: dt.datetime | None = None) -> Report:
    report = _review_target(report)
    if not can_review(by, report.slot.organization):
        raise PermissionDenied
    if report.state != ReportState.SUBMITTED:
        raise PilotError(
            _("Only a submitted report can be accepted; this one is %(state)s.")
            % {"state": report.get_state_display()}
        )
    report.state = ReportState.ACCEPTED
    report.reviewed_at, report.reviewed_by = now or timezone.now(), by
    report.save(update_fields=["state", "reviewed_at", "reviewed_by"])
    tallies.slot_changed(
        report.slot, before=(ReportState.SUBMITTED, report.late), after=(report.state, report.late)
    )
    return report


# --- attachments -------------------------------------------------------------------------------------------


def _check(upload) -> uploads.CheckedUpload:
    try:
        return uploads.check_upload(upload)
    except uploads.UploadError as exc:
        raise PilotError(str(exc), "file") from None


def _attach(*, checked, by, organization, report=None, milestone=None) -> Attachment:
    stored = uploads.store(checked, folder="pilots")
    try:
        with transaction.atomic():
            return Attachment.objects.create(
                report=report, milestone=milestone, organization=organization, file=stored,
                original_name=checked.name, content_type=checked.content_type, size=checked.size,
                uploaded_by=by,
            )  # fmt: skip
    except Exception:
        uploads.delete(stored)
        raise


@transaction.atomic
def attachment_add(*, report: Report, by, upload) -> Attachment:
    _require(by, "file", report.slot.organization)
    if not report.is_editable:
        raise PilotError(_("This report has been submitted and can no longer be changed."), "file")
    if report.attachments.count() >= MAX_ATTACHMENTS:
        raise PilotError(_("A report may carry at most %(n)s attachments.") % {"n": MAX_ATTACHMENTS}, "file")
    checked = _check(upload)
    return _attach(checked=checked, by=by, organization=report.slot.organization, report=report)


@transaction.atomic
def attachment_remove(*, attachment: Attachment, by) -> None:
    _require(by, "file", attachment.organization)
    if attachment.report_id and not attachment.report.is_editable:
        raise PilotError(_("This report has been submitted and can no longer be changed."), "file")
    stored = attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: uploads.delete(stored))


# --- excerpts and briefings --------------------------------------------------------------------------------


@transaction.atomic
def excerpt_mark(*, report: Report, by, title: str, text: str) -> Excerpt:
    """Staff mark good practice in an accepted report, for a briefing."""
    if not can_review(by, report.slot.organization):
        raise PermissionDenied
    if report.state != ReportState.ACCEPTED:
        raise PilotError(_("Good practice can be marked only in an accepted report."))
    if not (title or "").strip():
        raise PilotError(_("Heading is required."), "title")
    if not (text or "").strip():
        raise PilotError(_("The excerpt is empty."), "text")
    return Excerpt.objects.create(report=report, title=title.strip(), text=text.strip(), marked_by=by)


@transaction.atomic
def briefing_create(*, by, program: PilotProgram, title: str, foreword: str = "",
                    excerpts: list[Excerpt] = ()) -> Briefing:  # fmt: skip
    _require(by, "manage", program.organization)
    if not (title or "").strip():
        raise PilotError(_("Title is required."), "title")
    excerpts = list(excerpts)
    for e in excerpts:
        if e.report.slot.program_id != program.pk:
            raise PilotError(_("“%(title)s” is from another program.") % {"title": e.title}, "excerpts")
        if e.briefing_id is not None:
            raise PilotError(_("“%(title)s” is already in a briefing.") % {"title": e.title}, "excerpts")
    briefing = Briefing.objects.create(program=program, organization=program.organization, title=title.strip(),
                                       foreword=foreword, created_by=by)  # fmt: skip
    for order, e in enumerate(excerpts, start=1):
        e.briefing, e.order = briefing, order
        e.save(update_fields=["briefing", "order"])
    return briefing


@transaction.atomic
def briefing_publish(*, briefing: Briefing, by, now: dt.datetime | None = None) -> Briefing:
    """Number the issue (第N期 in the program's year, 总第M期 for the publisher) and publish it."""
    _require(by, "manage", briefing.organization)
    # Lock the publisher's row so two issues published at once cannot take the same number.
    Organization.objects.select_for_update().get(pk=briefing.organization_id)
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    if briefing.is_published:
        raise PilotError(_("This briefing is already published."))
    if not briefing.excerpts.exists():
        raise PilotError(_("Add at least one excerpt before publishing."), "excerpts")
    now = now or timezone.now()
    year = timezone.localdate(now).year
    published = Briefing.objects.published()
    briefing.year = year
    briefing.number = (published.filter(program=briefing.program_id, year=year).aggregate(m=Max("number"))["m"]
                       or 0) + 1  # fmt: skip
    briefing.total_number = (published.filter(organization=briefing.organization_id)
                             .aggregate(m=Max("total_number"))["m"] or 0) + 1  # fmt: skip
    briefing.published_at = now
    briefing.save(update_fields=["year", "number", "total_number", "published_at"])
    recipients = _program_filers(briefing.program)
    url = reverse("pilots:briefing_detail", args=[briefing.pk])
    title = _("Briefing %(number)s: %(title)s") % {"number": briefing.number, "title": briefing.title}
    transaction.on_commit(lambda: notice_send(recipients=recipients, title=title, url=url, kind="briefing"))
    return briefing


def _program_filers(program: PilotProgram) -> list:
    User = get_user_model()
    ids = Membership.objects.filter(
        organization__pilot_units__program=program, role=Role.SECRETARY
    ).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=set(ids)))


# --- reminders (pilots/services_reminders.py) --------------------------------------------------------------

from .services_reminders import reminders_pause, reminders_send_now  # noqa: E402, F401
