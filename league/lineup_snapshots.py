"""Kept lineup verdicts: completion figures over tens of thousands of committees without evaluating each.

A committee's verdict (league.lineups) depends on its terms, seats and rule, and on the date only through
the dates on which one of its terms or seats starts or ends (a seat counts from its start, is gone from its
end; a term is current from its start and expired from its end). So a verdict worked out for a date `d`
holds for every date of [the last such date ≤ d, the next such date > d). Readers keep the verdicts they
work out (LineupSnapshot) and reuse those whose interval covers the date asked and whose version equals the
committee's change mark (LineupMark).

Every change bumps the mark in the change's own transaction: signals on saves and deletes of Term, Seat and
LineupRule (admin edits included), `touch` from bulk writes and tree moves. A kept verdict is therefore
never used once a change has committed — the figures are live, not a table that lags. A reader reads the
versions before the rows it evaluates, so a change committing in between leaves it storing a verdict under
the old version, which no reader will use.

The same holds one level up: every organization has a mark too, bumped with the marks of the committees
under it (`touch` bumps a committee's ancestors with it) and by every organization created, edited, moved or
deleted under it (signals on Organization; organizations_import_apply touches the ones it creates in bulk).
The summed figures of a subtree (LineupSummary, what completion_summary returns for an Organization) are
kept under its mark's version and the dates between which all its verdicts hold, and reused while both
still match: a province's statistics read one row instead of summing its 1,300 verdicts.

    completion_totals(organizations, *, on=None, rule=None) -> lineups.Tally
        Units, complete, with a term, vacant seats by role, secretary seats vacant, over the street/township
        committees of `organizations`: two queries (a count and a sum) when every verdict is kept.
    completion_summary(organizations, *, on=None, rule=None, group_by=None) -> lineups.CompletionStats
        The same as lineups.completion_stats (every breakdown, per child of `group_by`) from the kept
        verdicts, summed by the database per alike committees (same group, breakdowns and vacant roles: a
        province's 1,300 committees come back as about 60 rows); instead of `statuses` it lists `units`:
        (organization id, complete) in tree order, a KeptUnits read a slice at a time (a page: one query), of
        which lineups.lineup_statuses gives the details; per group only the counts (no breakdowns). Two
        queries when every verdict is kept. `organizations` may be an Organization, for its subtree (its
        streets read as one index range, each verdict checked against its mark by key), whose summed rows
        are kept: one query while nothing under it changed and the date is within their interval.
    refresh(organizations, *, on, rule=None) -> int
        Work out and keep the verdicts missing for `organizations` on `on` (returns how many).
    touch(organization_ids) / touch_subtree(path)
        Retire the kept verdicts of these committees and the kept summaries above them (call inside the
        changing transaction).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import IntegrityError, connection, transaction
from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from .lineups import CompletionStats, Tally, _lineup_statuses, group_of, group_rows
from .models import (
    Level,
    LineupMark,
    LineupRule,
    LineupSnapshot,
    LineupStatus,
    LineupSummary,
    Organization,
    Seat,
    SeatRole,
    Term,
)
from .models.tree import (
    PATH_SEP,
    PATH_WIDTH,
    organization_moved,
    path_order,
    path_segment,
    subtree_end,
    subtree_sql,
)

logger = logging.getLogger(__name__)

FAR_PAST = dt.date(1, 1, 1)
FAR_FUTURE = dt.date(9999, 12, 31)
CHUNK = 4000  # committees worked out per round (keeps IN lists well under SQLite's parameter limit)


def rule_key(rule: LineupRule | None) -> int:
    return rule.pk if rule is not None else 0


# --- retiring kept verdicts -------------------------------------------------------------------------------


def _bump(ids: Iterable[int], *, create: bool = True) -> None:
    """Bump the marks of these organizations, creating missing ones unless `create` is false."""
    ids = sorted(set(ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        if create:
            LineupMark.objects.bulk_create(
                [LineupMark(organization_id=i) for i in chunk], ignore_conflicts=True
            )
        LineupMark.objects.filter(pk__in=chunk).update(version=F("version") + 1)


def _with_ancestors(paths: Iterable[str]) -> set[int]:
    """The ids of the organizations of these paths and of every organization above them."""
    return {int(segment) for path in paths for segment in path.split(PATH_SEP) if segment}


_above_later: ContextVar[set[int] | None] = ContextVar("lineup_marks_above_later", default=None)


def touch(organization_ids: Iterable[int]) -> None:
    """Bump the change marks of these committees and of every organization above them (creating missing
    marks), in the caller's transaction (those above on leaving marks_above_last, inside it)."""
    ids = sorted({int(i) for i in organization_ids if i})
    above: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        paths = Organization.objects.filter(pk__in=ids[start : start + CHUNK]).values_list("path", flat=True)
        above |= _with_ancestors(paths)
    later = _above_later.get()
    if later is None:
        _bump(above | set(ids))
    else:
        later |= above - set(ids)
        _bump(ids)


