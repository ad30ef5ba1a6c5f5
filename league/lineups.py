"""The "1+3+X" lineups: the stable API other apps use, and the completion statistics.

Stable API (other apps may rely on these names and signatures):

Reading (no writes; a constant number of queries whatever the number of committees)
    lineup_statuses(organizations, *, on=None, rule=None) -> dict[int, LineupStatus]
        For a queryset of street/township organizations: each one's lineup verdict on `on` (default
        today): `.complete`, `.breaches` (code + message: which rule is broken and why), `.vacancies`
        (role, since when, `.age_days()`), `.term`, `.counts`. `rule` overrides the rule (e.g. a pilot
        program's LineupRule); otherwise term rule → nearest ancestor's rule → default rule.
        Organizations without a current term are not complete (breach "no_term").
    lineup_statuses_of(paths, *, on=None, rule=None) -> dict[int, LineupStatus]
        The same for organizations whose paths the caller has read ({id: path}): at most three queries.
    completion_stats(organizations, *, on=None, rule=None, group_by=None) -> CompletionStats
        For a subtree (`root.subtree()` or any organization queryset; only street/township levels count):
        complete count and rate, counts by establishment/employment/category, vacant seats, and the same
        per child of `group_by` (an Organization) for tables and charts.
    term_status(term, *, on=None, rule=None) -> LineupStatus           (same as `Term.status()`)
    rule_for(organization) -> LineupRule

Writing (league.services, all keyword-only, in a transaction, audited with django-simple-history)
    person_create(*, by, organization, name, **fields) -> Person
    term_create(*, by, organization, number, start, end, rule=None) -> Term
    seat_fill(*, by, term, person, role, start, establishment=..., employment=..., category=None,
              how_obtained=HowObtained.ELECTION, source="", pledge="") -> Seat
    seats_fill(*, by, term, entries: list[SeatEntry]) -> list[Seat]
        All entries or none: the elections app fills a term from a certified result with this
        (`SeatEntry(person=..., role=SeatRole.DEPUTY, start=..., establishment=..., ...)`).
    seat_vacate(*, by, seat, on, reason=EndReason.RESIGNED, note="") -> Seat
        A secretary seat left vacant sends an in-app notice to the county staff at once.
Every service raises django.core.exceptions.ValidationError (with field names) on impossible data and
PermissionDenied when `by` may not keep the committee's lineup.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    PATH_SEP,
    Breach,
    Level,
    LineupRule,
    LineupStatus,
    MemberCategory,
    Organization,
    Seat,
    SeatRole,
    Term,
    path_segment,
)
from .models.lineups import breach_messages
from .sqltext import per_vendor

# --- SQL written once --------------------------------------------------------------------------------------
#
# A page of committees (a program's units, a page of the statistics) is judged with three statements: its
# terms, the rules that may apply, the current terms' seat counts. Compiling them through the ORM cost more CPU
# than reading their rows (~1 ms of a ~3 ms verdict for 50 committees), so their text is written once per
# database vendor (as league.context_processors.unread_count) and the rows become instances with from_db.

IN_CHUNK = 500  # ids per IN list (well under SQLite's 999 parameters)


@per_vendor
def _columns(model) -> tuple[list[str], str]:
    """A model's attnames and the quoted column list that reads them (its concrete fields, in order)."""
    qn, fields = connection.ops.quote_name, model._meta.concrete_fields
    return [f.attname for f in fields], ", ".join(qn(f.column) for f in fields)


