"""Totals and the five-ones checklist: a fixed number of aggregate queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Min, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ..models import PilotProgram, today
from .models import (
    FiveOnesTarget,
    InstructorAssignment,
    Pair,
    PairActivity,
    PairAgreement,
    PairMeeting,
    Period,
    Problem,
    ProblemKind,
    ProblemStatus,
    Visit,
    VisitKind,
)

ZERO = Decimal("0.00")
ACTIVITY = Q(kind=VisitKind.ACTIVITY) | ~Q(activity_designed="")


@dataclass
class Totals:
    visits: int = 0
    activities: int = 0
    solved: int = 0
    funds: Decimal = ZERO

    def add(self, other: Totals) -> None:
        self.visits += other.visits
        self.activities += other.activities
        self.solved += other.solved
        self.funds += other.funds


def visit_totals(visits, group: str) -> dict:
    """{group value: Totals} over a Visit queryset, grouped by `group` ("instructor", "unit", "unit__program")."""
    out: dict = defaultdict(Totals)
    rows = (
        visits.order_by()
        .values(group)
        .annotate(n=Count("pk"), act=Count("pk", filter=ACTIVITY), funds=Sum("funds_amount"))
    )
    for row in rows:
        t = out[row[group]]
        t.visits, t.activities, t.funds = row["n"], row["act"], row["funds"] or ZERO
    solved = (Problem.objects.filter(status=ProblemStatus.SOLVED, solved_in__in=visits.order_by().values("pk"))
              .order_by().values(f"solved_in__{group}").annotate(n=Count("pk")))  # fmt: skip
    for row in solved:
        out[row[f"solved_in__{group}"]].solved = row["n"]
    return dict(out)


def program_totals(program: PilotProgram, visits) -> dict:
    """Per instructor and per unit, and the program's sum, for a scoped Visit queryset of the program."""
    visits = visits.filter(unit__program=program)
    by_instructor = visit_totals(visits, "instructor")
    by_unit = visit_totals(visits, "unit")
    total = Totals()
    for t in by_unit.values():
        total.add(t)
    return {"by_instructor": by_instructor, "by_unit": by_unit, "total": total,
            "instructors": len(by_instructor)}  # fmt: skip


@dataclass
class Item:
    key: str
    label: str
    count: int
    target: int
    done: bool
    missed: list = field(default_factory=list)  # periods without enough visits


def _periods(start: dt.date, end: dt.date, period: str) -> list[tuple[dt.date, dt.date]]:
    """Complete periods (weeks from Monday, or calendar months) from start to end inclusive."""
    out = []
    if period == Period.WEEK:
        day = start - dt.timedelta(days=start.weekday())
        while day + dt.timedelta(days=6) <= end:
            out.append((day, day + dt.timedelta(days=6)))
            day += dt.timedelta(days=7)
    else:
        y, m = start.year, start.month
        while True:
            first = dt.date(y, m, 1)
            nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
            if nxt - dt.timedelta(days=1) > end:
                break
            out.append((first, nxt - dt.timedelta(days=1)))
            y, m = nxt.year, nxt.month
    return out


def target_for(program: PilotProgram) -> FiveOnesTarget:
    try:
        return program.five_ones_target
    except FiveOnesTarget.DoesNotExist:
        return FiveOnesTarget(program=program)


def five_ones(program: PilotProgram, units: list, *, on: dt.date | None = None) -> dict:
    """{unit pk: [Item × 5]} for `units` of `program`, judged on `on` (the program's end once it is over)."""
    on = min(on or today(), program.ends_on)
    target = target_for(program)
    ids = [u.pk for u in units]
    visits = Visit.objects.filter(unit_id__in=ids, visited_on__lte=on)
    counts = {r["unit"]: r for r in visits.order_by().values("unit").annotate(
        plans=Count("pk", filter=Q(kind=VisitKind.SURVEY)), act=Count("pk", filter=ACTIVITY),
        funded=Count("pk", filter=Q(funds_amount__gt=0)))}  # fmt: skip
    solved = defaultdict(lambda: {"funding": 0, "other": 0})
    for r in (Problem.objects.filter(unit_id__in=ids, status=ProblemStatus.SOLVED, solved_on__lte=on)
              .order_by().values("unit", "kind").annotate(n=Count("pk"))):  # fmt: skip
        solved[r["unit"]]["funding" if r["kind"] == ProblemKind.FUNDING else "other"] += r["n"]
    days = defaultdict(list)
    for unit_id, day in visits.order_by().values_list("unit", "visited_on").distinct():
        days[unit_id].append(day)
    starts = {r["unit"]: r["first"] for r in InstructorAssignment.objects.filter(unit_id__in=ids).order_by()
              .values("unit").annotate(first=Min("starts_on"))}  # fmt: skip
    period_label = _("week") if target.visit_period == Period.WEEK else pgettext("period unit", "month")
    out = {}
    for unit in units:
        c = counts.get(unit.pk, {"plans": 0, "act": 0, "funded": 0})
        s = solved[unit.pk]
        start = max(program.starts_on, starts.get(unit.pk, program.starts_on))
        missed = []
        if unit.pk in starts:
            for first, last in _periods(start, on, target.visit_period):
                n = sum(1 for d in days[unit.pk] if first <= d <= last)
                if n < target.visits:
                    missed.append((first, last))
        funding = max(c["funded"], s["funding"])
        out[unit.pk] = [
            Item("plan", _("A survey done and a plan written"), c["plans"], target.plans, c["plans"] >= target.plans),
            Item("activity", _("A signature activity designed"), c["act"], target.activities,
                 c["act"] >= target.activities),
            Item("funding", _("A funding problem solved"), funding, target.funding_solved,
                 funding >= target.funding_solved),
            Item("visits", _("%(n)s visit(s) every %(period)s") % {"n": target.visits, "period": period_label},
                 len(days[unit.pk]), target.visits, unit.pk in starts and not missed, missed),
            Item("difficulty", _("A practical difficulty solved"), s["other"], target.difficulties_solved,
                 s["other"] >= target.difficulties_solved),
        ]  # fmt: skip
    return out


def pair_totals(pairs) -> dict:
    """{pair pk: {"meetings", "agreements", "done", "under_way", "planned", "activities"}} in three queries."""
    ids = list(pairs.values_list("pk", flat=True)) if hasattr(pairs, "values_list") else [p.pk for p in pairs]
    out = {
        pk: {"meetings": 0, "agreements": 0, "planned": 0, "under_way": 0, "done": 0, "activities": 0}
        for pk in ids
    }
    for r in PairMeeting.objects.filter(pair_id__in=ids).order_by().values("pair").annotate(n=Count("pk")):
        out[r["pair"]]["meetings"] = r["n"]
    for r in (
        PairAgreement.objects.filter(pair_id__in=ids)
        .order_by()
        .values("pair", "status")
        .annotate(n=Count("pk"))
    ):
        out[r["pair"]][r["status"]] = r["n"]
        out[r["pair"]]["agreements"] += r["n"]
    for r in PairActivity.objects.filter(pair_id__in=ids).order_by().values("pair").annotate(n=Count("pk")):
        out[r["pair"]]["activities"] = r["n"]
    return out


def sum_pairs(totals: dict) -> dict:
    keys = ("meetings", "agreements", "planned", "under_way", "done", "activities")
    return {k: sum(t[k] for t in totals.values()) for k in keys} | {"pairs": len(totals)}


__all__ = [
    "Totals",
    "Item",
    "Pair",
    "five_ones",
    "pair_totals",
    "program_totals",
    "sum_pairs",
    "visit_totals",
]