@contextmanager
def marks_above_last():
    """Within it, `touch` bumps the committees' own marks at once and the marks above them (their county's,
    ..., the country's: shared by every lineup write) once, on leaving, still inside the caller's transaction.
    For a write of many committees' lineups in one transaction (an import): it then locks those shared rows
    only at its end, after its terms and seats, in the order every single write takes them (its term, then
    the marks). Were it to hold the country's mark from its first row on, a single seat filled meanwhile in one
    of its later committees would hold that term while waiting for the mark, and the import wait for the term:
    a deadlock."""
    if _above_later.get() is not None:  # nested: the outermost one bumps
        yield
        return
    later: set[int] = set()
    token = _above_later.set(later)
    try:
        yield
    finally:
        _above_later.reset(token)
    _bump(later)  # not reached on an error, whose transaction is rolled back


def touch_subtree(path: str | None) -> None:
    """Bump the marks of every organization but grassroots units under `path` (all of them for None) and
    of every organization above it."""
    organizations = Organization.objects.exclude(level=Level.GRASSROOTS)
    if path:
        organizations = organizations.filter(path__startswith=path)
    ids = set(organizations.values_list("pk", flat=True).iterator(chunk_size=CHUNK))
    _bump(ids | _with_ancestors([path] if path else []))


@receiver(post_save, sender=Organization, dispatch_uid="league.lineup_snapshots.organization_saved")
def _organization_saved(sender, instance: Organization, created: bool, raw: bool = False, **kwargs) -> None:
    # A committee created, or its level changed, changes the count of every subtree above it. On creation
    # the path is written after this signal: it is the parent's path and the organization's own id.
    if raw or (created and instance.level == Level.GRASSROOTS):  # no committee under a grassroots unit
        return
    path = instance.path
    if not path:
        parent_path = instance.parent.path if instance.parent_id else ""
        path = parent_path + path_segment(instance.pk)
    ids = _with_ancestors([path])
    if instance.level == Level.GRASSROOTS:
        ids.discard(instance.pk)
    _bump(ids)


@receiver(post_delete, sender=Organization, dispatch_uid="league.lineup_snapshots.organization_deleted")
def _organization_deleted(sender, instance: Organization, **kwargs) -> None:
    # Only marks that still exist (an organization above may be deleted in the same statement): every
    # organization has its mark from its creation (migration 0018 for the older ones), so a summary read
    # meanwhile either sees the deletion or is retired by this bump. A grassroots unit counts in no figures.
    if instance.level == Level.GRASSROOTS:
        return
    _bump(_with_ancestors([instance.path]) - {instance.pk}, create=False)


@receiver([post_save, post_delete], sender=Term, dispatch_uid="league.lineup_snapshots.term")
def _term_changed(sender, instance: Term, **kwargs) -> None:
    touch([instance.organization_id])


@receiver([post_save, post_delete], sender=Seat, dispatch_uid="league.lineup_snapshots.seat")
def _seat_changed(sender, instance: Seat, **kwargs) -> None:
    if Seat.term.is_cached(instance) and instance.term.pk == instance.term_id:
        organization_id = instance.term.organization_id
    else:
        organization_id = (
            Term.objects.filter(pk=instance.term_id).values_list("organization_id", flat=True).first()
        )
    if organization_id is None:  # the term is being deleted with its seats: the term's own signal covers it
        return
    touch([organization_id])