@per_vendor
def _sql(name: str) -> str:
    qn = connection.ops.quote_name
    if name == "rules":
        return f"SELECT {_columns(LineupRule)[1]} FROM {qn(LineupRule._meta.db_table)}"
    elif name == "rules.default":
        return f"{qn(LineupRule._meta.get_field('is_default').column)} = %s"
    elif name in ("rules.organization", "rules.id"):  # + "IN (…)"
        return f"{qn(LineupRule._meta.get_field(name[6:]).column)} IN ({{}})"
    elif name == "terms":  # + "organization_id IN (…) AND start <= %s ORDER BY …"
        term = {f: qn(Term._meta.get_field(f).column) for f in ("organization", "start")}
        return (f"SELECT {_columns(Term)[1]} FROM {qn(Term._meta.db_table)} WHERE {term['organization']} IN"
                f" ({{}}) AND {term['start']} <= %s ORDER BY {term['organization']}, {term['start']}")  # fmt: skip
    elif name == "categories":
        category = MemberCategory._meta
        order = ", ".join(qn(category.get_field(f).column) for f in category.ordering)
        return (f"SELECT {qn(category.pk.column)}, {qn(category.get_field('name').column)}"
                f" FROM {qn(category.db_table)} ORDER BY {order}")  # fmt: skip
    elif name == "names":  # + "IN (…)"
        org = Organization._meta
        return (f"SELECT {', '.join(qn(org.get_field(f).column) for f in GROUP_FIELDS)} FROM {qn(org.db_table)}"
                f" WHERE {qn(org.pk.column)} IN ({{}})")  # fmt: skip
    elif name == "seats":
        seat = {f: qn(Seat._meta.get_field(f).column)
                for f in ("term", "role", "establishment", "employment", "category", "end", "start")}  # fmt: skip
        kinds = ", ".join(seat[f] for f in ("term", "role", "establishment", "employment", "category", "end"))
        return (f"SELECT {kinds}, COUNT(*) FROM {qn(Seat._meta.db_table)} WHERE {seat['term']} IN ({{}})"
                f" AND {seat['start']} <= %s GROUP BY {kinds}")  # fmt: skip
    else:
        raise KeyError(name)


def _in_chunks(ids: Sequence[int]):
    """`ids` in pieces that fit an IN list, each with its placeholders."""
    for start in range(0, len(ids), IN_CHUNK):
        chunk = list(ids[start : start + IN_CHUNK])
        yield chunk, ", ".join(["%s"] * len(chunk))


def _read_terms(org_ids: Sequence[int], on: dt.date) -> dict[int, Term]:
    """`_current_terms` of organizations given by id: the same terms, from SQL written once."""
    names, sql, alias = _columns(Term)[0], _sql("terms"), connection.alias
    current: dict[int, Term] = {}
    with connection.cursor() as cursor:
        for chunk, marks in _in_chunks(org_ids):
            cursor.execute(sql.format(marks), [*chunk, on])
            for row in cursor.fetchall():
                term = Term.from_db(alias, names, row)
                current[term.organization_id] = term  # by start: the last one started by `on` stays
    return current


def _seat_rows(term_ids: Sequence[int], on: dt.date) -> list[tuple]:
    """The seats of these terms that started by `on`, counted by (term, role, establishment, employment,
    category, end): the rows _statuses reads."""
    rows: list[tuple] = []
    sql = _sql("seats")
    with connection.cursor() as cursor:
        for chunk, marks in _in_chunks(term_ids):
            cursor.execute(sql.format(marks), [*chunk, on])
            rows.extend(cursor.fetchall())
    return rows


# --- rules ----------------------------------------------------------------------------------------------


class _Rules:
    """The stored rules that may apply, loaded in one query (none with an `override`), resolved per
    organization path in Python.

    With `paths` (and the rule ids of their terms), only the rules that can apply to them are read: the
    default, those attached to an organization on one of the paths (a path is its ancestors' ids) and the
    terms' own. Otherwise every rule."""

    def __init__(
        self,
        override: LineupRule | None = None,
        *,
        paths: Iterable[str] | None = None,
        term_rule_ids: Iterable[int] = (),
    ):
        self.override = override
        self.by_id: dict[int, LineupRule] = {}
        self.by_segment: dict[str, LineupRule] = {}  # a rule by its organization's path segment
        self.default = None
        if override is not None:
            return
        names, sql, params = _columns(LineupRule)[0], _sql("rules"), []
        if paths is not None:
            org_ids = sorted({int(seg) for path in paths for seg in path.split(PATH_SEP) if seg})
            where, params = [_sql("rules.default")], [True]
            for column, ids in (("rules.organization", org_ids), ("rules.id", sorted(set(term_rule_ids)))):
                for chunk, marks in _in_chunks(ids):
                    where.append(_sql(column).format(marks))
                    params.extend(chunk)
            sql += " WHERE " + " OR ".join(where)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rules = [LineupRule.from_db(connection.alias, names, row) for row in cursor.fetchall()]
        for r in rules:
            self.by_id[r.pk] = r
            if r.organization_id:
                self.by_segment[path_segment(r.organization_id)[:-1]] = r
            if r.is_default:
                self.default = r
        if self.default is None:
            self.default = LineupRule.builtin_default()

    def for_path(self, path: str, term_rule_id: int | None = None) -> LineupRule:
        if self.override is not None:
            return self.override
        if term_rule_id and term_rule_id in self.by_id:
            return self.by_id[term_rule_id]
        if self.by_segment:
            for segment in reversed(path.split(PATH_SEP)[:-1]):  # the organization, then its ancestors
                rule = self.by_segment.get(segment)
                if rule is not None:
                    return rule
        return self.default


