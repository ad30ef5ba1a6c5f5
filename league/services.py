"""Use cases that write organization data. Views, admin actions, imports and tasks call these."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import policies
from .models import LEVEL_RANK, Domain, Kind, Level, Notice, Organization, Region
from .spreadsheets import ImportResult, RowError, read_rows, template_workbook

# --- organizations ----------------------------------------------------------------------------------


@transaction.atomic
def organization_create(
    *,
    by: AbstractBaseUser | None,
    code: str,
    name: str,
    level: str,
    parent: Organization | None,
    kind: str = Kind.COMMITTEE,
    domain: str = Domain.URBAN_STREET,
    region: Region | None = None,
) -> Organization:
    if by is not None:
        if parent is None and not policies.is_platform_admin(by):
            raise PermissionDenied
        if parent is not None and not policies.can(by, "manage", parent):
            raise PermissionDenied
    org = Organization(
        code=code, name=name, level=level, parent=parent, kind=kind, domain=domain, region=region
    )
    org.full_clean()
    org.save()
    return org


# --- import from Excel ------------------------------------------------------------------------------

ORG_HEADERS = {
    "code": gettext_lazy("Code"),
    "name": gettext_lazy("Name"),
    "parent": gettext_lazy("Parent code"),
    "level": gettext_lazy("Level"),
    "kind": gettext_lazy("Kind"),
    "domain": gettext_lazy("Domain"),
    "region": gettext_lazy("Region"),
}

# Labels accepted in the template's cells besides the stored values (staff type these in Chinese).
LEVEL_ALIASES = {
    "省": Level.PROVINCE, "省级": Level.PROVINCE, "市": Level.CITY, "市级": Level.CITY,
    "县": Level.COUNTY, "区": Level.COUNTY, "县/区": Level.COUNTY, "县区": Level.COUNTY, "县级": Level.COUNTY,
    "街道": Level.STREET, "乡镇": Level.STREET, "街道/乡镇": Level.STREET, "镇": Level.STREET, "乡": Level.STREET,
    "基层": Level.GRASSROOTS, "基层组织": Level.GRASSROOTS,
}  # fmt: skip
KIND_ALIASES = {
    "团委": Kind.COMMITTEE, "团工委": Kind.WORKING_COMMITTEE, "团总支": Kind.GENERAL_BRANCH, "团支部": Kind.BRANCH,
}  # fmt: skip
DOMAIN_ALIASES = {
    "农村": Domain.RURAL, "城市街道": Domain.URBAN_STREET, "街道": Domain.URBAN_STREET, "学校": Domain.SCHOOL,
    "国有企业": Domain.STATE_ENTERPRISE, "国企": Domain.STATE_ENTERPRISE, "非公企业": Domain.NONPUBLIC_ENTERPRISE,
    "社会组织": Domain.SOCIAL_ORGANIZATION, "机关": Domain.GOVERNMENT, "党政机关": Domain.GOVERNMENT,
}  # fmt: skip


def _choice(value: str, choices, aliases: dict) -> str | None:
    value = value.strip()
    if value in aliases:
        return str(aliases[value])
    for stored, label in choices.choices:
        if value in (stored, str(label)):
            return stored
    return None


def organization_import_template() -> bytes:
    headers = [str(h) for h in ORG_HEADERS.values()]
    examples = [
        ["NB-YZ-ZH-001", "中河街道某社区团支部", "NB-YZ-ZH", "基层", "团支部", "城市街道", "第一片区"],
        ["NB-YZ-ZH-002", "中河街道某企业团支部", "NB-YZ-ZH", "基层", "团支部", "非公企业", ""],
    ]
    notes = "\n".join(
        [
            _(
                "One row per organization. The parent is given by its code: an organization already on the "
                "platform, or one earlier or later in this file."
            ),
            _("Level: 省 / 市 / 县 / 街道 / 乡镇 / 基层. Kind: 团委 / 团工委 / 团总支 / 团支部."),
            _("Domain: 农村 / 城市街道 / 学校 / 国有企业 / 非公企业 / 社会组织 / 机关."),
            _(
                "Region (片区) is optional: the name of a region of the parent street/township; it is created if new."
            ),
            _(
                "Every row is checked first: if any row is wrong, nothing is imported and each bad row is named."
            ),
        ]
    )
    return template_workbook(headers, examples, notes)


def organizations_import(*, by: AbstractBaseUser, upload) -> ImportResult:
    """Import an organization tree from the Excel template: every row checked first, all rows or none.

    Raises SpreadsheetError for a file that cannot be read at all.
    """
    h = {key: str(label) for key, label in ORG_HEADERS.items()}
    rows = read_rows(upload, list(h.values()))
    errors: list[RowError] = []
    parsed: dict[str, dict] = {}

    codes_in_file = [cells[h["code"]] for _, cells in rows]
    existing = {
        o.code: o
        for o in Organization.objects.filter(
            code__in=set(codes_in_file) | {cells[h["parent"]] for _, cells in rows if cells[h["parent"]]}
        )
    }
    for number, cells in rows:
        code, name = cells[h["code"]], cells[h["name"]]
        row = {"number": number, "code": code, "name": name, "parent_code": cells[h["parent"]],
               "region": cells[h["region"]]}  # fmt: skip
        if not code:
            errors.append(RowError(number, h["code"], _("This field is required.")))
        elif len(code) > 40:
            errors.append(RowError(number, h["code"], _("At most 40 characters.")))
        elif code in existing:
            errors.append(
                RowError(number, h["code"], _("The code %(code)s is already used.") % {"code": code})
            )
        elif code in parsed:
            errors.append(
                RowError(
                    number, h["code"], _("The code %(code)s appears twice in the file.") % {"code": code}
                )
            )
        if not name:
            errors.append(RowError(number, h["name"], _("This field is required.")))
        elif len(name) > 120:
            errors.append(RowError(number, h["name"], _("At most 120 characters.")))
        for key, choices, aliases in (("level", Level, LEVEL_ALIASES), ("kind", Kind, KIND_ALIASES),
                                      ("domain", Domain, DOMAIN_ALIASES)):  # fmt: skip
            value = cells[h[key]]
            if not value:
                errors.append(RowError(number, h[key], _("This field is required.")))
                continue
            row[key] = _choice(value, choices, aliases)
            if row[key] is None:
                errors.append(RowError(number, h[key], _("Unknown value “%(value)s”.") % {"value": value}))
        if code and code not in parsed:
            parsed[code] = row

    # Parents: on the platform and in the user's scope, or in the file. Check levels and cycles.
    for row in parsed.values():
        pcode = row["parent_code"]
        if not pcode:
            if not policies.is_platform_admin(by):
                errors.append(
                    RowError(
                        row["number"],
                        h["parent"],
                        _("Only a platform admin may add a top-level organization."),
                    )
                )
            continue
        parent = existing.get(pcode)
        if parent is not None:
            if not policies.can(by, "manage", parent):
                errors.append(
                    RowError(
                        row["number"],
                        h["parent"],
                        _("No organization with code %(code)s in your scope.") % {"code": pcode},
                    )
                )
                continue
            parent_level = parent.level
        elif pcode in parsed:
            parent_level = parsed[pcode].get("level")
        else:
            errors.append(
                RowError(
                    row["number"],
                    h["parent"],
                    _("No organization with code %(code)s in your scope.") % {"code": pcode},
                )
            )
            continue
        level = row.get("level")
        if level and parent_level:
            if LEVEL_RANK[level] < LEVEL_RANK[parent_level] or (
                level != Level.GRASSROOTS and LEVEL_RANK[level] == LEVEL_RANK[parent_level]
            ):
                errors.append(
                    RowError(
                        row["number"],
                        h["level"],
                        _("A %(level)s cannot be placed under a %(parent)s.")
                        % {"level": Level(level).label, "parent": Level(parent_level).label},
                    )
                )
        if row["region"] and parent_level and parent_level != Level.STREET:
            errors.append(
                RowError(
                    row["number"], h["region"], _("Only units under a street/township can have a region.")
                )
            )

    # Order: parents before children; a cycle in the file is an error.
    ordered: list[dict] = []
    placed: set[str] = set()
    pending = list(parsed.values())
    while pending:
        ready = [
            r
            for r in pending
            if not r["parent_code"] or r["parent_code"] not in parsed or r["parent_code"] in placed
        ]
        if not ready:
            for r in pending:
                errors.append(
                    RowError(r["number"], h["parent"], _("The parent codes in the file form a loop."))
                )
            break
        for r in ready:
            ordered.append(r)
            placed.add(r["code"])
        pending = [r for r in pending if r["code"] not in placed]

    errors.sort(key=lambda e: e.row)
    if errors:
        return ImportResult(errors=errors)

    with transaction.atomic():
        created: dict[str, Organization] = {}
        for r in ordered:
            parent = created.get(r["parent_code"]) or existing.get(r["parent_code"])
            region = None
            if r["region"]:
                region, _created = Region.objects.get_or_create(organization=parent, name=r["region"])
            org = Organization(code=r["code"], name=r["name"], level=r["level"], kind=r["kind"],
                               domain=r["domain"], parent=parent, region=region)  # fmt: skip
            org.save()
            created[r["code"]] = org
    return ImportResult(created=len(ordered))


# --- notices ------------------------------------------------------------------------------------------


def notice_send(*, recipients, title: str, body: str = "", url: str = "", kind: str = "info") -> list[Notice]:
    """Create an in-app notice for each recipient (one INSERT)."""
    now = timezone.now()
    notices = [
        Notice(recipient=u, title=title, body=body, url=url, kind=kind, created_at=now) for u in recipients
    ]
    return Notice.objects.bulk_create(notices)


def notices_mark_read(*, user, notice_ids: list[int] | None = None) -> int:
    qs = Notice.objects.filter(recipient=user, read_at__isnull=True)
    if notice_ids is not None:
        qs = qs.filter(pk__in=notice_ids)
    return qs.update(read_at=timezone.now())


# --- lineups (league/services_lineups.py) -------------------------------------------------------------------

from .services_lineups import (  # noqa: E402
    SeatEntry,
    assignment_add,
    assignment_remove,
    county_staff,
    lineup_import_template,
    lineups_import,
    may_keep_lineup,
    person_create,
    person_update,
    pledge_record,
    recommendation_decide,
    recommendation_record,
    review_record,
    seat_fill,
    seat_order_resignation,
    seat_update,
    seat_vacate,
    seats_fill,
    secretary_vacancy_notify,
    talk_conclude,
    talk_record,
    term_create,
)

__all__ = [
    "SeatEntry", "assignment_add", "assignment_remove", "county_staff", "lineup_import_template", "lineups_import", "may_keep_lineup", "notice_send",
    "notices_mark_read", "organization_create", "organization_import_template", "organizations_import",
    "person_create", "person_update", "pledge_record", "recommendation_decide", "recommendation_record",
    "review_record", "seat_fill", "seat_order_resignation", "seat_update", "seat_vacate", "seats_fill",
    "secretary_vacancy_notify", "talk_conclude", "talk_record", "term_create",
]  # fmt: skip