@receiver([post_save, post_delete], sender=LineupRule, dispatch_uid="league.lineup_snapshots.rule")
def _rule_changed(sender, instance: LineupRule, **kwargs) -> None:
    # A rule may reach any committee: as the default, as a county's (which may just have moved from another
    # county) or as a program's. Rules change seldom; every committee's verdict is retired, and worked out
    # again in the background once the change has committed (league.tasks.lineup_verdicts_refresh).
    touch_subtree(None)
    transaction.on_commit(_refresh_later)


def _refresh_later() -> None:
    from .tasks import lineup_verdicts_refresh

    try:
        lineup_verdicts_refresh.delay()
    except Exception:  # no broker: the next reader works them out instead
        logger.warning("lineup verdicts: could not queue the refresh", exc_info=True)


@receiver(organization_moved, dispatch_uid="league.lineup_snapshots.moved")
def _organization_moved(sender, *, organization, old_path: str, new_path: str, **kwargs) -> None:
    # Rules are inherited along the path. Sent mid-move: the descendants are at new_path already, the
    # moved organization itself still at old_path.
    touch_subtree(old_path)
    touch_subtree(new_path)


# --- reading ----------------------------------------------------------------------------------------------


def _kept(key: int, on: dt.date, *, mark_per_row: bool = False) -> QuerySet:
    """Kept verdicts valid on `on` under rule `key` and current (version = the committee's mark). With
    `mark_per_row`, each verdict's mark is looked up by its key (a correlated subquery) rather than joined:
    for a subtree read as an index range, PostgreSQL otherwise hashes the subtree's committees and scans every
    mark of the country against them (national scale: 10-12 -> 8-9 ms for a province's 1,300 committees)."""
    if mark_per_row:
        mark = LineupMark.objects.filter(pk=OuterRef("organization_id")).values("version")[:1]
        current = Q(version=Subquery(mark))
    else:
        current = Q(organization__lineup_mark__version=F("version"))
    return LineupSnapshot.objects.filter(current, rule_key=key, valid_from__lte=on, valid_until__gt=on)


def _streets(organizations: QuerySet) -> QuerySet:
    return organizations.filter(level=Level.STREET)


def completion_totals(
    organizations: QuerySet, *, on: dt.date | None = None, rule: LineupRule | None = None
) -> Tally:
    """The completion Tally (without the per-kind breakdowns) over the street/township committees of
    `organizations` on `on` (default today), working out and keeping any verdict not kept yet."""
    on = on or timezone.localdate()
    units = _streets(organizations).order_by()

    def read():
        return (
            _kept(rule_key(rule), on)
            .filter(organization__in=units.values("pk"))
            .aggregate(
                units=Count("pk"),
                complete=Count("pk", filter=Q(complete=True)),
                with_term=Count("pk", filter=Q(with_term=True)),
                secretary_vacant=Count("pk", filter=Q(vacant_secretary__gt=0)),
                secretary=Sum("vacant_secretary"),
                deputy=Sum("vacant_deputy"),
                member=Sum("vacant_member"),
            )
        )

    row = read()
    if row["units"] < units.count():  # some verdicts not kept (yet, or any more): work them out, read again
        refresh(units, on=on, rule=rule)
        row = read()
    tally = Tally(units=row["units"], complete=row["complete"], with_term=row["with_term"],
                  secretary_vacant=row["secretary_vacant"])  # fmt: skip
    for role in SeatRole.values:
        if row[role]:
            tally.vacant_seats[role] = row[role]
    return tally


def _subtree_streets(root: Organization, field: str = "organization__") -> Q:
    """The street/township committees under `root`, as a condition on the kept verdicts' organization (or, with
    `field=""`, on the organizations): one range of the (level, path) index (LIKE 'prefix%' on PostgreSQL, the
    range of league.models.subtree_end on SQLite, whose LIKE cannot read the index), joined directly instead of
    an IN list of their ids."""
    if connection.vendor == "sqlite":
        within = Q(**{f"{field}path__gte": root.path, f"{field}path__lt": subtree_end(root.path)})
    else:
        within = Q(**{f"{field}path__startswith": root.path})
    return Q(**{f"{field}level": Level.STREET}) & within


