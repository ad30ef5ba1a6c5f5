"""Keeping the dashboard's report counters (pilots/models_tally.py) right, in the caller's transaction.

Every change is a set of deltas on tally rows keyed by (organization, program, schedule, period start,
deadline, reporting level): a slot counts in the row of its reporting organization and of each of its
ancestors (the ids are read off the materialized path). `apply` writes all deltas of a change in one
`INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n` statement (PostgreSQL and SQLite), rows in a fixed
order so concurrent writers take the row locks in the same order. `rebuild` recounts from the base tables
(`manage.py rebuild_report_tallies`); `recount` gives what the counters should hold, for tests and checks.
`visible` tells which rows (and which organizations' own slots, counted live) sum to what a user may see.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q

from league.models import Organization
from league.models.tree import PATH_SEP
from league.sqltext import per_vendor

from .models import FILED_STATES, ReportSlot, ReportState, ReportTally

COUNTERS = ("slots", "filed_on_time", "filed_late", "returned", "accepted")
KEY = ("organization_id", "program_id", "schedule_id", "period_start", "deadline", "level")
Key = tuple  # (organization_id, program_id, schedule_id, period_start, deadline, level)
BATCH = 500


def vector(state: str | None, late: bool | None) -> tuple[int, ...]:
    """What one slot adds to the counters, given its report's state (None: no report) and late flag."""
    filed = state in FILED_STATES
    return (1, int(filed and not late), int(filed and bool(late)), int(state == ReportState.RETURNED),
            int(state == ReportState.ACCEPTED))  # fmt: skip


def path_ids(path: str) -> list[int]:
    """The organization ids of a materialized path, root first, the organization itself last."""
    return [int(seg) for seg in path.split(PATH_SEP) if seg]


def _add(deltas: dict, path: str, key: tuple, vec: Iterable[int], sign: int = 1) -> None:
    for org_id in path_ids(path):
        row = deltas[(org_id, *key)]
        for i, v in enumerate(vec):
            row[i] += sign * v


def new_deltas() -> dict:
    return defaultdict(lambda: [0] * len(COUNTERS))


def apply(deltas: dict) -> None:
    """Add the deltas {key: [counters]} to the tally rows, creating missing rows (one statement a batch)."""
    with connection.cursor() as cursor:
        for sql, params in upserts(deltas):
            cursor.execute(sql, params)


def upserts(deltas: dict) -> list[tuple[str, list]]:
    """The statements (SQL, parameters) that `apply` runs: one `INSERT … ON CONFLICT DO UPDATE` a batch of rows,
    none when every delta is zero. Rows in key order, so concurrent writers lock them in the same order."""
    rows = sorted((k, v) for k, v in deltas.items() if any(v))
    return [
        (_upsert_sql(len(batch)), [value for key, vec in batch for value in (*key, *vec)])
        for batch in (rows[start : start + BATCH] for start in range(0, len(rows), BATCH))
    ]


def _upsert_sql(rows: int) -> str:
    head, row, tail = _upsert_parts()
    return f"{head} VALUES {', '.join([row] * rows)} {tail}"


@per_vendor
def _upsert_parts() -> tuple[str, str, str]:
    """The upsert's text before its rows, a row's placeholders and the text after them (built once)."""
    qn = connection.ops.quote_name
    table = qn(ReportTally._meta.db_table)
    columns = ", ".join(qn(c) for c in (*KEY, *COUNTERS))
    conflict = ", ".join(qn(c) for c in KEY)
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in map(qn, COUNTERS))
    row = "(" + ", ".join(["%s"] * (len(KEY) + len(COUNTERS))) + ")"
    return f"INSERT INTO {table} ({columns})", row, f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}"


def slots_created(slots: Iterable[ReportSlot], organizations: dict[int, Organization]) -> None:
    """New slots without reports (generate_slots): `organizations` maps their organization ids."""
    deltas = new_deltas()
    for s in slots:
        org = organizations[s.organization_id]
        _add(
            deltas,
            org.path,
            (s.program_id, s.schedule_id, s.period_start, s.deadline, org.level),
            vector(None, False),
        )
    apply(deltas)


def slot_changed(slot: ReportSlot, *, before: tuple[str | None, bool], after: tuple[str | None, bool],
                 deadline_before: dt.date | None = None) -> None:  # fmt: skip
    """A slot's report went from `before` (state, late) to `after`, and its deadline may have moved (the
    slot already holds the new deadline). `slot.organization` must be loaded (it is one row)."""
    apply(slot_deltas(slot, before=before, after=after, deadline_before=deadline_before))


