"""Use cases that write grassroots work records. Views, the admin and the demo call these.

Each validates its input and raises ValidationError naming the field (nothing stored), checks the acting
user's scope (PermissionDenied), and saves in a transaction with update_fields when it changes a row.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from league import policies, uploads
from league.models import Level, Organization

from .models import (
    DEFAULT_HANDOVER_ITEMS,
    SEVEN_ITEMS,
    CoverageGap,
    Handover,
    HandoverItem,
    HomeActivity,
    Lecture,
    OfficerAssessment,
    ProjectActivity,
    ReformMeasure,
    ServiceProject,
    ThemeDay,
    ThemeDayItem,
    ThemeDayPhoto,
    TransferRate,
    ValueType,
    YouthFunding,
    YouthHome,
    YouthOfficer,
)

MAX_PHOTOS = 6


def may_record(user, organization: Organization) -> bool:
    """Secretaries file their own records; staff manage those of their subtree."""
    return policies.can(user, "file", organization) or policies.can(user, "manage", organization)


def _require_record(user, organization: Organization) -> None:
    if user is not None and not may_record(user, organization):
        raise PermissionDenied


def _require_manage(user, organization: Organization) -> None:
    if user is not None and not policies.can(user, "manage", organization):
        raise PermissionDenied


def _not_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date %(date)s is in the future.") % {"date": day.isoformat()}})


# --- theme days ----------------------------------------------------------------------------------------


def ensure_default_items() -> None:
    """Put back the seven fixed items if they are missing (a flushed database, a fresh demo)."""
    for order, (code, name) in enumerate(SEVEN_ITEMS, start=1):
        ThemeDayItem.objects.get_or_create(code=code, defaults={"name": name, "order": order, "active": True})


PHOTO_TYPES = frozenset({uploads.JPEG, uploads.PNG})


def check_photo(upload: UploadedFile) -> uploads.CheckedUpload:
    """The photo if it is a JPEG or PNG (judged by its bytes) within the upload size limit."""
    try:
        checked = uploads.check_upload(upload, allowed=PHOTO_TYPES)
    except uploads.UploadError as exc:
        raise ValidationError({"photos": str(exc)}) from None
    return checked


@transaction.atomic
def theme_day_record(
    *,
    by,
    branch: Organization,
    held_on: datetime.date,
    members_present: int,
    members_total: int,
    items: Iterable[ThemeDayItem],
    own_items: str = "",
    topic: str = "",
    photos: Iterable[UploadedFile] = (),
) -> ThemeDay:
    """Record (or correct) a branch's theme day for the month of `held_on`."""
    _require_record(by, branch)
    if branch.level != Level.GRASSROOTS:
        raise ValidationError({"branch": _("%(org)s is not a branch.") % {"org": branch.name}})
    _not_future(held_on, "held_on")
    if members_total is None or members_total <= 0:
        raise ValidationError({"members_total": _("The branch must have at least one member.")})
    if members_present is None or members_present < 0:
        raise ValidationError({"members_present": _("Enter the number of members present.")})
    if members_present > members_total:
        raise ValidationError(
            {
                "members_present": _("%(present)s present is more than the %(total)s members of the branch.")
                % {"present": members_present, "total": members_total}
            }
        )
    photos = list(photos)
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(n)s photos.") % {"n": MAX_PHOTOS}})
    checked_photos = [check_photo(p) for p in photos]
    items = list(items)
    required = set(ThemeDayItem.objects.filter(active=True).values_list("pk", flat=True))
    done = {item.pk for item in items}
    month = held_on.replace(day=1)
    theme_day = ThemeDay.objects.select_for_update().filter(organization=branch, month=month).first()
    fields = {
        "held_on": held_on,
        "topic": topic,
        "members_present": members_present,
        "members_total": members_total,
        "own_items": own_items,
        "items_done": len(done & required),
        "all_items_done": required <= done,
        "recorded_by": by,
    }
    if theme_day is None:
        theme_day = ThemeDay.objects.create(organization=branch, month=month, **fields)
    else:
        for name, value in fields.items():
            setattr(theme_day, name, value)
        theme_day.save(update_fields=list(fields))
    theme_day.items.set(items)
    for checked in checked_photos:
        stored_name = uploads.store(checked, folder="theme-days")
        ThemeDayPhoto.objects.create(
            theme_day=theme_day, stored_name=stored_name, name=checked.name, content_type=checked.content_type,
            size=checked.size,
        )  # fmt: skip
    return theme_day