def rule_for(organization: Organization) -> LineupRule:
    return _Rules(paths=[organization.path]).for_path(organization.path)


# --- statuses -------------------------------------------------------------------------------------------


def _statuses(
    terms: dict[int, Term],
    seat_filter: Q | None,
    on: dt.date,
    rules: _Rules,
    paths: dict[int, str],
    rows=None,
):
    """Evaluate the given terms (by id) with one seat query: active counts and ended dates (or `rows`, the
    same counts worked out by the caller)."""
    statuses: dict[int, LineupStatus] = {}
    for term in terms.values():
        rule = rules.for_path(paths[term.organization_id], term.rule_id)
        statuses[term.pk] = LineupStatus(organization_id=term.organization_id, on=on, rule=rule, term=term)
    if (
        rows is None
    ):  # One query: active seats counted by kind, and the end dates of seats that ended by `on`.
        rows = (
            Seat.objects.filter(seat_filter, start__lte=on)
            .order_by()
            .values_list("term_id", "role", "establishment", "employment", "category_id", "end")
            .annotate(n=Count("id"))
        )
    for term_id, role, establishment, employment, category_id, end, n in rows:
        status = statuses.get(term_id)
        if status is None:
            continue
        if end is not None and end <= on:
            status.counts.ended.setdefault(role, []).extend([end] * n)
            continue
        status.counts.add(role, establishment, n)
        status.by_establishment[establishment] = status.by_establishment.get(establishment, 0) + n
        status.by_employment[employment] = status.by_employment.get(employment, 0) + n
        if role == SeatRole.MEMBER:
            status.by_category[category_id] = status.by_category.get(category_id, 0) + n
    messages = breach_messages() if statuses else None  # translated once for every term
    for status in statuses.values():
        status.breaches, status.vacancies = status.rule.evaluate(
            status.counts, term_start=status.term.start, messages=messages
        )
        for vacancy in status.vacancies:
            vacancy.on = on
        if status.term.end <= on:
            status.breaches.append(Breach("term_expired", _("The term ended on %(date)s; a new election is due.")
                                          % {"date": status.term.end.isoformat()}))  # fmt: skip
    return statuses


def _term_rules(term: Term, rule: LineupRule | None, paths: dict[int, str]) -> _Rules:
    """The rules for one term: none read when it has its own rule already read with it (select_related)."""
    if rule is None and term.rule_id is not None and Term.rule.is_cached(term):
        rule = term.rule
    return _Rules(rule, paths=paths.values(), term_rule_ids=[term.rule_id] if term.rule_id else [])


def term_status(term: Term, *, on: dt.date | None = None, rule: LineupRule | None = None) -> LineupStatus:
    on = on or timezone.localdate()
    paths = {term.organization_id: term.organization.path}
    return _statuses({term.pk: term}, Q(term=term), on, _term_rules(term, rule, paths), paths)[term.pk]


def term_status_of_seats(
    term: Term, seats: list[Seat], *, on: dt.date, rule: LineupRule | None = None
) -> LineupStatus:
    """`term_status(term, on=on, rule=rule)` from `seats`, the term's seats that started by `on` (active or
    ended), already read by the caller (the lineup page lists them): the rule's query, not the counts'."""
    counted = Counter((s.term_id, s.role, s.establishment, s.employment, s.category_id, s.end) for s in seats)
    rows = [(*key, n) for key, n in counted.items()]
    paths = {term.organization_id: term.organization.path}
    return _statuses({term.pk: term}, None, on, _term_rules(term, rule, paths), paths, rows=rows)[term.pk]