def slot_deltas(slot: ReportSlot, *, before: tuple[str | None, bool], after: tuple[str | None, bool],
                deadline_before: dt.date | None = None) -> dict:  # fmt: skip
    """The deltas of slot_changed, not applied (pilots/submission.py writes them in the submission's statement)."""
    org = slot.organization
    old_key = (
        slot.program_id,
        slot.schedule_id,
        slot.period_start,
        deadline_before or slot.deadline,
        org.level,
    )
    new_key = (slot.program_id, slot.schedule_id, slot.period_start, slot.deadline, org.level)
    deltas = new_deltas()
    _add(deltas, org.path, old_key, vector(*before), -1)
    _add(deltas, org.path, new_key, vector(*after))
    return deltas


def organization_moved(*, organization_id: int, old_path: str, new_path: str) -> None:
    """A subtree moved: its counts leave the old ancestors and join the new ones (rows inside it stay)."""
    old_above, new_above = path_ids(old_path)[:-1], path_ids(new_path)[:-1]
    if old_above == new_above:
        return
    deltas = new_deltas()
    for row in ReportTally.objects.filter(organization_id=organization_id).values_list(*KEY[1:], *COUNTERS):
        key, vec = row[: len(KEY) - 1], row[len(KEY) - 1 :]
        for org_id in old_above:
            for i, v in enumerate(vec):
                deltas[(org_id, *key)][i] -= v
        for org_id in new_above:
            for i, v in enumerate(vec):
                deltas[(org_id, *key)][i] += v
    apply(deltas)


def on_organization_moved(sender, *, organization, old_path: str, new_path: str, **kwargs) -> None:
    organization_moved(organization_id=organization.pk, old_path=old_path, new_path=new_path)


def recount(slots=None) -> dict[tuple, tuple[int, ...]]:
    """What the counters should hold, counted from the slots and reports: {key: counters}, zero rows left
    out. One pass over the slots (streamed), so it also serves `rebuild`."""
    slots = ReportSlot.objects.all() if slots is None else slots
    deltas = new_deltas()
    rows = slots.order_by().values_list(
        "organization__path", "organization__level", "program_id", "schedule_id", "period_start", "deadline",
        "report__state", "report__late",
    )  # fmt: skip
    for path, level, program_id, schedule_id, start, deadline, state, late in rows.iterator(chunk_size=5000):
        _add(deltas, path, (program_id, schedule_id, start, deadline, level), vector(state, late))
    return {k: tuple(v) for k, v in deltas.items() if any(v)}


def stored(tallies=None) -> dict[tuple, tuple[int, ...]]:
    """The counters as stored: {key: counters}, zero rows left out."""
    tallies = ReportTally.objects.all() if tallies is None else tallies
    out = {}
    for row in tallies.values_list(*KEY, *COUNTERS):
        key, vec = tuple(row[: len(KEY)]), tuple(row[len(KEY) :])
        if any(vec):
            out[key] = vec
    return out


@transaction.atomic
def rebuild(program=None) -> int:
    """Recount the counters from scratch (all programs, or one); returns the rows written."""
    slots = ReportSlot.objects.all()
    tallies = ReportTally.objects.all()
    if program is not None:
        slots, tallies = slots.filter(program=program), tallies.filter(program=program)
    tallies.delete()
    counts = recount(slots)
    apply({k: list(v) for k, v in counts.items()})
    return len(counts)


@dataclass(frozen=True)
class Visible:
    """What sums to the slots a user may see: the tally rows of `rows` (None: no row) plus the own slots of
    the organizations `singles` (ids), counted live because their tally rows hold their whole subtree."""

    rows: Q | None
    singles: tuple[int, ...] = ()


def visible(user, root: Organization | None) -> Visible:
    """The slots the user may see under `root` (or all they may see), as tally rows and live singles.

    A subtree root in scope is summed by its topmost organization's tally row. An organization in scope
    alone (an instructor's assigned unit, league.policies) must count only its own slots, which no tally
    row holds: the caller counts those live (`pilots.dashboard.periods_from_tallies`). Roots and singles
    never overlap (policies.scope_split), so nothing is counted twice. The tally filter is one condition
    and the singles one more query, however many organizations the user sees.
    """
    from league import policies

    scope = policies.scope_split(user, "view")
    if scope is None:
        return Visible(
            Q(organization_id=root.pk) if root is not None else Q(organization__parent__isnull=True)
        )
    roots, singles = scope
    if root is not None:
        if any(root.path.startswith(p) for p in roots):
            return Visible(Q(organization_id=root.pk))
        roots = [p for p in roots if p.startswith(root.path)]
        singles = [p for p in singles if p.startswith(root.path)]
    rows = Q(organization_id__in=[path_ids(p)[-1] for p in roots]) if roots else None
    return Visible(rows, tuple(path_ids(p)[-1] for p in singles))