# --- lectures, youth homes, projects ------------------------------------------------------------------


@transaction.atomic
def lecture_record(
    *, by, organization: Organization, held_on: datetime.date, kind: str, title: str, speaker: str,
    place: str, audience: int, summary: str = "",
) -> Lecture:  # fmt: skip
    _require_record(by, organization)
    _not_future(held_on, "held_on")
    lecture = Lecture(
        organization=organization, held_on=held_on, kind=kind, title=title, speaker=speaker, place=place,
        audience=audience, summary=summary,
    )  # fmt: skip
    lecture.full_clean()
    lecture.save()
    return lecture


@transaction.atomic
def youth_home_register(
    *, by, organization: Organization, name: str, tier: str, address: str, opening_hours: str = ""
) -> YouthHome:
    _require_record(by, organization)
    if YouthHome.objects.filter(organization=organization, name=name).exists():
        raise ValidationError(
            {
                "name": _("%(org)s already runs a youth home called %(name)s.")
                % {"org": organization, "name": name}
            }
        )
    home = YouthHome(
        organization=organization, name=name, tier=tier, address=address, opening_hours=opening_hours
    )
    home.full_clean()
    home.save()
    return home


@transaction.atomic
def home_activity_record(
    *, by, home: YouthHome, held_on: datetime.date, title: str, participants: int
) -> HomeActivity:
    _require_record(by, home.organization)
    _not_future(held_on, "held_on")
    activity = HomeActivity(home=home, held_on=held_on, title=title, participants=participants)
    activity.full_clean()
    activity.save()
    return activity


@transaction.atomic
def project_create(
    *, by, organization: Organization, name: str, is_brand: bool = False, description: str = ""
) -> ServiceProject:
    _require_record(by, organization)
    if ServiceProject.objects.filter(organization=organization, name=name).exists():
        raise ValidationError(
            {
                "name": _("%(org)s already has a project called %(name)s.")
                % {"org": organization, "name": name}
            }
        )
    project = ServiceProject(organization=organization, name=name, is_brand=is_brand, description=description)
    project.full_clean()
    project.save()
    return project


@transaction.atomic
def project_activity_record(
    *, by, project: ServiceProject, held_on: datetime.date, title: str, volunteers: int, served: int
) -> ProjectActivity:
    _require_record(by, project.organization)
    _not_future(held_on, "held_on")
    activity = ProjectActivity(
        project=project, held_on=held_on, title=title, volunteers=volunteers, served=served
    )
    activity.full_clean()
    activity.save()
    return activity


# --- youth officers and handovers ---------------------------------------------------------------------


@transaction.atomic
def officer_appoint(
    *, by, organization: Organization, name: str, started_on: datetime.date, post: str = "青年助力官",
    full_time: bool = True, replacing: YouthOfficer | None = None,
    handover_items: Iterable[str] = DEFAULT_HANDOVER_ITEMS,
) -> YouthOfficer:  # fmt: skip
    """Appoint an officer. Replacing someone ends their term and opens a handover checklist: the new
    officer's seat counts as filled only once the checklist is signed."""
    _require_record(by, organization)
    if replacing is not None:
        if replacing.organization_id != organization.pk:
            raise ValidationError(
                {
                    "replacing": _("%(name)s is not an officer of %(org)s.")
                    % {"name": replacing.name, "org": organization}
                }
            )
        if replacing.left_on is not None:
            raise ValidationError({"replacing": _("%(name)s has already left.") % {"name": replacing.name}})
        if started_on < replacing.started_on:
            raise ValidationError(
                {
                    "started_on": _("The successor cannot start before %(name)s did.")
                    % {"name": replacing.name}
                }
            )
    officer = YouthOfficer(
        organization=organization, post=post, name=name, full_time=full_time, started_on=started_on
    )
    officer.full_clean()
    officer.save()
    if replacing is not None:
        replacing.left_on = started_on
        replacing.save(update_fields=["left_on"])
        handover = Handover.objects.create(
            organization=organization, outgoing=replacing, incoming=officer, opened_on=started_on
        )
        HandoverItem.objects.bulk_create(
            HandoverItem(handover=handover, text=text, order=i) for i, text in enumerate(handover_items)
        )
    return officer