def _current_terms(org_ids_qs: QuerySet, on: dt.date) -> dict[int, Term]:
    """The current term of each organization (latest start on or before `on`), one query."""
    current: dict[int, Term] = {}
    for term in Term.objects.filter(organization__in=org_ids_qs, start__lte=on).order_by(
        "organization_id", "start"
    ):
        current[term.organization_id] = term
    return current


def lineup_statuses(
    organizations: QuerySet, *, on: dt.date | None = None, rule: LineupRule | None = None
) -> dict[int, LineupStatus]:
    """Lineup verdict per organization id on `on` (see the module docstring). Four queries."""
    return _lineup_statuses(organizations, on=on, rule=rule)[0]


def lineup_statuses_of(
    paths: dict[int, str], *, on: dt.date | None = None, rule: LineupRule | None = None
) -> dict[int, LineupStatus]:
    """lineup_statuses() of the organizations whose paths the caller has read ({id: path}, e.g. a page of a
    list): the same verdicts, without reading the organizations again (three queries: their terms, the rules
    that may apply unless `rule` is given, the current terms' seats unless none has a term)."""
    return _lineup_statuses(None, on=on, rule=rule, paths=paths)[0]


def _lineup_statuses(
    organizations: QuerySet | None, *, on, rule, paths: dict[int, str] | None = None
) -> tuple[dict[int, LineupStatus], dict[int, str]]:
    on = on or timezone.localdate()
    if paths is None:
        orgs = dict(organizations.order_by().values_list("id", "path"))
        ids_qs = organizations.order_by().values("id")
    elif not paths:
        return {}, paths
    else:
        orgs, ids_qs = paths, None
    if ids_qs is None:
        # A page of organizations: their terms by id, the rules of their paths, the current terms' seats.
        terms = _read_terms(list(orgs), on)
        rules = _Rules(
            rule, paths=orgs.values(), term_rule_ids=[t.rule_id for t in terms.values() if t.rule_id]
        )
        rows = _seat_rows([t.pk for t in terms.values()], on) if terms else []
        by_term = _statuses({t.pk: t for t in terms.values()}, None, on, rules, orgs, rows=rows)
    else:
        terms = _current_terms(ids_qs, on)
        rules = _Rules(rule)
        by_term = _statuses(
            {t.pk: t for t in terms.values()},
            Q(term__organization__in=ids_qs, term__start__lte=on),
            on,
            rules,
            orgs,
        )
    result: dict[int, LineupStatus] = {}
    no_term = None
    for org_id, path in orgs.items():
        term = terms.get(org_id)
        if term is not None:
            result[org_id] = by_term[term.pk]
        else:
            no_term = no_term or _("No term (届) is recorded for this committee.")
            result[org_id] = LineupStatus(
                organization_id=org_id, on=on, rule=rules.for_path(path), breaches=[Breach("no_term", no_term)],
            )  # fmt: skip
    return result, orgs


# --- completion statistics --------------------------------------------------------------------------------


@dataclass
class Tally:
    """Completion figures over a set of committees."""

    units: int = 0
    complete: int = 0
    with_term: int = 0
    secretary_vacant: int = 0
    vacant_seats: Counter = field(default_factory=Counter)  # role -> n
    by_establishment: Counter = field(default_factory=Counter)
    by_employment: Counter = field(default_factory=Counter)
    by_category: Counter = field(default_factory=Counter)  # category id -> n
    by_breach: Counter = field(default_factory=Counter)  # breach code -> n

    @property
    def incomplete(self) -> int:
        return self.units - self.complete

    @property
    def rate(self) -> float:
        return round(100.0 * self.complete / self.units, 1) if self.units else 0.0

    @property
    def vacant_total(self) -> int:
        return sum(self.vacant_seats.values())

    def add(self, status: LineupStatus) -> None:
        self.units += 1
        self.complete += status.complete
        self.with_term += status.term is not None
        self.secretary_vacant += status.secretary_vacant
        for v in status.vacancies:
            self.vacant_seats[v.role] += 1
        self.by_establishment.update(status.by_establishment)
        self.by_employment.update(status.by_employment)
        self.by_category.update(status.by_category)
        self.by_breach.update(b.code for b in status.breaches)


@dataclass
class GroupRow:
    organization: Organization
    tally: Tally