class KeptUnits(Sequence):
    """The committees of a completion summary in tree order, (organization id, complete) each, read a slice at a
    time: a page of the list is one query, not every committee of the subtree. Its length is the summary's
    count (no query)."""

    def __init__(self, verdicts: Callable[[], QuerySet], streets: QuerySet, counts: dict[bool, int],
                 complete: bool | None = None, named: bool = False,
                 named_sql: Callable[[bool | None], tuple[str, list]] | None = None):  # fmt: skip
        self._verdicts, self._streets, self._counts = verdicts, streets, counts
        self._complete, self._named, self._named_sql = complete, named, named_sql

    def where(self, *, complete: bool) -> KeptUnits:
        """Only the complete (or incomplete) committees."""
        return KeptUnits(self._verdicts, self._streets, self._counts, complete, self._named, self._named_sql)

    def named(self) -> KeptUnits:
        """The same committees as (organization id, path, name)."""
        return KeptUnits(self._verdicts, self._streets, self._counts, self._complete, True, self._named_sql)

    def _rows(self) -> QuerySet:
        if self._named and self._complete is None:  # every committee: the streets alone, in the index's order
            return self._streets.order_by("path").values_list("pk", "path", "name")
        rows = self._verdicts()  # built only when read (a page of every committee reads the streets alone)
        rows = rows if self._complete is None else rows.filter(complete=self._complete)
        fields = ("organization__path", "organization__name") if self._named else ("complete",)
        return rows.order_by("organization__path").values_list("organization_id", *fields)

    def __len__(self) -> int:
        return sum(self._counts.values()) if self._complete is None else self._counts[self._complete]

    def __getitem__(self, index):
        if (
            isinstance(index, slice)
            and index.step in (None, 1)
            and min(index.start or 0, index.stop or 0) >= 0
        ):
            if self._named and self._named_sql is not None and index.stop is not None:  # a page of the list
                start = index.start or 0
                if index.stop <= start:
                    return []
                sql, params = self._named_sql(self._complete)
                with connection.cursor() as cursor:
                    cursor.execute(f"{sql} LIMIT %s OFFSET %s", [*params, index.stop - start, start])
                    return cursor.fetchall()
            return list(self._rows()[index])
        return list(self)[index]

    def __iter__(self):
        return iter(self._rows())

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None


def _selection(organizations: QuerySet | Organization, key: int, on: dt.date):
    """The street/township committees of `organizations` (a queryset, or an Organization for its subtree, read
    as one index range), a function giving their kept verdicts current on `on`, and the SQL condition
    selecting them as a function of the organization's alias (for _alike_sql)."""
    if isinstance(organizations, Organization):
        units = Organization.objects.filter(_subtree_streets(organizations, field=""))
        path = organizations.path

        def verdicts() -> QuerySet:
            return _kept(key, on, mark_per_row=True).filter(_subtree_streets(organizations))

        def streets(alias: str) -> tuple[str, list]:  # the subtree's streets: one range of the path index
            sql, params = subtree_sql(f"{alias}.path", path)
            return f"{alias}.level = %s AND {sql}", [Level.STREET.value, *params]

    else:
        units = _streets(organizations).order_by()
        ids_sql, ids_params = units.values("pk").query.sql_with_params()

        def streets(alias: str) -> tuple[str, list]:
            return f"{alias}.id IN ({ids_sql})", list(ids_params)

        def verdicts() -> QuerySet:
            return _kept(key, on).filter(organization__in=units.values("pk"))

    return units, verdicts, streets


