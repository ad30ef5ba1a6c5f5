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


# --- import from Excel ------------------------------------------------------------------------------------

from django.utils.translation import gettext_lazy  # noqa: E402

from .spreadsheets import ImportResult, RowError, read_rows, template_workbook  # noqa: E402

LINEUP_HEADERS = {
    "committee": gettext_lazy("Committee code"),
    "term": gettext_lazy("Term number"),
    "term_start": gettext_lazy("Term start"),
    "term_end": gettext_lazy("Term end"),
    "role": gettext_lazy("Post"),
    "name": gettext_lazy("Full name"),
    "gender": gettext_lazy("Gender"),
    "birth_date": gettext_lazy("Birth date"),
    "id_number": gettext_lazy("ID number"),
    "phone": gettext_lazy("Phone"),
    "employer": gettext_lazy("Employer/unit"),
    "political_status": gettext_lazy("Political status"),
    "youth_group": gettext_lazy("Youth category"),
    "establishment": gettext_lazy("Establishment"),
    "employment": gettext_lazy("Employment"),
    "category": gettext_lazy("Category"),
    "start": gettext_lazy("Start"),
    "how_obtained": gettext_lazy("How obtained"),
}
ALIASES = {
    "role": {"书记": SeatRole.SECRETARY, "副书记": SeatRole.DEPUTY, "委员": SeatRole.MEMBER},
    "gender": {"男": "m", "女": "f"},
    "political_status": {"中共党员": PoliticalStatus.PARTY_MEMBER, "党员": PoliticalStatus.PARTY_MEMBER,
                         "中共预备党员": PoliticalStatus.PROBATIONARY, "预备党员": PoliticalStatus.PROBATIONARY,
                         "共青团员": PoliticalStatus.LEAGUE_MEMBER, "团员": PoliticalStatus.LEAGUE_MEMBER,
                         "群众": PoliticalStatus.MASSES, "其他": PoliticalStatus.OTHER},
    "establishment": {"编制内": Establishment.INSIDE, "编制外": Establishment.OUTSIDE},
    "employment": {"专职": Employment.FULL_TIME, "兼职": Employment.PART_TIME, "挂职": Employment.SECONDED},
    "how_obtained": {"选举": HowObtained.ELECTION, "任命": HowObtained.APPOINTMENT, "补选": HowObtained.BY_ELECTION},
}  # fmt: skip
CHOICES = {"role": SeatRole, "gender": None, "political_status": PoliticalStatus, "establishment": Establishment,
           "employment": Employment, "how_obtained": HowObtained}  # fmt: skip


def lineup_import_template() -> bytes:
    headers = [str(h) for h in LINEUP_HEADERS.values()]
    examples = [
        ["ZJ-NB-YZ-ZH", 1, "2024-01-01", "2029-01-01", "书记", "张中河", "男", "1994-03-02", "", "13800000001",
         "中河街道办事处", "中共党员", "机关", "编制内", "专职", "", "2024-01-01", "选举"],
        ["ZJ-NB-YZ-ZH", 1, "2024-01-01", "2029-01-01", "委员", "周青", "女", "1998-07-15", "", "",
         "某电商企业", "共青团员", "电子商务", "编制外", "兼职", "青年企业家", "2024-01-01", "选举"],
        ["ZJ-NB-YZ-ZH", "", "", "", "", "陈晓", "女", "2000-01-20", "", "", "某社区", "共青团员", "", "", "", "",
         "", ""],
    ]  # fmt: skip
    notes = "\n".join([
        _("One row per seat. Leave Post (and the term columns) empty to add a person without a seat."),
        _("Committee code: a street/township committee in your scope. The term is found by its number, or "
          "created from Term start and Term end."),
        _("Post: 书记 / 副书记 / 委员. Establishment: 编制内 / 编制外. Employment: 专职 / 兼职 / 挂职. "
          "How obtained: 选举 / 任命 / 补选."),
        _("Gender: 男 / 女. Political status: 中共党员 / 预备党员 / 共青团员 / 群众. Dates: YYYY-MM-DD."),
        _("Category: one of the member categories on the platform. ID number: 18 characters. "
          "Phone: 11 mobile digits or a landline with its area code."),
        _("A person with an ID number already on the platform is reused, not added twice."),
        _("Every row is checked first: if any row is wrong, nothing is imported and each bad row is named."),
    ])  # fmt: skip
    return template_workbook(headers, examples, notes)


def _parse_date(text: str):
    text = text.strip().replace("/", "-").replace(".", "-")
    try:
        y, m, d = (int(p) for p in text.split("-"))
        return dt.date(y, m, d)
    except ValueError:
        return None


class _RowFailed(Exception):
    pass


