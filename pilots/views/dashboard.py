"""The live dashboard: for any subtree the user may see, reporting per period, milestones, briefings."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.views.decorators.http import require_GET

from league import policies
from league.lineup_snapshots import completion_totals
from league.models import Level, Organization
from league.pagination import CappedPaginator

from .. import dashboard as numbers
from ..models import Milestone, ReportTally, today
from ..selectors import briefings_for, programs_for, slots_for
from ..tallies import visible

UNITS_PER_PAGE = 50


def _month(value: str | None) -> dt.date | None:
    try:
        return dt.datetime.strptime((value or "").strip(), "%Y-%m").date()
    except ValueError:
        return None


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_GET
def dashboard(request):
    user, on = request.user, today()
    programs = list(programs_for(user).select_related("lineup_rule").order_by("-starts_on", "name"))
    wanted = _int(request.GET.get("program"))
    program = next((p for p in programs if p.pk == wanted), programs[0] if programs else None)
    context = {"programs": programs, "program": program, "levels": Level.choices, "on": on}
    if program is None:
        return render(request, "pilots/dashboard.html", context)

    schedules = list(program.schedules.all())
    wanted_schedule = _int(request.GET.get("schedule"))
    schedule = next((s for s in schedules if s.pk == wanted_schedule), schedules[0] if schedules else None)
    root = None
    if request.GET.get("org"):
        root = policies.get_organization(user, request.GET["org"])
    level = request.GET.get("level") if request.GET.get("level") in Level.values else ""
    start, end = _month(request.GET.get("start")), _month(request.GET.get("end"))

    slots = slots_for(user).filter(program=program)
    counters = ReportTally.objects.filter(program=program)
    # Milestones and units by the path each unit keeps (its organization's: pilots.paths), an index range of
    # unit_path_program, instead of their organizations' paths through a join (SYN-P30's milestones: 45 -> 10 ms).
    milestones = policies.scoped(
        Milestone.objects.filter(unit__program=program), user, path_field="unit__path"
    )
    if schedule is not None:
        slots = slots.filter(schedule=schedule)
        counters = counters.filter(schedule=schedule)
    if root is not None:
        slots = slots.filter(organization__path__startswith=root.path)
        milestones = milestones.filter(unit__path__startswith=root.path)
    if level:
        slots = slots.filter(organization__level=level)
        counters = counters.filter(level=level)
        milestones = milestones.filter(unit__organization__level=level)
    if start:
        slots = slots.filter(period_start__gte=start)
        counters = counters.filter(period_start__gte=start)
    if end:
        slots = slots.filter(period_start__lte=end)
        counters = counters.filter(period_start__lte=end)
    seen = visible(user, root)  # tally rows of the subtrees in scope, plus organizations seen alone
    counters = counters.filter(seen.rows) if seen.rows is not None else counters.none()
    own_slots = slots.filter(organization_id__in=seen.singles) if seen.singles else None

    units = Organization.objects.filter(
        pk__in=policies.scoped(program.units.all(), user, path_field="path").values("organization_id")
    )
    if root is not None:
        units = units.filter(path__startswith=root.path)
    if level:
        units = units.filter(level=level)
    lineup_on = program.lineup_date(on)
    lineup_total = completion_totals(units, on=lineup_on, rule=program.lineup_rule)

    # counters kept in the same transaction, singles counted now: live
    rows = numbers.periods_from_tallies(counters, on, own_slots)
    periods = [r.period_start for r in rows]
    scope = policies.scope_split(user)
    if (
        scope is None and root is None
    ):  # a platform admin's country: every organization, in the path index's order
        orgs = (
            Organization.objects.filter(pk__in=slots.values("organization_id")).order_by("path").only("name")
        )
    else:  # the organizations of the scope's ranges, sorted (numbers.UnitRows)
        orgs = numbers.UnitRows(scope, program_id=program.pk, schedule_id=schedule.pk if schedule else None,
                                root_path=root.path if root else None, level=level, start=start, end=end)  # fmt: skip
    asked = request.GET.get("page")
    # The page and its count are two statements here as on the country's dashboard (issue 10: the same number of
    # queries at every scale); UnitRows.count_with_page would read them in one.
    paginator = CappedPaginator(orgs, UNITS_PER_PAGE, page=asked)
    page = paginator.get_page(asked)
    weekly = schedule is not None and schedule.frequency == "weekly"
    labels = [f"{p:%m-%d}" if weekly else f"{p:%Y-%m}" for p in periods]
    context.update(
        {
            "schedules": schedules,
            "schedule": schedule,
            "root": root,
            "level": level,
            "start": request.GET.get("start", ""),
            "end": request.GET.get("end", ""),
            "rows": rows,
            "totals": numbers.totals(rows),
            "page": page,
            "matrix": numbers.matrix(slots, list(page.object_list), periods, on),
            "period_labels": labels,
            "milestones": numbers.milestone_summary(milestones, on),
            "lineup_total": lineup_total,
            "lineup_on": lineup_on,
            "briefings": list(briefings_for(user).filter(program=program).published()[:5]),
            "chart": {
                "labels": labels,
                "completion": [r.completion for r in rows],
                "on_time": [r.on_time_rate for r in rows],
                "expected": [r.expected for r in rows],
                "filed": [r.filed for r in rows],
            },
        }
    )
    return render(request, "pilots/dashboard.html", context)
