"""Use cases that write lineups: people, terms, seats, division of work and supervision.

Re-exported by league.services (import them from there). Each is keyword-only, runs in a transaction,
validates first (django ValidationError naming the field), saves with update_fields on change, leaves
the django-simple-history trail attributed to `by`, and fires side effects with transaction.on_commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from . import policies
from .models import (
    Assignment,
    AssignmentKind,
    Employment,
    EndReason,
    Establishment,
    HowObtained,
    Level,
    LineupRule,
    MemberCategory,
    Membership,
    Organization,
    Person,
    PoliticalStatus,
    Recommendation,
    RecommendationOutcome,
    Region,
    Review,
    ReviewScore,
    Role,
    Seat,
    SeatRole,
    Talk,
    TalkOutcome,
    Term,
)

# --- permissions ------------------------------------------------------------------------------------------


def may_keep_lineup(user, organization: Organization) -> bool:
    """Staff ("manage") and the committee's own secretaries ("file") keep a lineup."""
    return policies.can(user, "manage", organization) or policies.can(user, "file", organization)


def _require_keep(by, organization: Organization) -> None:
    if by is not None and not may_keep_lineup(by, organization):
        raise PermissionDenied


def _require_manage(by, organization: Organization) -> None:
    if by is not None and not policies.can(by, "manage", organization):
        raise PermissionDenied


def _attribute(obj, by) -> None:
    """Attribute the history record of the next save to `by` (simple-history reads _history_user)."""
    if by is not None:
        obj._history_user = by


def _save_new(obj, by) -> None:
    obj.full_clean()
    _attribute(obj, by)
    obj.save()


def _save(obj, by, fields: list[str]) -> None:
    obj.full_clean()
    _attribute(obj, by)
    obj.save(update_fields=fields)


# --- people -----------------------------------------------------------------------------------------------

PERSON_FIELDS = ("name", "gender", "birth_date", "id_number", "phone", "employer", "political_status",
                 "youth_group", "notes")  # fmt: skip


@transaction.atomic
def person_create(
    *,
    by: AbstractBaseUser | None,
    organization: Organization,
    name: str,
    gender: str = "",
    birth_date: dt.date | None = None,
    id_number: str = "",
    phone: str = "",
    employer: str = "",
    political_status: str = PoliticalStatus.LEAGUE_MEMBER,
    youth_group: str = "",
    notes: str = "",
) -> Person:
    _require_keep(by, organization)
    person = Person(organization=organization, name=name.strip(), gender=gender, birth_date=birth_date,
                    id_number=id_number.strip().upper(), phone=phone.strip(), employer=employer,
                    political_status=political_status, youth_group=youth_group, notes=notes)  # fmt: skip
    _save_new(person, by)
    return person


@transaction.atomic
def person_update(*, by: AbstractBaseUser | None, person: Person, **changes) -> Person:
    _require_keep(by, person.organization)
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    for key, value in changes.items():
        setattr(person, key, value)
    _save(person, by, list(changes))
    return person


# --- terms ------------------------------------------------------------------------------------------------


@transaction.atomic
def term_create(
    *,
    by: AbstractBaseUser | None,
    organization: Organization,
    number: int,
    start: dt.date,
    end: dt.date,
    rule: LineupRule | None = None,
    note: str = "",
) -> Term:
    _require_manage(by, organization)
    if start and end and end <= start:
        raise ValidationError({"end": _("The term must end after it starts.")})
    # Lock the committee so two overlapping terms cannot be created at once.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    clash = Term.objects.filter(organization=organization, start__lt=end, end__gt=start).first()
    if clash is not None:
        raise ValidationError({"start": _("This term overlaps term %(n)s (%(start)s – %(end)s) of the same committee.")
                               % {"n": clash.number, "start": clash.start, "end": clash.end}})  # fmt: skip
    if Term.objects.filter(organization=organization, number=number).exists():
        raise ValidationError({"number": _("Term %(n)s already exists for this committee.") % {"n": number}})
    term = Term(organization=organization, number=number, start=start, end=end, rule=rule, note=note)
    _save_new(term, by)
    return term


# --- seats ------------------------------------------------------------------------------------------------


@dataclass
class SeatEntry:
    """One seat to fill, for `seats_fill` (e.g. from an election result)."""

    person: Person
    role: str
    start: dt.date
    establishment: str = Establishment.INSIDE
    employment: str = Employment.PART_TIME
    category: MemberCategory | None = None
    how_obtained: str = HowObtained.ELECTION
    source: str = ""
    pledge: str = ""


def _overlaps(qs, start: dt.date, end: dt.date | None):
    qs = qs.filter(Q(end__isnull=True) | Q(end__gt=start))
    if end is not None:
        qs = qs.filter(start__lt=end)
    return qs


