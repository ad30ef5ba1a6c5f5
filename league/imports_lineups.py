"""Import of lineups (people and their seats) from the Excel template, on the shared machinery (league/imports.py).

`plan` checks every row, writing nothing: the person columns with the people import's parser
(`imports_people.parse_person`, the one people-row parser), the seat columns here, and then each row through
the same services a page uses (person_create, term_create, seat_fill), each in a savepoint, inside a
transaction that is rolled back, so what only the services know (a second secretary, a seat outside its
term) is named by row and column too. `apply` writes the rows through the same services in one
transaction. `lineups_import` is the lineup page's one-step entry point: all rows or none.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import lineup_snapshots, policies
from .imports import NEW, Importer, ImportPlan, RowChange, plan_upload
from .imports_people import PERSON_HEADERS, parse_date, parse_person
from .models import (
    Employment,
    Establishment,
    HowObtained,
    MemberCategory,
    Organization,
    Person,
    SeatRole,
    Term,
)
from .services_lineups import PERSON_FIELDS, person_create, seat_fill, term_create
from .spreadsheets import ImportResult, RowError, template_workbook

LINEUP_HEADERS = {
    "committee": gettext_lazy("Committee code"),
    "term": gettext_lazy("Term number"),
    "term_start": gettext_lazy("Term start"),
    "term_end": gettext_lazy("Term end"),
    "role": gettext_lazy("Post"),
    "name": gettext_lazy("Full name"),
    **PERSON_HEADERS,
    "youth_group": gettext_lazy("Youth category"),
    "establishment": gettext_lazy("Establishment"),
    "employment": gettext_lazy("Employment"),
    "category": gettext_lazy("Category"),
    "start": gettext_lazy("Start"),
    "how_obtained": gettext_lazy("How obtained"),
}
PERSON_KEYS = (
    "name",
    "gender",
    "birth_date",
    "id_number",
    "phone",
    "employer",
    "political_status",
    "youth_group",
)
SEAT_ALIASES = {
    "role": {"书记": SeatRole.SECRETARY, "副书记": SeatRole.DEPUTY, "委员": SeatRole.MEMBER},
    "establishment": {"编制内": Establishment.INSIDE, "编制外": Establishment.OUTSIDE},
    "employment": {"专职": Employment.FULL_TIME, "兼职": Employment.PART_TIME, "挂职": Employment.SECONDED},
    "how_obtained": {"选举": HowObtained.ELECTION, "任命": HowObtained.APPOINTMENT, "补选": HowObtained.BY_ELECTION},
}  # fmt: skip
SEAT_CHOICES = {"role": SeatRole, "establishment": Establishment, "employment": Employment,
                "how_obtained": HowObtained}  # fmt: skip
SEAT_DATES = ("term_start", "term_end", "start")


def _columns() -> dict[str, str]:
    return {key: str(label) for key, label in LINEUP_HEADERS.items()}


def _headers() -> list[str]:
    return list(_columns().values())


def lineup_import_template() -> bytes:
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
    return template_workbook(_headers(), examples, notes)


@dataclass
class LineupRow:
    """One checked row: the person's values (parse_person) and the seat's."""

    number: int
    committee: Organization
    category: MemberCategory | None
    person: dict
    seat: dict


def _check_row(number, cells, h, committees, categories) -> tuple[LineupRow | None, list[RowError]]:
    person, errors = parse_person(number, cells, {key: h[key] for key in PERSON_KEYS})

    def bad(key, message):
        errors.append(RowError(number, h[key], message))

    seat: dict[str, object] = {}
    for key, choices in SEAT_CHOICES.items():
        text = cells[h[key]]
        value = SEAT_ALIASES[key].get(text) or next(
            (v for v, label in choices.choices if text in (v, str(label))), None
        )
        if text and value is None:
            bad(key, _("Unknown value “%(value)s”.") % {"value": text})
        seat[key] = (value or "") if text else ""
    for key in SEAT_DATES:
        text = cells[h[key]]
        seat[key] = parse_date(text) if text else None
        if text and seat[key] is None:
            bad(key, _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text})
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
    seat["term"] = int(cells[h["term"]]) if cells[h["term"]].isdigit() else None
    if seat["role"]:
        if seat["term"] is None:
            bad("term", _("Give the term number."))
        if seat["start"] is None and not errors:
            bad("start", _("This field is required."))
    if errors:
        return None, errors
    return LineupRow(number, committee, category, person, seat), []


class LineupRowsFailed(Exception):
    """A row failed when written (the data changed since it was checked): nothing is kept."""

    def __init__(self, errors: list[RowError]):
        super().__init__(errors)
        self.errors = errors


class _RowFailed(Exception):
    pass


def _write_rows(by, rows: list[LineupRow], h: dict[str, str]) -> tuple[int, list[RowError]]:
    """Write each row through the services, a savepoint each: (seats created, errors naming row and column)."""
    with lineup_snapshots.marks_above_last():  # the marks shared with every lineup write: last
        return _write_each(by, rows, h)


def _write_each(by, rows: list[LineupRow], h: dict[str, str]) -> tuple[int, list[RowError]]:
    created, errors = 0, []
    people_by_id: dict[str, Person] = {}
    for row in rows:
        row_errors: list[RowError] = []

        def bad(key, message, number=row.number, row_errors=row_errors):
            row_errors.append(RowError(number, h[key], message))

        try:
            with transaction.atomic():
                created += _write_row(by, row, people_by_id, bad)
                if row_errors:
                    raise _RowFailed
        except _RowFailed:
            errors.extend(row_errors)
        except PermissionDenied:
            errors.append(RowError(row.number, h["committee"], _("You may not keep the lineup of %(code)s.")
                                   % {"code": row.committee.code}))  # fmt: skip
    return created, errors


def _service_errors(exc: ValidationError, bad, field_map: dict[str, str], default: str) -> None:
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            for message in messages:
                bad(field_map.get(name, default), message)
    else:
        for message in exc.messages:
            bad(default, message)


def _write_row(by, row: LineupRow, people_by_id: dict[str, Person], bad) -> int:
    values, seat, committee = row.person, row.seat, row.committee
    id_number = values["id_number"]
    person = people_by_id.get(id_number) if id_number else None
    if person is None and id_number:
        person = Person.objects.filter(id_number=id_number).first()
    if person is None:
        try:
            person = person_create(by=by, organization=committee, **values)
        except ValidationError as exc:
            _service_errors(exc, bad, {k: k for k in PERSON_FIELDS if k in PERSON_KEYS}, "name")
            return 0
    if not seat["role"]:
        if id_number:
            people_by_id[id_number] = person
        return 0
    number = seat["term"]
    term = Term.objects.filter(organization=committee, number=number).first()
    if term is None:
        if seat["term_start"] is None or seat["term_end"] is None:
            bad("term_start", _("Term %(n)s does not exist yet: give its start and end.") % {"n": number})
            return 0
        try:
            term = term_create(by=by, organization=committee, number=number, start=seat["term_start"],
                               end=seat["term_end"])  # fmt: skip
        except ValidationError as exc:
            _service_errors(exc, bad, {"start": "term_start", "end": "term_end", "number": "term"}, "term")
            return 0
    elif (seat["term_start"] and seat["term_start"] != term.start) or (
        seat["term_end"] and seat["term_end"] != term.end
    ):
        bad("term_start", _("Term %(n)s runs %(start)s – %(end)s, not as given.")
            % {"n": number, "start": term.start, "end": term.end})  # fmt: skip
        return 0
    try:
        seat_fill(by=by, term=term, person=person, role=seat["role"], start=seat["start"],
                  establishment=seat["establishment"] or Establishment.INSIDE,
                  employment=seat["employment"] or Employment.PART_TIME, category=row.category,
                  how_obtained=seat["how_obtained"] or HowObtained.ELECTION, source=str(_("Excel import")))  # fmt: skip
    except ValidationError as exc:
        _service_errors(
            exc, bad, {"person": "name", "role": "role", "start": "start", "end": "start"}, "role"
        )
        return 0
    if id_number:
        people_by_id[id_number] = person
    return 1


def lineups_import_plan(*, by, rows) -> ImportPlan:
    h = _columns()
    categories = {c.name: c for c in MemberCategory.objects.all()}
    committees = {o.code: o for o in policies.organizations_for(by, "import").filter(
        code__in={cells[h["committee"]] for _n, cells in rows})}  # fmt: skip
    checked: list[LineupRow] = []
    errors: list[RowError] = []
    for number, cells in rows:
        row, row_errors = _check_row(number, cells, h, committees, categories)
        errors.extend(row_errors)
        if row is not None:
            checked.append(row)
    with transaction.atomic():  # a trial through the services, always rolled back
        seats, write_errors = _write_rows(by, checked, h)
        transaction.set_rollback(True)
    changes = [RowChange(r.number, NEW, r.person["id_number"], r.person["name"]) for r in checked]
    return ImportPlan(
        changes=changes, errors=errors + write_errors, payload={"rows": checked, "seats": seats}
    )


def lineups_import_apply(*, by, plan: ImportPlan) -> None:
    _seats, errors = _write_rows(by, plan.payload["rows"], _columns())
    if errors:
        raise LineupRowsFailed(errors)


LINEUP_IMPORTER = Importer(
    name="lineups", headers=_headers, plan=lineups_import_plan, apply=lineups_import_apply
)


def lineups_import(*, by: AbstractBaseUser, upload) -> ImportResult:
    """Check the file, then import every row or none. Raises SpreadsheetError for an unreadable file."""
    plan, _data = plan_upload(importer=LINEUP_IMPORTER, by=by, upload=upload)
    if not plan.ok:
        return ImportResult(errors=plan.errors)
    try:
        with transaction.atomic():
            lineups_import_apply(by=by, plan=plan)
    except LineupRowsFailed as exc:
        return ImportResult(errors=sorted(exc.errors, key=lambda e: (e.row, e.column)))
    return ImportResult(created=plan.payload["seats"])