def _named_sql(streets: Callable[[str], tuple[str, list]], *, key: int, on: dt.date):
    """For KeptUnits.named() of a subtree: given `complete` (None for every committee), the SQL and parameters
    of its committees (id, path, name) in tree order, as its querysets give them, to which a page's LIMIT and
    OFFSET are added: the streets alone for every committee, else their kept verdicts current on `on` under rule
    `key` that are (in)complete. Without the ORM's compilation."""
    qn = connection.ops.quote_name
    orgs = qn(Organization._meta.db_table)
    kept, marks = qn(LineupSnapshot._meta.db_table), qn(LineupMark._meta.db_table)
    within, within_params = streets("o")
    order = path_order("o.path")

    def sql(complete: bool | None) -> tuple[str, list]:
        if complete is None:
            return f"SELECT o.id, o.path, o.name FROM {orgs} o WHERE {within} ORDER BY {order}", within_params
        day = connection.ops.adapt_datefield_value(on)
        return (
            f"SELECT o.id, o.path, o.name FROM {kept} k INNER JOIN {orgs} o ON o.id = k.organization_id"
            f" WHERE {within} AND k.rule_key = %s AND k.valid_from <= %s AND k.valid_until > %s"
            f" AND k.version = (SELECT m.version FROM {marks} m WHERE m.organization_id = k.organization_id)"
            f" AND k.complete = %s ORDER BY {order}",
            [*within_params, key, day, day, complete],
        )

    return sql


def _alike_sql(
    streets: Callable[[str], tuple[str, list]], *, key: int, on: dt.date, prefix: int
) -> tuple[str, list]:
    """The kept verdicts of the committees that `streets(alias)` selects (SQL and parameters of a condition on
    the organization `alias`), current on `on` under rule `key`, summed per alike committees (same group path
    prefix, breakdowns and vacant roles), in the order of their first committee in the tree; each row led by
    the number of committees selected (kept or not) and ended by the dates between which its verdicts all
    hold. One statement, without the ORM's compilation."""
    qn = connection.ops.quote_name
    orgs = qn(Organization._meta.db_table)
    kept, marks = qn(LineupSnapshot._meta.db_table), qn(LineupMark._meta.db_table)
    (counted, counted_params), (within, within_params) = streets("s"), streets("o")
    sql = (
        f"SELECT (SELECT COUNT(*) FROM {orgs} s WHERE {counted}),"
        " SUBSTR(o.path, 1, %s), CAST(k.detail AS TEXT),"
        " k.vacant_secretary > 0, k.vacant_deputy > 0, k.vacant_member > 0, COUNT(*),"
        " SUM(CASE WHEN k.complete THEN 1 ELSE 0 END), SUM(CASE WHEN k.with_term THEN 1 ELSE 0 END),"
        " SUM(k.vacant_secretary), SUM(k.vacant_deputy), SUM(k.vacant_member),"
        " MAX(k.valid_from), MIN(k.valid_until)"
        f" FROM {kept} k INNER JOIN {orgs} o ON o.id = k.organization_id"
        f" WHERE {within} AND k.rule_key = %s AND k.valid_from <= %s AND k.valid_until > %s"
        f" AND k.version = (SELECT m.version FROM {marks} m WHERE m.organization_id = k.organization_id)"
        " GROUP BY 2, 3, 4, 5, 6 ORDER BY MIN(o.path)"
    )
    day = connection.ops.adapt_datefield_value(on)
    return sql, [*counted_params, prefix, *within_params, key, day, day]


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)  # SQLite: text


def _kept_summary(
    root: Organization, *, key: int, prefix: int, on: dt.date
) -> tuple[int | None, list | None]:
    """(the version of `root`'s mark, the rows of its summary kept for that version and `on`, or None): one
    statement. No mark: (None, None), and no summary is kept (see _organization_deleted)."""
    qn = connection.ops.quote_name
    marks, summaries = qn(LineupMark._meta.db_table), qn(LineupSummary._meta.db_table)
    day = connection.ops.adapt_datefield_value(on)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT m.version, s.rows FROM {marks} m LEFT OUTER JOIN {summaries} s"
            " ON s.organization_id = m.organization_id AND s.rule_key = %s AND s.prefix = %s"
            " AND s.version = m.version AND s.valid_from <= %s AND s.valid_until > %s"
            " WHERE m.organization_id = %s",
            [key, prefix, day, day, root.pk],
        )
        row = cursor.fetchone()
    if row is None:
        return None, None
    return row[0], (json.loads(row[1]) if row[1] is not None else None)