@transaction.atomic
def seat_fill(
    *,
    by: AbstractBaseUser | None,
    term: Term,
    person: Person,
    role: str,
    start: dt.date,
    establishment: str = Establishment.INSIDE,
    employment: str = Employment.PART_TIME,
    category: MemberCategory | None = None,
    how_obtained: str = HowObtained.ELECTION,
    source: str = "",
    pledge: str = "",
    end: dt.date | None = None,
) -> Seat:
    """Put `person` in a seat of `term` from `start` (open-ended unless `end` is given, for history)."""
    _require_keep(by, term.organization)
    errors: dict[str, str] = {}
    if role not in SeatRole.values:
        errors["role"] = _("Unknown post “%(value)s”.") % {"value": role}
    if start is None:
        errors["start"] = _("This field is required.")
    elif not term.start <= start < term.end:
        errors["start"] = _("The seat must start within the term (%(start)s – %(end)s).") % {
            "start": term.start, "end": term.end}  # fmt: skip
    elif end is not None and end < start:
        errors["end"] = _("The seat cannot end before it starts.")
    if errors:
        raise ValidationError(errors)
    Term.objects.select_for_update().filter(pk=term.pk).first()  # serialize fills of one term
    same_term = Seat.objects.filter(term=term)
    if _overlaps(same_term.filter(person=person), start, end).exists():
        raise ValidationError(
            {"person": _("%(name)s already holds a seat in this term.") % {"name": person.name}}
        )
    if role == SeatRole.SECRETARY:
        holder = (
            _overlaps(same_term.filter(role=SeatRole.SECRETARY), start, end).select_related("person").first()
        )
        if holder is not None:
            raise ValidationError({"role": _("The term already has a secretary (%(name)s); vacate that seat first.")
                                   % {"name": holder.person.name}})  # fmt: skip
    seat = Seat(term=term, person=person, role=role, establishment=establishment, employment=employment,
                category=category, start=start, end=end, how_obtained=how_obtained, source=source, pledge=pledge,
                pledged_on=start if pledge else None,
                end_reason=EndReason.OTHER if end else "")  # fmt: skip
    _save_new(seat, by)
    return seat


@transaction.atomic
def seats_fill(*, by: AbstractBaseUser | None, term: Term, entries: list[SeatEntry]) -> list[Seat]:
    """Fill several seats of a term at once: all or none. A bad entry raises ValidationError naming it."""
    seats = []
    for number, entry in enumerate(entries, start=1):
        try:
            seats.append(seat_fill(by=by, term=term, person=entry.person, role=entry.role, start=entry.start,
                                   establishment=entry.establishment, employment=entry.employment,
                                   category=entry.category, how_obtained=entry.how_obtained, source=entry.source,
                                   pledge=entry.pledge))  # fmt: skip
        except ValidationError as exc:
            raise ValidationError(
                [
                    _("Entry %(n)s (%(name)s): %(error)s")
                    % {"n": number, "name": entry.person.name, "error": m}
                    for m in exc.messages
                ]  # fmt: skip
            ) from exc
    return seats


@transaction.atomic
def seat_update(
    *,
    by: AbstractBaseUser | None,
    seat: Seat,
    establishment: str | None = None,
    employment: str | None = None,
    category: MemberCategory | None | bool = False,
) -> Seat:
    """Change a seat's establishment, employment or category (False: leave category as is)."""
    _require_keep(by, seat.term.organization)
    fields = []
    if establishment is not None:
        seat.establishment, fields = establishment, [*fields, "establishment"]
    if employment is not None:
        seat.employment, fields = employment, [*fields, "employment"]
    if category is not False:
        seat.category, fields = category, [*fields, "category"]
    if fields:
        _save(seat, by, fields)
    return seat


def _end_seat(seat: Seat, *, by, on: dt.date, reason: str, note: str) -> Seat:
    if seat.end is not None:
        raise ValidationError({"end": _("This seat already ended on %(date)s.") % {"date": seat.end}})
    if on is None or on < seat.start:
        raise ValidationError(
            {"end": _("The seat cannot end before it starts (%(date)s).") % {"date": seat.start}}
        )
    if reason not in EndReason.values:
        raise ValidationError({"end_reason": _("Unknown reason “%(value)s”.") % {"value": reason}})
    seat.end, seat.end_reason, seat.end_note = on, reason, note[:300]
    _save(seat, by, ["end", "end_reason", "end_note"])
    if seat.role == SeatRole.SECRETARY:
        transaction.on_commit(lambda: secretary_vacancy_notify(seat_id=seat.pk))
    return seat


