"""Use cases that write organization data. Views, admin actions, imports and tasks call these."""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, LPad
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import lineup_snapshots, policies
from .imports import NEW, UNCHANGED, UPDATED, Importer, ImportPlan, RowChange, plan_upload
from .locking import save_versioned
from .models import (
    LEVEL_RANK,
    PATH_SEP,
    PATH_WIDTH,
    Domain,
    ExportJob,
    ExportStatus,
    Kind,
    Level,
    Notice,
    Organization,
    Region,
    path_segment,
)
from .spreadsheets import ImportResult, RowError, template_workbook

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


@transaction.atomic
def organization_update(
    *,
    organization: Organization,
    by: AbstractBaseUser,
    expected_version: int,
    name: str,
    kind: str,
    domain: str,
) -> Organization:
    """Rename or reclassify an organization; refused (StaleObjectError) if someone saved it meanwhile."""
    if not policies.can(by, "manage", organization):
        raise PermissionDenied
    organization.name, organization.kind, organization.domain = name, kind, domain
    organization.full_clean(exclude=["code", "parent", "region", "level"])
    return save_versioned(
        organization, by=by, expected_version=expected_version, update_fields=["name", "kind", "domain"]
    )


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


def _organizations_by_code(codes: set[str]) -> dict[str, Organization]:
    found: dict[str, Organization] = {}
    codes_list = sorted(c for c in codes if c)
    for i in range(0, len(codes_list), 2000):  # stay under SQLite's limit of query parameters
        chunk = codes_list[i : i + 2000]
        for org in Organization.objects.filter(code__in=chunk).select_related("parent", "region"):
            found[org.code] = org
    return found