def _summed(units, streets, *, key: int, on: dt.date, prefix: int, rule: LineupRule | None,
            keep: int | None, root) -> list:  # fmt: skip
    """The rows of _alike_sql (without their dates), working out the verdicts not kept yet; kept as `root`'s
    summary under mark version `keep` (read before them) when every committee's verdict is in."""
    sql, params = _alike_sql(streets, key=key, on=on, prefix=prefix)

    def read():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    rows = read()
    # Some verdicts not kept (yet, or any more): work them out, read again.
    count = rows[0][0] if rows else units.count()
    if sum(row[6] for row in rows) < count:
        refresh(units, on=on, rule=rule)
        rows = read()
    summed = [list(row[:-2]) for row in rows]
    if keep is not None and sum(row[6] for row in rows) == count:
        # Valid from the latest start of its verdicts' intervals to the earliest end.
        valid_from = max((_date(row[-2]) for row in rows), default=FAR_PAST)
        valid_until = min((_date(row[-1]) for row in rows), default=FAR_FUTURE)
        try:
            with transaction.atomic():
                LineupSummary.objects.bulk_create(
                    [LineupSummary(organization=root, rule_key=key, prefix=prefix, version=keep,
                                   valid_from=valid_from, valid_until=valid_until, rows=json.dumps(summed))],
                    update_conflicts=True, unique_fields=["organization", "rule_key", "prefix"],
                    update_fields=["version", "valid_from", "valid_until", "rows"],
                )  # fmt: skip
        except IntegrityError:  # the organization was deleted meanwhile: nothing to keep
            logger.info("lineup summary of %s not kept: the organization was deleted", root.pk)
    return summed


def completion_summary(
    organizations: QuerySet | Organization,
    *,
    on: dt.date | None = None,
    rule: LineupRule | None = None,
    group_by: Organization | None = None,
) -> CompletionStats:
    """`organizations` is a queryset, or an Organization for its whole subtree (its streets then read as one
    index range joined to the kept verdicts: about half the work of the IN list at national scale)."""
    on = on or timezone.localdate()
    key = rule_key(rule)
    units, verdicts, streets = _selection(organizations, key, on)
    depth = group_by.depth + 1 if group_by is not None else None
    prefix = (PATH_WIDTH + len(PATH_SEP)) * (depth + 1) if depth is not None else 0
    # Committees alike (same group, breakdowns and vacant roles) are summed by the database, listed in the order
    # of their first committee in the tree, so every key of a breakdown appears in the order a committee-by-
    # committee sum would give it (the page lists them in that order). The breakdowns as text: committees
    # share a few distinct ones (a province's 1,300 committees: about 60 rows), each decoded once below.
    if isinstance(organizations, Organization):  # a subtree: its summary may be kept
        version, rows = _kept_summary(organizations, key=key, prefix=prefix, on=on)
    else:
        version, rows = None, None
    if rows is None:
        rows = _summed(units, streets, key=key, on=on, prefix=prefix, rule=rule, keep=version,
                       root=organizations)  # fmt: skip
    total = Tally()
    group_tallies: dict[int, Tally] = defaultdict(Tally)
    groups: dict[str, int] = {}
    details: dict[str, dict] = {}
    roles = SeatRole.values  # a list built on each access
    for _streets_n, group_path, detail_text, *row in rows:
        vacant, (n, complete, with_term, *seats) = row[:3], row[3:]
        tallies = [total]
        if depth is not None:  # per group: the counts of the table and chart (the breakdowns are the total's)
            if group_path not in groups:  # a group's path, or a committee's own (shorter): its id last
                groups[group_path] = group_of(group_path, int(group_path.split(PATH_SEP)[-2]), depth)
            tallies.append(group_tallies[groups[group_path]])
        for tally in tallies:
            tally.units += n
            tally.complete += complete
            tally.with_term += with_term
            tally.secretary_vacant += n if vacant[0] else 0
            for role, has, seats_vacant in zip(roles, vacant, seats, strict=True):
                if has:
                    tally.vacant_seats[role] += seats_vacant
        if detail_text not in details:
            details[detail_text] = json.loads(detail_text)
        detail = details[detail_text]
        for counter, part in ((total.by_establishment, detail.get("establishment", {})),
                              (total.by_employment, detail.get("employment", {}))):  # fmt: skip
            for k, m in part.items():
                counter[k] += m * n
        for k, m in detail.get("category", {}).items():
            total.by_category[int(k) or None] += m * n
        for code in detail.get("breaches", []):
            total.by_breach[code] += n
    named = _named_sql(streets, key=key, on=on) if isinstance(organizations, Organization) else None
    listed = KeptUnits(verdicts, units, {True: total.complete, False: total.incomplete}, named_sql=named)
    return CompletionStats(on=on, total=total, groups=group_rows(group_tallies), statuses={}, units=listed)


