"""Writes for instructors and pairs: assignments, visits with their problems and files, pair records.

Keyword-only, in a transaction; bad input raises PilotError naming the field and stores nothing; a missing
right raises PermissionDenied.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from league import policies, uploads
from league.models import Organization

from ..funds.money import AmountError, parse_amount
from ..models import PilotProgram, PilotUnit, today
from ..services import PilotError
from .models import (
    AgreementStatus,
    FiveOnesTarget,
    InstructorAssignment,
    Pair,
    PairActivity,
    PairAgreement,
    PairMeeting,
    Problem,
    ProblemKind,
    ProblemStatus,
    Visit,
    VisitAttachment,
    VisitKind,
)

MAX_FILES = 5


@dataclass
class ProblemItem:
    description: str
    kind: str = ProblemKind.DIFFICULTY
    solved: bool = False


def _require_manage(user, program: PilotProgram) -> None:
    if user is None or not policies.can(user, "manage", program.organization):
        raise PermissionDenied


def _not_future(day, field: str) -> dt.date:
    if not isinstance(day, dt.date):
        raise PilotError(_("A date is required."), field)
    if day > today():
        raise PilotError(_("The date %(date)s is in the future.") % {"date": day.isoformat()}, field)
    return day


# --- assignments ------------------------------------------------------------------------------------------


@transaction.atomic
def assignment_add(*, by, unit: PilotUnit, instructor, starts_on: dt.date,
                   ends_on: dt.date | None = None) -> InstructorAssignment:  # fmt: skip
    _require_manage(by, unit.program)
    if instructor is None:
        raise PilotError(_("Choose the instructor."), "instructor")
    if not policies.can(instructor, "guide", unit.organization) or policies.is_platform_admin(instructor):
        raise PilotError(_("%(user)s holds no instructor role over %(unit)s.")
                         % {"user": instructor.get_full_name() or instructor.username, "unit": unit}, "instructor")  # fmt: skip
    if not isinstance(starts_on, dt.date):
        raise PilotError(_("A date is required."), "starts_on")
    if ends_on is not None and ends_on < starts_on:
        raise PilotError(_("The end date must not be before the start date."), "ends_on")
    overlapping = InstructorAssignment.objects.filter(unit=unit, instructor=instructor).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
    )
    if ends_on is not None:
        overlapping = overlapping.filter(starts_on__lte=ends_on)
    if overlapping.exists():
        raise PilotError(_("This instructor is already assigned to %(unit)s for part of those dates.")
                         % {"unit": unit}, "starts_on")  # fmt: skip
    assignment = InstructorAssignment.objects.create(unit=unit, instructor=instructor, starts_on=starts_on,
                                                     ends_on=ends_on, assigned_by=by)  # fmt: skip
    policies.forget(instructor)  # the unit is now in the instructor's `view` scope
    return assignment


@transaction.atomic
def assignment_end(*, by, assignment: InstructorAssignment, ends_on: dt.date) -> InstructorAssignment:
    _require_manage(by, assignment.unit.program)
    if not isinstance(ends_on, dt.date) or ends_on < assignment.starts_on:
        raise PilotError(_("The end date must not be before the start date."), "ends_on")
    assignment.ends_on = ends_on
    assignment.save(update_fields=["ends_on"])
    return assignment


# --- visits -----------------------------------------------------------------------------------------------


def _check_visit_right(by, unit: PilotUnit, visited_on: dt.date) -> None:
    if by is None or not policies.can(by, "guide", unit.organization):
        raise PermissionDenied
    mine = InstructorAssignment.objects.filter(unit=unit, instructor=by)
    if not mine.exists():
        raise PilotError(_("You are not assigned to %(unit)s as its instructor.") % {"unit": unit}, "unit")
    if not mine.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=visited_on), starts_on__lte=visited_on
    ).exists():
        spans = ", ".join(f"{a.starts_on:%Y-%m-%d}–{a.ends_on:%Y-%m-%d}" if a.ends_on else f"{a.starts_on:%Y-%m-%d}–"
                          for a in mine)  # fmt: skip
        raise PilotError(_("%(date)s is outside your assignment to %(unit)s (%(spans)s).")
                         % {"date": visited_on.isoformat(), "unit": unit, "spans": spans}, "visited_on")  # fmt: skip


@transaction.atomic
def visit_log(*, by, unit: PilotUnit, visited_on: dt.date, kind: str, summary: str, activity_designed: str = "",
              funds_amount="0", funds_source: str = "", problems: list[ProblemItem] | None = None,
              solve: list[int] | None = None, files: list | None = None) -> Visit:  # fmt: skip
    """Log a visit: new problems (raised, or raised and solved at once), earlier open problems solved, files."""
    _not_future(visited_on, "visited_on")
    _check_visit_right(by, unit, visited_on)
    if kind not in VisitKind.values:
        raise PilotError(_("Choose the kind of visit."), "kind")
    summary = (summary or "").strip()
    if not summary:
        raise PilotError(_("Say what was done in the visit."), "summary")
    try:
        funds = parse_amount(
            funds_amount or "0", field="funds_amount", label=_("Funds coordinated"), allow_zero=True
        )
    except AmountError as exc:
        raise PilotError(exc.message, "funds_amount") from None
    funds_source = (funds_source or "").strip()
    if funds and not funds_source:
        raise PilotError(_("Say where the coordinated funds come from."), "funds_source")
    items = []
    for i, item in enumerate(problems or [], start=1):
        text = (item.description or "").strip()
        if not text:
            continue
        if len(text) > 300:
            raise PilotError(_("Problem %(n)s is longer than 300 characters.") % {"n": i}, "problems")
        if item.kind not in ProblemKind.values:
            raise PilotError(_("Problem %(n)s has no valid kind.") % {"n": i}, "problems")
        items.append(ProblemItem(text, item.kind, item.solved))
    solve_ids = sorted({int(pk) for pk in solve or []})
    to_solve = list(
        Problem.objects.select_for_update().filter(unit=unit, pk__in=solve_ids, status=ProblemStatus.OPEN)
    )
    if len(to_solve) != len(solve_ids):
        raise PilotError(
            _("Some problems to solve are not open problems of %(unit)s.") % {"unit": unit}, "solve"
        )
    files = [f for f in files or [] if f]
    if len(files) > MAX_FILES:
        raise PilotError(_("At most %(n)s files per visit.") % {"n": MAX_FILES}, "files")
    checked = []
    for f in files:
        try:
            checked.append(uploads.check_upload(f))
        except uploads.UploadError as exc:
            raise PilotError(str(exc), "files") from None

    visit = Visit.objects.create(unit=unit, instructor=by, visited_on=visited_on, kind=kind, summary=summary,
                                 activity_designed=(activity_designed or "").strip()[:200], funds_amount=funds,
                                 funds_source=funds_source if funds else "")  # fmt: skip
    for item in items:
        Problem.objects.create(unit=unit, raised_in=visit, kind=item.kind, description=item.description,
                               status=ProblemStatus.SOLVED if item.solved else ProblemStatus.OPEN,
                               solved_in=visit if item.solved else None,
                               solved_on=visited_on if item.solved else None)  # fmt: skip
    for problem in to_solve:
        if problem.raised_in.visited_on > visited_on:
            raise PilotError(
                _("“%(p)s” was raised after %(date)s.") % {"p": problem, "date": visited_on}, "solve"
            )
        problem.status, problem.solved_in, problem.solved_on = ProblemStatus.SOLVED, visit, visited_on
        problem.save(update_fields=["status", "solved_in", "solved_on"])
    stored = []
    try:
        for c in checked:
            name = uploads.store(c, folder="visits")
            stored.append(name)
            VisitAttachment.objects.create(visit=visit, file=name, original_name=c.name, content_type=c.content_type,
                                           size=c.size, uploaded_by=by)  # fmt: skip
    except Exception:
        for name in stored:
            uploads.delete(name)
        raise
    return visit


@transaction.atomic
def targets_set(*, by, program: PilotProgram, **values) -> FiveOnesTarget:
    _require_manage(by, program)
    target, _created = FiveOnesTarget.objects.get_or_create(program=program)
    for key, value in values.items():
        setattr(target, key, value)
    if target.visits < 1:
        raise PilotError(_("At least one visit per period."), "visits")
    target.save(update_fields=list(values) or None)
    return target


# --- pairs (联试共建) ----------------------------------------------------------------------------------------


@transaction.atomic
def pair_create(*, by, program: PilotProgram, organ: Organization, unit: PilotUnit, starts_on: dt.date,
                note: str = "") -> Pair:  # fmt: skip
    _require_manage(by, program)
    if unit.program_id != program.pk:
        raise PilotError(_("%(unit)s is not a pilot unit of this program.") % {"unit": unit}, "unit")
    if organ is None or not organ.is_within(program.organization) or organ.pk == unit.organization_id:
        raise PilotError(_("Choose a league organization under %(org)s other than the unit.")
                         % {"org": program.organization}, "organ")  # fmt: skip
    if Pair.objects.filter(program=program, organ=organ, unit=unit).exists():
        raise PilotError(_("These two are already paired."), "organ")
    return Pair.objects.create(program=program, organ=organ, unit=unit, starts_on=starts_on, note=note)


def can_record_for_pair(user, pair: Pair) -> bool:
    return (policies.can(user, "manage", pair.program.organization)
            or policies.can(user, "file", pair.unit.organization)
            or policies.can(user, "file", pair.organ))  # fmt: skip


def _require_pair(user, pair: Pair) -> None:
    if user is None or not can_record_for_pair(user, pair):
        raise PermissionDenied


@transaction.atomic
def meeting_add(*, by, pair: Pair, held_on: dt.date, attendees: str, minutes: str) -> PairMeeting:
    _require_pair(by, pair)
    _not_future(held_on, "held_on")
    if not (attendees or "").strip():
        raise PilotError(_("List who attended."), "attendees")
    if not (minutes or "").strip():
        raise PilotError(_("Write the minutes."), "minutes")
    return PairMeeting.objects.create(pair=pair, held_on=held_on, attendees=attendees.strip(),
                                      minutes=minutes.strip(), recorded_by=by)  # fmt: skip


@transaction.atomic
def agreement_add(*, by, pair: Pair, title: str, reached_on: dt.date, status: str = AgreementStatus.PLANNED,
                  meeting: PairMeeting | None = None) -> PairAgreement:  # fmt: skip
    _require_pair(by, pair)
    _not_future(reached_on, "reached_on")
    if not (title or "").strip():
        raise PilotError(_("Say what was agreed."), "title")
    if status not in AgreementStatus.values:
        raise PilotError(_("Choose a status."), "status")
    if meeting is not None and meeting.pair_id != pair.pk:
        raise PilotError(_("That meeting belongs to another pair."), "meeting")
    return PairAgreement.objects.create(pair=pair, title=title.strip(), reached_on=reached_on, status=status,
                                        meeting=meeting)  # fmt: skip


@transaction.atomic
def agreement_set_status(*, by, agreement: PairAgreement, status: str) -> PairAgreement:
    _require_pair(by, agreement.pair)
    if status not in AgreementStatus.values:
        raise PilotError(_("Choose a status."), "status")
    agreement.status = status
    agreement.save(update_fields=["status"])
    return agreement


@transaction.atomic
def activity_add(*, by, pair: Pair, held_on: dt.date, title: str, participants: int = 0,
                 description: str = "") -> PairActivity:  # fmt: skip
    _require_pair(by, pair)
    _not_future(held_on, "held_on")
    if not (title or "").strip():
        raise PilotError(_("Name the activity."), "title")
    if participants is None or int(participants) < 0:
        raise PilotError(_("Participants cannot be negative."), "participants")
    return PairActivity.objects.create(pair=pair, held_on=held_on, title=title.strip(), participants=int(participants),
                                       description=description)  # fmt: skip