@transaction.atomic
def seat_vacate(
    *, by: AbstractBaseUser | None, seat: Seat, on: dt.date, reason: str = EndReason.RESIGNED, note: str = ""
) -> Seat:
    """End a seat on `on`, which opens a vacancy; a vacant secretary seat notifies the county staff at once."""
    _require_keep(by, seat.term.organization)
    seat = Seat.objects.select_for_update().select_related("term__organization", "person").get(pk=seat.pk)
    return _end_seat(seat, by=by, on=on, reason=reason, note=note)


def county_staff(organization: Organization):
    """Users with a staff role at the county above (or at) the organization; else at the nearest ancestor."""
    chain = list(organization.ancestors()) + [organization]
    staff = list(
        Membership.objects.filter(organization__in=chain, role=Role.STAFF).select_related(
            "user", "organization"
        )
    )
    by_org: dict[int, list] = {}
    for m in staff:
        by_org.setdefault(m.organization_id, []).append(m.user)
    county = [o for o in chain if o.level == Level.COUNTY]
    for org in county + list(reversed(chain)):
        if by_org.get(org.pk):
            return by_org[org.pk]
    return []


def secretary_vacancy_notify(*, seat_id: int) -> int:
    """Tell the county staff that a committee's secretary seat is vacant (书记空缺即时沟通)."""
    from . import services

    seat = Seat.objects.select_related("term__organization", "person").get(pk=seat_id)
    org = seat.term.organization
    if Seat.objects.filter(term=seat.term, role=SeatRole.SECRETARY).active(seat.end).exists():
        return 0  # already filled again
    recipients = county_staff(org)
    services.notice_send(
        recipients=recipients,
        kind="secretary_vacant",
        title=_("Secretary seat vacant: %(org)s") % {"org": org.name},
        body=_("%(name)s left the secretary seat on %(date)s (%(reason)s).")
        % {"name": seat.person.name, "date": seat.end, "reason": seat.get_end_reason_display()},
        url=reverse("lineup_detail", args=[org.pk]),
    )
    return len(recipients)


# --- division of work -------------------------------------------------------------------------------------


@transaction.atomic
def assignment_add(
    *, by: AbstractBaseUser | None, seat: Seat, kind: str, region: Region | None = None, label: str = ""
) -> Assignment:
    """Give a deputy or member a region (片区), a sector or a youth group to answer for."""
    _require_keep(by, seat.term.organization)
    if kind == AssignmentKind.REGION:
        if region is None:
            raise ValidationError({"region": _("Choose a region.")})
        if region.organization_id != seat.term.organization_id:
            raise ValidationError(
                {"region": _("The region must belong to this committee's street/township.")}
            )
        if Assignment.objects.filter(seat=seat, region=region).exists():
            raise ValidationError({"region": _("This region is already assigned to this person.")})
        label = ""
    elif kind in AssignmentKind.values:
        region = None
        if not label.strip():
            raise ValidationError({"label": _("Name the sector or youth group.")})
    else:
        raise ValidationError({"kind": _("Unknown kind “%(value)s”.") % {"value": kind}})
    assignment = Assignment(seat=seat, kind=kind, region=region, label=label.strip())
    _save_new(assignment, by)
    return assignment


@transaction.atomic
def assignment_remove(*, by: AbstractBaseUser | None, assignment: Assignment) -> None:
    _require_keep(by, assignment.seat.term.organization)
    _attribute(assignment, by)
    assignment.delete()


# --- supervision ------------------------------------------------------------------------------------------


@transaction.atomic
def pledge_record(*, by: AbstractBaseUser | None, seat: Seat, text: str, on: dt.date) -> Seat:
    """Record the public pledge (竞选承诺) made at the election."""
    _require_keep(by, seat.term.organization)
    if not text.strip():
        raise ValidationError({"pledge": _("Write the pledge.")})
    if on is None or on < seat.term.start - dt.timedelta(days=366):
        raise ValidationError({"pledged_on": _("Give the date the pledge was made.")})
    seat.pledge, seat.pledged_on = text.strip(), on
    _save(seat, by, ["pledge", "pledged_on"])
    return seat


def _score(value) -> Decimal:
    try:
        score = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": value}) from None
    if not Decimal(0) <= score <= Decimal(100):
        raise ValidationError(_("A score is between 0 and 100, not %(value)s.") % {"value": value})
    return score.quantize(Decimal("0.1"))


