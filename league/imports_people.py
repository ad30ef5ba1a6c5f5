"""Import of people (人员库) from Excel through the shared preview/apply machinery (league/imports.py).

A row is keyed by its ID number when it has one: a known ID number in the user's scope updates that
person, an unknown one (or none) creates a person. Writes in bulk, with django-simple-history's bulk helpers
so every created or updated person has its history row. The people page wires it with
`league.views.import_page(request, PEOPLE_IMPORTER, ...)`.

`parse_person` is the one parser and validator of a person's columns: the lineup import
(league/imports_lineups.py) reads its person columns with it too.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from simple_history.utils import bulk_update_with_history

from .imports import NEW, UNCHANGED, UPDATED, Importer, ImportPlan, RowChange
from .models import Gender, Organization, Person, PoliticalStatus
from .services_lineups import may_keep_lineup
from .spreadsheets import RowError, template_workbook
from .validators import validate_id_number, validate_phone

# The person columns every people import carries after the name, in this order (the lineup import too).
PERSON_HEADERS = {
    "gender": gettext_lazy("Gender"),
    "birth_date": gettext_lazy("Birth date"),
    "id_number": gettext_lazy("ID number"),
    "phone": gettext_lazy("Phone"),
    "employer": gettext_lazy("Employer/unit"),
    "political_status": gettext_lazy("Political status"),
}
PEOPLE_HEADERS = {
    "organization": gettext_lazy("Organization code"),
    "name": pgettext_lazy("person", "Name"),
    **PERSON_HEADERS,
    "notes": gettext_lazy("Notes"),
}
GENDER_ALIASES = {"男": Gender.MALE, "女": Gender.FEMALE, "m": Gender.MALE, "f": Gender.FEMALE}
STATUS_ALIASES = {
    "党员": PoliticalStatus.PARTY_MEMBER, "中共党员": PoliticalStatus.PARTY_MEMBER,
    "预备党员": PoliticalStatus.PROBATIONARY, "中共预备党员": PoliticalStatus.PROBATIONARY,
    "团员": PoliticalStatus.LEAGUE_MEMBER, "共青团员": PoliticalStatus.LEAGUE_MEMBER,
    "群众": PoliticalStatus.MASSES, "其他": PoliticalStatus.OTHER,
}  # fmt: skip
FIELDS = ["name", "gender", "birth_date", "id_number", "phone", "employer", "political_status", "notes"]
# Every person column an import may carry (the lineup import has youth_group, the people import notes).
PERSON_COLUMNS = ("name", "gender", "birth_date", "id_number", "phone", "employer", "political_status",
                  "youth_group", "notes")  # fmt: skip
TOO_LONG = {"name": (40, gettext_lazy("At most 40 characters.")),
            "employer": (120, gettext_lazy("At most 120 characters."))}  # fmt: skip
DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def parse_date(text: str) -> dt.date | None:
    """A date written 1998-05-04, 1998/5/4, 1998.5.4 or 1998年5月4日; None if it is not one."""
    match = DATE_RE.match(text.strip())
    try:
        return dt.date(*map(int, match.groups())) if match else dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def _choice(text: str, aliases: dict[str, str], choices) -> str | None:
    return aliases.get(text) or next((v for v, label in choices if text in (v, str(label))), None)


def parse_person(number: int, cells: dict[str, str], columns: dict[str, str]) -> tuple[dict, list[RowError]]:
    """Read and check the person columns of one spreadsheet row: the one parser of every people import.

    `columns` maps the person fields the file carries (of PERSON_COLUMNS) to their headers. Returns the
    values to store (gender and political status as codes, the birth date as a date, the ID number in
    capitals) and a RowError naming the row and the column for each problem.
    """
    errors: list[RowError] = []

    def bad(key: str, message) -> None:
        errors.append(RowError(number, columns[key], str(message)))

    values = {key: cells[columns[key]].strip() for key in PERSON_COLUMNS if key in columns}
    if not values["name"]:
        bad("name", _("This field is required."))
    for key, (limit, message) in TOO_LONG.items():
        if len(values.get(key, "")) > limit:
            bad(key, message)
    if "gender" in values:
        text = values["gender"]
        values["gender"] = (_choice(text, GENDER_ALIASES, Gender.choices) or "") if text else ""
        if text and not values["gender"]:
            bad("gender", _("Unknown value “%(value)s”.") % {"value": text})
    if "political_status" in values:
        text = values["political_status"]
        status = _choice(text, STATUS_ALIASES, PoliticalStatus.choices) if text else None
        if text and status is None:
            bad("political_status", _("Unknown value “%(value)s”.") % {"value": text})
        values["political_status"] = status or PoliticalStatus.LEAGUE_MEMBER
    if "birth_date" in values:
        text = values["birth_date"]
        values["birth_date"] = parse_date(text) if text else None
        if text and values["birth_date"] is None:
            bad("birth_date", _("“%(value)s” is not a date (e.g. 1998-05-04).") % {"value": text})
    if "id_number" in values:
        values["id_number"] = values["id_number"].upper()
    for key, validator in (("id_number", validate_id_number), ("phone", validate_phone)):
        if values.get(key):
            try:
                validator(values[key])
            except ValidationError as exc:
                bad(key, " ".join(exc.messages))
    return values, errors


def _headers() -> list[str]:
    return [str(h) for h in PEOPLE_HEADERS.values()]


def people_import_template() -> bytes:
    return template_workbook(
        _headers(),
        [["ZJ-NB-YZ-ZH", "张三", "男", "1998-05-04", "", "13800000000", "某公司", "团员", ""]],
        _(
            "One row per person. A row with a known ID number updates that person; nothing is imported if any row is wrong."
        ),
    )


def _chunks(values, size=2000):
    values = sorted(v for v in values if v)
    for i in range(0, len(values), size):
        yield values[i : i + size]


def people_import_plan(*, by, rows) -> ImportPlan:
    h = {key: str(label) for key, label in PEOPLE_HEADERS.items()}
    person_columns = {key: h[key] for key in FIELDS}
    errors: list[RowError] = []
    orgs: dict[str, Organization] = {}
    for chunk in _chunks({c[h["organization"]] for _n, c in rows}):
        orgs.update({o.code: o for o in Organization.objects.filter(code__in=chunk)})
    known: dict[str, Person] = {}
    for chunk in _chunks({c[h["id_number"]].strip().upper() for _n, c in rows}):
        known.update({p.id_number: p for p in Person.objects.filter(id_number__in=chunk)})
    allowed: dict[int, bool] = {}

    def may_keep(org: Organization) -> bool:
        if org.pk not in allowed:
            allowed[org.pk] = may_keep_lineup(by, org)
        return allowed[org.pk]

    seen_ids: set[str] = set()
    creates: list[Person] = []
    updates: list[tuple[Person, list[str]]] = []
    changes: list[RowChange] = []
    for number, cells in rows:
        before = len(errors)
        code = cells[h["organization"]]
        org = orgs.get(code)
        if not code:
            errors.append(RowError(number, h["organization"], _("This field is required.")))
        elif org is None or not may_keep(org):
            errors.append(
                RowError(
                    number,
                    h["organization"],
                    _("No organization with code %(code)s in your scope.") % {"code": code},
                )
            )
        values, row_errors = parse_person(number, cells, person_columns)
        errors.extend(row_errors)
        id_number = values["id_number"]
        current = known.get(id_number) if id_number else None
        if id_number:
            if id_number in seen_ids:
                errors.append(RowError(number, h["id_number"], _("The ID number appears twice in the file.")))
            seen_ids.add(id_number)
            if current is not None and not may_keep(current.organization):
                errors.append(
                    RowError(
                        number, h["id_number"], _("This ID number belongs to a person outside your scope.")
                    )
                )
        if len(errors) > before:
            continue
        if current is None:
            creates.append(Person(organization=org, **values))
            changes.append(RowChange(number, NEW, id_number, values["name"]))
            continue
        changed = [k for k in FIELDS if k != "id_number" and values[k] != getattr(current, k)]
        if current.organization_id != org.pk:
            changed.append("organization")
            current.organization = org
        for key in changed:
            if key != "organization":
                setattr(current, key, values[key])
        changes.append(RowChange(number, UPDATED if changed else UNCHANGED, id_number, values["name"],
                                 [str(PEOPLE_HEADERS.get(k, k)) for k in changed]))  # fmt: skip
        if changed:
            updates.append((current, changed))
    return ImportPlan(changes=changes, errors=errors, payload={"creates": creates, "updates": updates})


def people_import_apply(*, by, plan: ImportPlan) -> None:
    now = timezone.now()
    creates = plan.payload["creates"]
    for person in creates:
        person.created_at = now
    Person.objects.bulk_create(creates, batch_size=1000)
    Person.history.bulk_history_create(creates, batch_size=1000, default_user=by, default_date=now)
    updates = plan.payload["updates"]
    if updates:
        fields = sorted({f for _p, changed in updates for f in changed})
        bulk_update_with_history([p for p, _c in updates], Person, fields, batch_size=1000, default_user=by)


PEOPLE_IMPORTER = Importer(
    name="people", headers=_headers, plan=people_import_plan, apply=people_import_apply
)