def organizations_import_plan(*, by: AbstractBaseUser, rows) -> ImportPlan:
    """Check every row of an organization file; write nothing. New codes are created, codes already on the
    platform (in the user's scope, same parent and level) are updated: name, kind, domain, region."""
    h = {key: str(label) for key, label in ORG_HEADERS.items()}
    errors: list[RowError] = []
    parsed: dict[str, dict] = {}

    codes_in_file = {cells[h["code"]] for _, cells in rows}
    existing = _organizations_by_code(codes_in_file | {cells[h["parent"]] for _, cells in rows})
    for number, cells in rows:
        code, name = cells[h["code"]], cells[h["name"]]
        row = {"number": number, "code": code, "name": name, "parent_code": cells[h["parent"]],
               "region": cells[h["region"]], "existing": None}  # fmt: skip
        current = existing.get(code)
        if not code:
            errors.append(RowError(number, h["code"], _("This field is required.")))
        elif len(code) > 40:
            errors.append(RowError(number, h["code"], _("At most 40 characters.")))
        elif code in parsed:
            errors.append(
                RowError(
                    number, h["code"], _("The code %(code)s appears twice in the file.") % {"code": code}
                )
            )
        elif current is not None:
            current_parent = current.parent.code if current.parent_id else ""
            if not policies.can(by, "manage", current):
                errors.append(
                    RowError(number, h["code"], _("The code %(code)s is already used.") % {"code": code})
                )
            elif current_parent != row["parent_code"]:
                errors.append(
                    RowError(
                        number,
                        h["code"],
                        _(
                            "The code %(code)s is already used under parent %(parent)s; "
                            "an import cannot move an organization."
                        )
                        % {"code": code, "parent": current_parent or "—"},
                    )
                )
            else:
                row["existing"] = current
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
        if row["existing"] is not None and row.get("level") and row["level"] != row["existing"].level:
            errors.append(
                RowError(number, h["level"], _("An import cannot change the level of an organization."))
            )
        if code and code not in parsed:
            parsed[code] = row

    # Parents: on the platform and in the user's scope, or in the file. Check levels and cycles.
    for row in parsed.values():
        pcode = row["parent_code"]
        if row["existing"] is not None:
            parent = row["existing"].parent
            if row["region"] and (parent is None or parent.level != Level.STREET):
                errors.append(
                    RowError(
                        row["number"], h["region"], _("Only units under a street/township can have a region.")
                    )
                )
            continue
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
    new_rows = [r for r in parsed.values() if r["existing"] is None]
    new_codes = {r["code"] for r in new_rows}
    ordered: list[dict] = []
    placed: set[str] = set()
    pending = new_rows
    while pending:
        ready = [
            r
            for r in pending
            if not r["parent_code"] or r["parent_code"] not in new_codes or r["parent_code"] in placed
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

    changes: list[RowChange] = []
    updates: list[tuple[dict, list[str]]] = []
    for row in parsed.values():
        org = row["existing"]
        if org is None:
            changes.append(RowChange(row["number"], NEW, row["code"], row["name"]))
            continue
        diff: list[str] = []
        fields_changed: list[str] = []
        for key, old, new in (
            ("name", org.name, row["name"]),
            ("kind", org.kind, row.get("kind")),
            ("domain", org.domain, row.get("domain")),
            ("region", org.region.name if org.region_id else "", row["region"]),
        ):
            if new is not None and old != new:
                fields_changed.append(key)
                diff.append(f"{h[key]}: {old or '—'} → {new or '—'}")
        status = UPDATED if fields_changed else UNCHANGED
        changes.append(RowChange(row["number"], status, row["code"], row["name"], diff))
        if fields_changed:
            updates.append((row, fields_changed))
    changes.sort(key=lambda c: c.row)
    return ImportPlan(changes=changes, errors=errors, payload={"ordered": ordered, "updates": updates,
                                                               "existing": existing})  # fmt: skip


def organizations_import_apply(*, by: AbstractBaseUser, plan: ImportPlan) -> None:
    """Write a checked plan (the caller holds the transaction). History is recorded for every row."""
    existing = plan.payload["existing"]

    def region_for(parent: Organization | None, name: str) -> Region | None:
        if not name or parent is None:
            return None
        region, _created = Region.objects.get_or_create(organization=parent, name=name)
        return region

    for row, fields_changed in plan.payload["updates"]:
        org = row["existing"]
        org.name, org.kind, org.domain = row["name"], row["kind"], row["domain"]
        if "region" in fields_changed:
            org.region = region_for(org.parent, row["region"])
        org.save(update_fields=fields_changed)
    # New rows in bulk, one generation of the file's tree at a time (parents get their id, hence their
    # path, before their children); history through django-simple-history's bulk helper, as save() would.
    regions: dict[tuple[int, str], Region | None] = {}
    created: dict[str, Organization] = {}
    new_codes = {r["code"] for r in plan.payload["ordered"]}
    generation = [r for r in plan.payload["ordered"] if r["parent_code"] not in new_codes]
    remaining = [r for r in plan.payload["ordered"] if r["parent_code"] in new_codes]
    now = timezone.now()
    while generation:
        objs = []
        for r in generation:
            parent = created.get(r["parent_code"]) or existing.get(r["parent_code"])
            key = (parent.pk if parent else 0, r["region"])
            if r["region"] and key not in regions:
                regions[key] = region_for(parent, r["region"])
            objs.append(Organization(code=r["code"], name=r["name"], level=r["level"], kind=r["kind"],
                                     domain=r["domain"], parent=parent, region=regions.get(key), path="",
                                     depth=parent.depth + 1 if parent else 0, created_at=now))  # fmt: skip
        Organization.objects.bulk_create(objs, batch_size=1000)
        # path = parent's path + own zero-padded id: one UPDATE per parent, not one per row.
        for parent in {org.parent for org in objs}:
            prefix = parent.path if parent else ""
            Organization.objects.filter(parent=parent, path="").update(
                path=Concat(
                    Value(prefix), LPad(Cast("id", CharField()), PATH_WIDTH, Value("0")), Value(PATH_SEP)
                )
            )
        for org in objs:
            org.path = (org.parent.path if org.parent else "") + path_segment(org.pk)
            created[org.code] = org
        Organization.history.bulk_history_create(objs, batch_size=1000, default_user=by, default_date=now)
        # Bulk creates skip the signals: the lineup figures kept above the new committees are retired here.
        lineup_snapshots.touch(org.pk for org in objs if org.level != Level.GRASSROOTS)
        generation = [r for r in remaining if r["parent_code"] in created]
        remaining = [r for r in remaining if r["parent_code"] not in created]


ORGANIZATION_IMPORTER = Importer(
    name="organizations",
    headers=lambda: [str(h) for h in ORG_HEADERS.values()],
    plan=organizations_import_plan,
    apply=organizations_import_apply,
)


def organizations_import(*, by: AbstractBaseUser, upload) -> ImportResult:
    """Check and apply an organization file in one step (scripts); pages preview first (league.imports).

    Raises SpreadsheetError for a file that cannot be read at all.
    """
    plan, _data = plan_upload(importer=ORGANIZATION_IMPORTER, by=by, upload=upload)
    if not plan.ok:
        return ImportResult(errors=plan.errors)
    with transaction.atomic():
        organizations_import_apply(by=by, plan=plan)
    return ImportResult(created=plan.count(NEW), updated=plan.count(UPDATED))


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


# --- exports in the background ------------------------------------------------------------------------


def export_job_start(
    *, owner: AbstractBaseUser, source: str, params: str, filename_stem: str, total_rows: int
) -> ExportJob:
    """Queue a background export of a list (its filters in `params`); the worker rebuilds the rows."""
    from .tasks import export_run

    now = timezone.now()
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M")
    with transaction.atomic():
        job = ExportJob.objects.create(
            owner=owner,
            source=source,
            params=params,
            filename=f"{filename_stem}-{stamp}.xlsx",
            total_rows=total_rows,
            created_at=now,
            expires_at=now + timedelta(hours=settings.EXPORT_FILE_TTL_HOURS),
        )
        transaction.on_commit(lambda: export_run.delay(job.pk))
    return job


def export_job_run(*, job_id: int) -> ExportJob | None:
    """Write the job's file (safe to run twice: only a queued job is claimed); notify the owner."""
    from .exports import get_source, write_xlsx

    claimed = ExportJob.objects.filter(pk=job_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING
    )
    if not claimed:
        return None
    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    policies.forget(job.owner)
    folder = Path(settings.MEDIA_ROOT) / "exports" / timezone.localtime().strftime("%Y/%m")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{job.pk}-{secrets.token_hex(8)}.xlsx"

    def progress(n: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(done_rows=n)

    try:
        with translation.override(settings.LANGUAGE_CODE):
            spec = get_source(job.source)(job.owner, QueryDict(job.params))
            written = write_xlsx(
                spec.resource, spec.queryset, target, title=spec.filename_stem, progress=progress
            )
    except Exception as exc:
        target.unlink(missing_ok=True)
        job.status, job.error, job.finished_at = ExportStatus.FAILED, str(exc)[:2000], timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        raise
    job.status = ExportStatus.DONE
    job.done_rows = written
    job.total_rows = written
    job.file.name = str(target.relative_to(settings.MEDIA_ROOT))
    job.finished_at = timezone.now()
    # Done and notified together: a page showing the job done never lacks its notice, and a worker lost
    # between the two cannot leave a finished export its owner is never told about.
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        job.save(update_fields=["status", "done_rows", "total_rows", "file", "finished_at"])
        notice_send(
            recipients=[job.owner],
            title=_("Your export “%(name)s” is ready") % {"name": job.filename},
            body=_("%(n)s rows. The file is kept until %(when)s.")
            % {"n": written, "when": timezone.localtime(job.expires_at).strftime("%Y-%m-%d %H:%M")},
            url=reverse("export_job_detail", args=[job.pk]),
            kind="export",
        )
    return job


def exports_expire(*, now=None) -> int:
    """Delete the files of expired exports and mark them expired; returns how many."""
    now = now or timezone.now()
    count = 0
    for job in ExportJob.objects.due_for_expiry(now=now).only("pk", "file", "status"):
        if job.file:
            job.file.delete(save=False)
        job.file.name = ""
        job.status = ExportStatus.EXPIRED
        job.save(update_fields=["file", "status"])
        count += 1
    return count


# --- lineups (league/services_lineups.py) -------------------------------------------------------------------

# The lineup import (league/imports_lineups.py), kept under its former names.
from .imports_lineups import lineup_import_template, lineups_import  # noqa: E402
from .services_lineups import (  # noqa: E402
    SeatEntry,
    assignment_add,
    assignment_remove,
    county_staff,
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
    "ORGANIZATION_IMPORTER", "organizations_import_plan", "organizations_import_apply",
    "export_job_start", "export_job_run", "exports_expire",
]  # fmt: skip