def lineups_import(*, by: AbstractBaseUser, upload) -> ImportResult:
    """Import people and seats from the Excel template: every row checked (through the same services a
    page uses, each in a savepoint), then all rows kept or none. Raises SpreadsheetError for an unreadable
    file."""
    from .validators import validate_id_number, validate_phone

    h = {k: str(v) for k, v in LINEUP_HEADERS.items()}
    rows = read_rows(upload, list(h.values()))
    errors: list[RowError] = []
    categories = {c.name: c for c in MemberCategory.objects.all()}
    committees = {o.code: o for o in policies.organizations_for(by, "import").filter(
        code__in={cells[h["committee"]] for _n, cells in rows})}  # fmt: skip
    created = 0
    with transaction.atomic():
        people_by_id: dict[str, Person] = {}
        for number, cells in rows:
            row_errors: list[RowError] = []

            def bad(key, message, number=number, row_errors=row_errors):
                row_errors.append(RowError(number, h[key], message))

            values: dict[str, object] = {}
            for key, choices in CHOICES.items():
                text = cells[h[key]]
                if not text:
                    values[key] = ""
                    continue
                value = ALIASES[key].get(text) or (text if choices and text in choices.values else None)
                if value is None and choices:
                    value = next((v for v, label in choices.choices if str(label) == text), None)
                if value is None:
                    bad(key, _("Unknown value “%(value)s”.") % {"value": text})
                values[key] = value or ""
            for key in ("birth_date", "term_start", "term_end", "start"):
                text = cells[h[key]]
                values[key] = _parse_date(text) if text else None
                if text and values[key] is None:
                    bad(key, _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text})
            for key, validator in (("id_number", validate_id_number), ("phone", validate_phone)):
                try:
                    validator(cells[h[key]].upper() if key == "id_number" else cells[h[key]])
                except ValidationError as exc:
                    bad(key, exc.messages[0])
            if not cells[h["name"]]:
                bad("name", _("This field is required."))
            code = cells[h["committee"]]
            committee = committees.get(code)
            if not code:
                bad("committee", _("This field is required."))
            elif committee is None:
                bad("committee", _("No organization with code %(code)s in your scope.") % {"code": code})
            category = None
            if cells[h["category"]]:
                category = categories.get(cells[h["category"]])
                if category is None:
                    bad("category", _("Unknown category “%(value)s”.") % {"value": cells[h["category"]]})
            role = values["role"]
            if role:
                if not cells[h["term"]].isdigit():
                    bad("term", _("Give the term number."))
                if values["start"] is None and not row_errors:
                    bad("start", _("This field is required."))
            if row_errors:
                errors.extend(row_errors)
                continue
            try:
                with transaction.atomic():
                    created += _import_row(by, h, cells, values, committee, category, people_by_id, bad)
                    if row_errors:
                        raise _RowFailed
            except _RowFailed:
                errors.extend(row_errors)
            except PermissionDenied:
                errors.append(RowError(number, h["committee"], _("You may not keep the lineup of %(code)s.")
                                       % {"code": code}))  # fmt: skip
        if errors:
            transaction.set_rollback(True)
    errors.sort(key=lambda e: e.row)
    return ImportResult(errors=errors) if errors else ImportResult(created=created)


def _service_errors(exc: ValidationError, bad, field_map: dict[str, str], default: str) -> None:
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            for message in messages:
                bad(field_map.get(name, default), message)
    else:
        for message in exc.messages:
            bad(default, message)


def _import_row(by, h, cells, values, committee, category, people_by_id, bad) -> int:
    id_number = cells[h["id_number"]].upper()
    person = people_by_id.get(id_number) if id_number else None
    if person is None and id_number:
        person = Person.objects.filter(id_number=id_number).first()
    if person is None:
        try:
            person = person_create(
                by=by, organization=committee, name=cells[h["name"]], gender=values["gender"],
                birth_date=values["birth_date"], id_number=id_number, phone=cells[h["phone"]],
                employer=cells[h["employer"]], youth_group=cells[h["youth_group"]],
                political_status=values["political_status"] or PoliticalStatus.LEAGUE_MEMBER,
            )  # fmt: skip
        except ValidationError as exc:
            _service_errors(exc, bad, {k: k for k in PERSON_FIELDS if k in h}, "name")
            return 0
    if not values["role"]:
        if id_number:
            people_by_id[id_number] = person
        return 0
    number = int(cells[h["term"]])
    term = Term.objects.filter(organization=committee, number=number).first()
    if term is None:
        if values["term_start"] is None or values["term_end"] is None:
            bad("term_start", _("Term %(n)s does not exist yet: give its start and end.") % {"n": number})
            return 0
        try:
            term = term_create(by=by, organization=committee, number=number, start=values["term_start"],
                               end=values["term_end"])  # fmt: skip
        except ValidationError as exc:
            _service_errors(exc, bad, {"start": "term_start", "end": "term_end", "number": "term"}, "term")
            return 0
    elif (values["term_start"] and values["term_start"] != term.start) or (
        values["term_end"] and values["term_end"] != term.end
    ):
        bad("term_start", _("Term %(n)s runs %(start)s – %(end)s, not as given.")
            % {"n": number, "start": term.start, "end": term.end})  # fmt: skip
        return 0
    try:
        seat_fill(by=by, term=term, person=person, role=values["role"], start=values["start"],
                  establishment=values["establishment"] or Establishment.INSIDE,
                  employment=values["employment"] or Employment.PART_TIME, category=category,
                  how_obtained=values["how_obtained"] or HowObtained.ELECTION, source=str(_("Excel import")))  # fmt: skip
    except ValidationError as exc:
        _service_errors(
            exc, bad, {"person": "name", "role": "role", "start": "start", "end": "start"}, "role"
        )
        return 0
    if id_number:
        people_by_id[id_number] = person
    return 1