@dataclass
class CompletionStats:
    on: dt.date
    total: Tally
    groups: list[GroupRow]
    statuses: dict[int, LineupStatus]
    # (organization id, complete) in tree order: a list, or lineup_snapshots.KeptUnits read a slice at a time
    units: Sequence[tuple[int, bool]] = field(default_factory=list)

    @cached_property
    def categories(self) -> dict[int, str]:
        """{id: name} of the member categories (`MemberCategory.objects.values_list("id", "name")`)."""
        with connection.cursor() as cursor:
            cursor.execute(_sql("categories"))
            return dict(cursor.fetchall())

    def category_rows(self) -> list[tuple[str, int]]:
        rows = [(self.categories.get(cid, _("Uncategorized")) if cid else _("Uncategorized"), n)
                for cid, n in self.total.by_category.items()]  # fmt: skip
        return sorted(rows, key=lambda r: -r[1])


def completion_stats(
    organizations: QuerySet,
    *,
    on: dt.date | None = None,
    rule: LineupRule | None = None,
    group_by: Organization | None = None,
) -> CompletionStats:
    """Completion statistics over the street/township committees of `organizations` (e.g. a subtree).

    With `group_by` (an organization), figures are also given per child of it (county per city…);
    committees directly under it form their own group. Five queries whatever the size of the tree.
    """
    on = on or timezone.localdate()
    units = organizations.filter(level=Level.STREET)
    statuses, paths = _lineup_statuses(units, on=on, rule=rule)
    total = Tally()
    group_tallies: dict[int, Tally] = defaultdict(Tally)
    depth = group_by.depth + 1 if group_by is not None else None
    for org_id, status in statuses.items():
        total.add(status)
        if depth is not None:
            group_tallies[group_of(paths[org_id], org_id, depth)].add(status)
    return CompletionStats(on=on, total=total, groups=group_rows(group_tallies), statuses=statuses)


def group_of(path: str, org_id: int, depth: int) -> int:
    """The id of the organization at `depth` on `path` (the child of the grouping organization a committee
    lies under), or the committee's own id when it is directly under it."""
    segments = path.split(PATH_SEP)
    return int(segments[depth]) if len(segments) > depth + 1 else org_id


# What a group's row shows of its organization, and its place in the tree.
GROUP_FIELDS = ("id", "name", "path")


def group_rows(group_tallies: dict[int, Tally]) -> list[GroupRow]:
    """The groups' rows in tree order, with their organizations (their GROUP_FIELDS only; one query):
    `Organization.objects.only("name", "path").in_bulk(ids)` from SQL written once."""
    if not group_tallies:
        return []
    names: dict[int, Organization] = {}
    with connection.cursor() as cursor:
        for chunk, marks in _in_chunks(list(group_tallies)):
            cursor.execute(_sql("names").format(marks), chunk)
            for row in cursor.fetchall():
                names[row[0]] = Organization.from_db(connection.alias, GROUP_FIELDS, row)
    groups = [GroupRow(names[i], t) for i, t in group_tallies.items() if i in names]
    return sorted(groups, key=lambda g: g.organization.path)


# --- reference data ---------------------------------------------------------------------------------------

DEFAULT_CATEGORIES = [
    "青年致富带头人",
    "青年村干部",
    "选调生",
    "公务员",
    "三支一扶",
    "大学生村官",
    "青年企业家",
]


def ensure_reference_data() -> None:
    """The default "1+3+X" rule, the "1+2+N" variant and the categories of seed 001 (as the migration
    creates them; for databases flushed by tests or created without migrations)."""
    LineupRule.objects.get_or_create(
        name="1+3+X",
        defaults=dict(is_default=True, deputies_min=3, deputies_outside_min=1, deputies_inside_min=1,
                      members_min=1, size_min=9, size_max=21,
                      description="1名书记；3名副书记，编制内与编制外相结合（至少1名编制外）；X名委员，班子共9–21人。"),
    )  # fmt: skip
    LineupRule.objects.get_or_create(
        name="1+2+N",
        defaults=dict(is_default=False, deputies_min=2, deputies_outside_min=1, deputies_inside_min=0,
                      members_min=1, size_min=5, size_max=21, description="1名书记；2名副书记（至少1名编制外）；N名委员。"),
    )  # fmt: skip
    for order, name in enumerate(DEFAULT_CATEGORIES, start=1):
        MemberCategory.objects.get_or_create(name=name, defaults={"order": order})
