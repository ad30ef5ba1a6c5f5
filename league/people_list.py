"""The people list's page of rows and its count (up to CappedPaginator's limit) as SQL written once per database
(league.sqltext.per_vendor) rather than the ORM's queryset, correlated subquery and count built and compiled on
every visit. django-filter's PersonFilter still validates the filters and shows the form; the SQL reads its
cleaned data. Tested against the ORM queryset it replaces (tests/league/test_people_list_sql.py)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from .models import Organization, Person, Seat
from .models.tree import uncased
from .pagination import SqlRows
from .sqltext import per_vendor, scope_sql

# What a row shows of a person, in the order the rows statement reads it (then the organization's name and the
# number of seats held on the day).
ROW_FIELDS = ("id", "name", "birth_date", "employer", "youth_group")
# The filters of league.filters.PersonFilter written here; any other filter of the form is refused (below).
FILTERS = ("q", "political_status", "holds_seat")


@per_vendor
def _people_sql() -> dict:
    """The statements (`{where}` where the conditions go, `{joins}` the organization's join when the count needs
    it) and each filter's condition, with the names the ORM gives the tables and columns."""
    qn = connection.ops.quote_name
    person, org, seat = Person._meta, Organization._meta, Seat._meta
    p = {name: f"p.{qn(person.get_field(name).column)}" for name in (*ROW_FIELDS, "organization", "phone")}
    status = f"p.{qn(person.get_field('political_status').column)}"
    o = {name: f"o.{qn(org.get_field(name).column)}" for name in ("id", "name", "path")}
    s = {name: f"s.{qn(seat.get_field(name).column)}" for name in ("person", "start", "end")}
    people, orgs, seats = qn(person.db_table), qn(org.db_table), qn(seat.db_table)
    # Seat.objects.active(on) of the row's person: started on or before the day, not ended by it
    held = f"FROM {seats} s WHERE {s['person']} = {p['id']} AND {s['start']} <= %s AND ({s['end']} IS NULL OR {s['end']} > %s)"
    join = f" INNER JOIN {orgs} o ON {o['id']} = {p['organization']}"
    # name__contains as the ORM writes it on this database (PostgreSQL's ::text cast, SQLite's ESCAPE)
    contains = connection.operators["contains"] % "%s"
    cast = connection.ops.lookup_cast("contains", "CharField")
    return {
        "rows": (
            f"SELECT {', '.join(p[name] for name in ROW_FIELDS)}, {o['name']}, (SELECT COUNT(*) {held})"
            f" FROM {people} p{join}{{where}} ORDER BY {p['name']}, {p['id']} LIMIT %s OFFSET %s"
        ),
        "count": f"SELECT COUNT(*) FROM {people} p{{joins}}{{where}}",
        "upto": f"SELECT COUNT(*) FROM (SELECT {p['id']} FROM {people} p{{joins}}{{where}} LIMIT %s) subquery",
        "join": join,
        "path": o["path"],
        # PersonQuerySet.search for a text without a case; the filter's choice; "holds a seat now", yes and no
        "q": f"({cast % p['name']} {contains} OR {cast % p['employer']} {contains} OR {p['phone']} = %s)",
        "political_status": f"{status} = %s",
        "holds_seat": (f"EXISTS (SELECT 1 {held})", f"NOT EXISTS (SELECT 1 {held})"),
    }


class KeptBy:
    """The organization that keeps a person's record, as a row shows it (its name)."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name


class PersonRow:
    """A person as the list's row shows it (league_rows.person_rows): the attributes of a Person read with
    `.only("name", "birth_date", "employer", "youth_group", "organization__name")`, its `current_seats`, and the
    `detail_url` the view sets."""

    __slots__ = (
        "pk",
        "name",
        "birth_date",
        "employer",
        "youth_group",
        "organization",
        "current_seats",
        "detail_url",
    )
    age_on = Person.age_on

    def __init__(self, row):
        self.pk, self.name, self.birth_date, self.employer, self.youth_group, org_name, self.current_seats = (
            row
        )
        self.organization = KeptBy(org_name)
        self.detail_url = ""


def people(user, cleaned: dict, on: dt.date) -> SqlRows | list | None:
    """The rows of the people list, `PersonFilter(...).qs` of the user's people for the filter form's `cleaned`
    data, `.select_related("organization").order_by("name", "id")` with each person's seats held on `on` (as
    `Seat.objects.active(on)` counts them), for CappedPaginator: sliced, a page of PersonRow; counted up to a
    limit. An empty list for a user who may see nobody (no query, as the ORM's empty condition); None for a text
    with a case (Latin letters): the ORM's case-insensitive search then, which differs by database."""
    from . import policies

    unknown = set(cleaned) - set(FILTERS)
    if unknown:  # a filter added to PersonFilter must be written here too, not silently ignored
        raise ImproperlyConfigured(
            f"league.people_list has no SQL for the people filter(s) {sorted(unknown)}"
        )
    text = (cleaned.get("q") or "").strip()  # as PersonQuerySet.search reads it
    if text and not uncased(text):
        return None
    sql = _people_sql()
    scope = policies.scope_split(user)
    if scope is not None and not scope[0] and not scope[1]:
        return []
    conditions, params = [], []
    if scope is not None:
        within, scope_params = scope_sql(sql["path"], scope)
        conditions.append(within)
        params += scope_params
    day = connection.ops.adapt_datefield_value(on)
    for name in FILTERS:
        value = text if name == "q" else cleaned.get(name)
        if value in (None, "", [], (), {}):  # django-filter's EMPTY_VALUES: no condition
            continue
        if name == "q":
            conditions.append(sql["q"])
            pattern = f"%{connection.ops.prep_for_like_query(value)}%"
            params += [pattern, pattern, value]
        elif name == "holds_seat":
            conditions.append(sql["holds_seat"][0 if value else 1])
            params += [day, day]
        else:
            conditions.append(sql[name])
            params.append(value)
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    joins = sql["join"] if scope is not None else ""  # the filters are on the person alone
    return SqlRows(
        sql["count"].replace("{joins}", joins).replace("{where}", where),
        sql["rows"].replace("{where}", where),
        [day, day, *params],
        PersonRow,
        count_params=params,
        upto_sql=sql["upto"].replace("{joins}", joins).replace("{where}", where),
    )