# --- working verdicts out ---------------------------------------------------------------------------------


def _intervals(ids: list[int], on: dt.date) -> dict[int, tuple[dt.date, dt.date]]:
    """Per committee, the dates around `on` between which its verdict cannot change (two queries)."""
    bounds = {i: (FAR_PAST, FAR_FUTURE) for i in ids}

    def widen(rows):
        for org_id, *dates in rows:
            before = [d for d in dates[:2] if d is not None]
            after = [d for d in dates[2:] if d is not None]
            lo, hi = bounds[org_id]
            bounds[org_id] = (max([lo, *before]), min([hi, *after]))

    def edges(qs, org_field):
        return qs.values(org_field).order_by().annotate(
            a=Max("start", filter=Q(start__lte=on)), b=Max("end", filter=Q(end__lte=on)),
            c=Min("start", filter=Q(start__gt=on)), d=Min("end", filter=Q(end__gt=on)),
        ).values_list(org_field, "a", "b", "c", "d")  # fmt: skip

    widen(edges(Term.objects.filter(organization__in=ids), "organization_id"))
    widen(edges(Seat.objects.filter(term__organization__in=ids), "term__organization_id"))
    return bounds


def _snapshot(status: LineupStatus, key: int, version: int, interval) -> LineupSnapshot:
    vacant = {role: 0 for role in SeatRole.values}
    for vacancy in status.vacancies:
        vacant[vacancy.role] += 1
    return LineupSnapshot(
        organization_id=status.organization_id, rule_key=key, version=version,
        valid_from=interval[0], valid_until=interval[1], complete=status.complete,
        with_term=status.term is not None, vacant_secretary=vacant[SeatRole.SECRETARY],
        vacant_deputy=vacant[SeatRole.DEPUTY], vacant_member=vacant[SeatRole.MEMBER],
        detail={
            "establishment": status.by_establishment, "employment": status.by_employment,
            "category": {str(k or 0): n for k, n in status.by_category.items()},
            "breaches": [b.code for b in status.breaches],
        },
    )  # fmt: skip


def refresh(organizations: QuerySet, *, on: dt.date, rule: LineupRule | None = None) -> int:
    """Work out and keep the verdicts on `on` that are not kept for the street/township committees of
    `organizations`. One query when nothing is missing; seven more per 4,000 committees missing."""
    key = rule_key(rule)
    missing = list(
        _streets(organizations)
        .order_by()
        .exclude(Exists(_kept(key, on).filter(organization=OuterRef("pk"))))
        .values_list("pk", flat=True)
    )
    for start in range(0, len(missing), CHUNK):
        ids = missing[start : start + CHUNK]
        with transaction.atomic():
            LineupMark.objects.bulk_create(
                [LineupMark(organization_id=i) for i in ids], ignore_conflicts=True
            )
        # The versions first, then the rows they version (see the module docstring).
        versions = dict(LineupMark.objects.filter(pk__in=ids).values_list("pk", "version"))
        statuses, _paths = _lineup_statuses(Organization.objects.filter(pk__in=ids), on=on, rule=rule)
        intervals = _intervals(ids, on)
        LineupSnapshot.objects.bulk_create(
            [_snapshot(statuses[i], key, versions.get(i, 0), intervals[i]) for i in ids if i in statuses],
            batch_size=1000,
            ignore_conflicts=True,
        )
    return len(missing)


def prune() -> int:
    """Delete kept verdicts whose committee has changed since (their version is behind the mark)."""
    stale = LineupSnapshot.objects.exclude(
        Exists(LineupMark.objects.filter(pk=OuterRef("organization_id"), version=OuterRef("version")))
    )
    return stale.delete()[0]