@transaction.atomic
def officer_assess(
    *, by, officer: YouthOfficer, year: int, grade: str, award_yuan: Decimal = Decimal(0), note: str = ""
) -> OfficerAssessment:
    _require_manage(by, officer.organization)
    assessment, _created = OfficerAssessment.objects.update_or_create(
        officer=officer, year=year, defaults={"grade": grade, "award_yuan": award_yuan, "note": note}
    )
    return assessment


@transaction.atomic
def handover_items_update(*, by, handover: Handover, done_ids: Iterable[int]) -> Handover:
    _require_record(by, handover.organization)
    if handover.is_signed:
        raise ValidationError({"items": _("This handover is signed and can no longer change.")})
    done_ids = set(done_ids)
    for item in handover.items.select_for_update():
        done = item.pk in done_ids
        if item.done != done:
            item.done = done
            item.save(update_fields=["done"])
    return handover


@transaction.atomic
def handover_sign(*, handover: Handover, signed_by) -> Handover:
    """Sign the checklist. The signer must belong to the organization (hold a secretary's or staff role
    over it); every item must be done; once signed, the successor's seat counts as filled."""
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    if handover.is_signed:
        raise ValidationError({"signed_by": _("This handover is already signed.")})
    if signed_by is None or not may_record(signed_by, handover.organization):
        name = signed_by.get_full_name() or signed_by.username if signed_by else "?"
        raise ValidationError(
            {
                "signed_by": _("%(name)s is not in %(org)s and cannot sign its handover.")
                % {"name": name, "org": handover.organization}
            }
        )
    open_items = [item.text for item in handover.items.all() if not item.done]
    if open_items:
        raise ValidationError(
            {"items": _("Not yet handed over: %(items)s.") % {"items": "、".join(open_items)}}
        )
    if handover.incoming_id is None:
        raise ValidationError({"incoming": _("Name the successor before signing.")})
    handover.signed_by = signed_by
    handover.signed_at = timezone.now()
    handover.save(update_fields=["signed_by", "signed_at"])
    return handover


# --- reform measures and funding ----------------------------------------------------------------------

YES = {"yes", "y", "true", "1", "是", "已完成", "完成"}
NO = {"no", "n", "false", "0", "否", "未完成"}


def parse_value(value_type: str, raw, field: str = "actual") -> Decimal:
    """A measure's value from what a user typed, checked against the measure's value type."""
    if isinstance(raw, bool):
        if value_type != ValueType.YES_NO:
            raise ValidationError({field: _("Enter a number, not yes/no.")})
        return Decimal(int(raw))
    text = str(raw).strip().replace(",", "").replace("，", "")
    if value_type == ValueType.YES_NO:
        if text.lower() in YES:
            return Decimal(1)
        if text.lower() in NO:
            return Decimal(0)
        raise ValidationError({field: _("Enter yes or no (是/否), not %(value)s.") % {"value": text}})
    multiplier = Decimal(1)
    if value_type == ValueType.YUAN and text.endswith("万"):
        text, multiplier = text[:-1], Decimal(10000)
    text = text.removesuffix("元") if value_type == ValueType.YUAN else text
    text = text.removesuffix("%") if value_type == ValueType.PERCENT else text
    try:
        number = Decimal(text) * multiplier
    except InvalidOperation:
        raise ValidationError({field: _("%(value)s is not a number.") % {"value": text or "—"}}) from None
    if not number.is_finite() or number < 0:
        raise ValidationError({field: _("%(value)s is not a number.") % {"value": text}})
    if value_type == ValueType.PERCENT and number > 100:
        raise ValidationError({field: _("A percentage cannot exceed 100.")})
    return number.quantize(Decimal("0.01"))