@transaction.atomic
def review_record(
    *,
    by: AbstractBaseUser | None,
    seat: Seat,
    held_on: dt.date,
    period: str,
    report: str = "",
    scores: list[tuple[str, object, str]],
) -> Review:
    """A report and review (述职评议): each delegate's score (0–100) and comment; the average follows."""
    _require_keep(by, seat.term.organization)
    errors: dict[str, list[str]] = {}
    if held_on is None or held_on < seat.start:
        errors.setdefault("held_on", []).append(_("The review cannot be held before the seat started."))
    if not period.strip():
        errors.setdefault("period", []).append(_("This field is required."))
    if not scores:
        errors.setdefault("scores", []).append(_("Enter at least one delegate's score."))
    rows, seen = [], set()
    for number, (delegate, value, comment) in enumerate(scores, start=1):
        delegate = (delegate or "").strip()
        if not delegate:
            errors.setdefault("scores", []).append(_("Line %(n)s: name the delegate.") % {"n": number})
            continue
        if delegate in seen:
            errors.setdefault("scores", []).append(
                _("Line %(n)s: %(name)s is scored twice.") % {"n": number, "name": delegate})  # fmt: skip
            continue
        seen.add(delegate)
        try:
            rows.append((delegate, _score(value), (comment or "").strip()))
        except ValidationError as exc:
            errors.setdefault("scores", []).append(
                _("Line %(n)s: %(error)s") % {"n": number, "error": exc.messages[0]}
            )
    if errors:
        raise ValidationError(errors)
    review = Review(seat=seat, held_on=held_on, period=period.strip(), report=report, recorded_by=by)
    _save_new(review, by)
    for delegate, score, comment in rows:
        item = ReviewScore(review=review, delegate=delegate, score=score, comment=comment[:300])
        _save_new(item, by)
    return review


@transaction.atomic
def recommendation_record(
    *,
    by: AbstractBaseUser | None,
    seat: Seat,
    target: str,
    proposed_on: dt.date,
    review: Review | None = None,
    note: str = "",
) -> Recommendation:
    """Recommend a deputy or member for an honour or a post (推荐推优), usually after a good review."""
    _require_keep(by, seat.term.organization)
    if review is not None and review.seat_id != seat.pk:
        raise ValidationError({"review": _("The review must be of the same seat.")})
    if not target.strip():
        raise ValidationError({"target": _("Say what the person is recommended for.")})
    item = Recommendation(seat=seat, target=target.strip(), proposed_on=proposed_on, review=review, note=note,
                          recorded_by=by)  # fmt: skip
    _save_new(item, by)
    return item


@transaction.atomic
def recommendation_decide(
    *, by: AbstractBaseUser | None, recommendation: Recommendation, outcome: str
) -> Recommendation:
    _require_keep(by, recommendation.seat.term.organization)
    if outcome not in RecommendationOutcome.values:
        raise ValidationError({"outcome": _("Unknown outcome “%(value)s”.") % {"value": outcome}})
    recommendation.outcome = outcome
    _save(recommendation, by, ["outcome"])
    return recommendation


@transaction.atomic
def talk_record(
    *,
    by: AbstractBaseUser | None,
    seat: Seat,
    held_on: dt.date,
    talked_by: str,
    content: str,
    outcome: str = TalkOutcome.PENDING,
) -> Talk:
    """Record a talk (劝勉) with a deputy or member who is failing the pledge (承诺辞职, step one)."""
    _require_manage(by, seat.term.organization)
    if seat.end is not None:
        raise ValidationError({"seat": _("This seat has already ended.")})
    if held_on is None or held_on < seat.start:
        raise ValidationError({"held_on": _("The talk cannot be held before the seat started.")})
    talk = Talk(seat=seat, held_on=held_on, talked_by=talked_by.strip(), content=content.strip(), outcome=outcome,
                recorded_by=by)  # fmt: skip
    _save_new(talk, by)
    return talk


@transaction.atomic
def talk_conclude(*, by: AbstractBaseUser | None, talk: Talk, outcome: str) -> Talk:
    _require_manage(by, talk.seat.term.organization)
    if outcome not in TalkOutcome.values:
        raise ValidationError({"outcome": _("Unknown outcome “%(value)s”.") % {"value": outcome}})
    talk.outcome = outcome
    _save(talk, by, ["outcome"])
    return talk


@transaction.atomic
def seat_order_resignation(*, by: AbstractBaseUser | None, seat: Seat, on: dt.date, reason: str) -> Seat:
    """Order a deputy or member to resign (责令辞职): only after a recorded talk that changed nothing.
    Ends the seat on `on` and so opens a vacancy."""
    _require_manage(by, seat.term.organization)
    seat = Seat.objects.select_for_update().select_related("term__organization", "person").get(pk=seat.pk)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the order.")})
    talk = seat.talks.filter(held_on__lte=on).order_by("-held_on", "-id").first() if on else None
    if talk is None:
        raise ValidationError({"seat": _("Record a talk (劝勉) before ordering a resignation.")})
    if talk.outcome != TalkOutcome.NO_CHANGE:
        raise ValidationError({"seat": _("The last talk (%(date)s) is marked “%(outcome)s”: an order to resign needs "
                                         "a talk that changed nothing.")
                               % {"date": talk.held_on, "outcome": talk.get_outcome_display()}})  # fmt: skip
    return _end_seat(seat, by=by, on=on, reason=EndReason.ORDERED, note=reason.strip())