@transaction.atomic
def measure_create(
    *, by, organization: Organization, lack: str, title: str, indicator: str, year: int, value_type: str,
    target, actual=None, evidence: str = "",
) -> ReformMeasure:  # fmt: skip
    _require_manage(by, organization)
    measure = ReformMeasure(
        organization=organization, lack=lack, title=title, indicator=indicator, year=year, value_type=value_type,
        target=parse_value(value_type, target, "target"),
        actual=None if actual in (None, "") else parse_value(value_type, actual), evidence=evidence,
    )  # fmt: skip
    measure.full_clean()
    measure.save()
    return measure


@transaction.atomic
def measure_set_actual(*, by, measure: ReformMeasure, actual, evidence: str | None = None) -> ReformMeasure:
    """Enter the actual value (typed as the measure's value type: number, yuan — '25万' works —,
    percentage or yes/no) and its evidence."""
    _require_manage(by, measure.organization)
    measure.actual = parse_value(measure.value_type, actual)
    fields = ["actual"]
    if evidence is not None:
        measure.evidence = evidence
        fields.append("evidence")
    measure.save(update_fields=fields)
    return measure


@transaction.atomic
def funding_record(
    *, by, organization: Organization, year: int, youth_population: int, amount_yuan: Decimal
) -> YouthFunding:
    _require_record(by, organization)
    if organization.level != Level.STREET:
        raise ValidationError({"organization": _("Youth funds are entered per street/township.")})
    if not youth_population or youth_population <= 0:
        raise ValidationError({"youth_population": _("Enter the number of young people, more than zero.")})
    if amount_yuan is None or amount_yuan < 0:
        raise ValidationError({"amount_yuan": _("The fund cannot be negative.")})
    funding, _created = YouthFunding.objects.update_or_create(
        organization=organization,
        year=year,
        defaults={"youth_population": youth_population, "amount_yuan": amount_yuan},
    )
    return funding


# --- coverage --------------------------------------------------------------------------------------------


@transaction.atomic
def gap_add(
    *, by, organization: Organization, name: str, kind: str = "", found_on: datetime.date
) -> CoverageGap:
    _require_record(by, organization)
    _not_future(found_on, "found_on")
    gap = CoverageGap(organization=organization, name=name, kind=kind, found_on=found_on)
    gap.full_clean()
    gap.save()
    return gap


@transaction.atomic
def gap_close(*, by, gap: CoverageGap, closed_on: datetime.date) -> CoverageGap:
    _require_record(by, gap.organization)
    _not_future(closed_on, "closed_on")
    if closed_on < gap.found_on:
        raise ValidationError({"closed_on": _("A gap cannot close before it was found.")})
    gap.closed_on = closed_on
    gap.save(update_fields=["closed_on"])
    return gap


@transaction.atomic
def transfer_rate_record(
    *, by, organization: Organization, year: int, graduating: int, transferred: int
) -> TransferRate:
    _require_manage(by, organization)
    if organization.level != Level.CITY:
        raise ValidationError({"organization": _("The transfer rate is entered per city.")})
    if not graduating or graduating <= 0:
        raise ValidationError({"graduating": _("Enter the number of graduating members, more than zero.")})
    if transferred is None or transferred < 0 or transferred > graduating:
        raise ValidationError(
            {"transferred": _("Transferred members must be between 0 and %(n)s.") % {"n": graduating}}
        )
    rate, _created = TransferRate.objects.update_or_create(
        organization=organization, year=year, defaults={"graduating": graduating, "transferred": transferred}
    )
    return rate
