"""National-scale pilot data for benchmarks (`manage.py seed_demo --scale N` calls `seed_scale`).

A national street-pattern pilot program enrolls every synthetic street/township, with a monthly schedule
over the twelve months ending this month: one slot per street and
month (3,000 counties × 13 streets × 12 ≈ 468,000 slots). Past months carry realistic states (most
accepted, some awaiting review, some returned, a few drafts, a few never filed, a tenth late); this month —
the month-end about to happen — is mostly unfiled. Ids are assigned in Python so every table goes in with
bulk INSERTs; states are a deterministic function of (street, month), so a re-run builds the same data.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from league.models import Level, Membership, Organization, Role

from . import tallies
from .models import (
    Frequency,
    PilotProgram,
    PilotUnit,
    ProgramKind,
    Report,
    ReportingSchedule,
    ReportSlot,
    ReportState,
    ReportVersion,
    ReturnReason,
)

MONTHS = 12
GRACE_DAYS = 5
TEXT = {
    "progress": "完成团工委班子配备，按片区落实联系责任。",
    "innovations": "推行“团干部+社工+志愿者”联动。",
    "problems": "编制外人员补贴来源不稳定。",
    "suggestions": "建议区团委统筹经费保障。",
}
FIGURES = {"youth_reached": 320, "activities": 4, "funds_raised": 5000}


def months_ending(on: dt.date, n: int = MONTHS) -> list[tuple[dt.date, dt.date]]:
    y, m = on.year, on.month
    out = []
    for _ in range(n):
        out.append((dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out[::-1]


def state_of(org_id: int, month_index: int, current: bool) -> str | None:
    """The report state of a (street, month), None for nothing filed. Deterministic."""
    h = (org_id * 2654435761 + month_index * 40503) % 100
    if current:
        return None if h < 75 else ReportState.DRAFT if h < 90 else ReportState.SUBMITTED
    if h < 5:
        return None
    if h < 8:
        return ReportState.DRAFT
    if h < 12:
        return ReportState.RETURNED
    if h < 27:
        return ReportState.SUBMITTED
    return ReportState.ACCEPTED


def _next_id(model) -> int:
    return (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1


def _reset_sequences(*models) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )


NATIONAL_PROGRAM = "全国街道团组织格局创新试点（合成）"
CHUNK = 2000  # streets per transaction and bulk batch, so memory stays flat at national size


def seed_scale(stdout=None, on: dt.date | None = None) -> int:
    """One national program enrolling every synthetic street (the tree has no national committee, so the
    first synthetic province runs it): a province's staff see their province of it on the dashboard, a
    platform admin the whole country. Adds the streets not enrolled yet; returns the slots created."""
    on = on or timezone.localdate()
    months = months_ending(on)
    runner = Organization.objects.filter(code="SYN-P1").first()
    if runner is None:
        return 0
    first, last = months[0][0], months[-1][1]
    program = PilotProgram.objects.filter(name=NATIONAL_PROGRAM).first()
    if program is None:
        program = PilotProgram.objects.create(
            organization=runner, name=NATIONAL_PROGRAM, kind=ProgramKind.STREET_PATTERN,
            starts_on=first, ends_on=dt.date(last.year + 1, last.month, 1),
        )  # fmt: skip
        ReportingSchedule.objects.create(
            program=program, name="月报", frequency=Frequency.MONTHLY, reporting_level=Level.STREET,
            grace_days=GRACE_DAYS, starts_on=first, ends_on=last,
        )  # fmt: skip
    schedule = program.schedules.get()
    months = [m for m in months_ending(schedule.ends_on) if m[0] >= schedule.starts_on]
    streets = list(
        Organization.objects.filter(code__startswith="SYN-", level=Level.STREET)
        .exclude(pilot_units__program=program)
        .order_by("path")
        .values_list("id", flat=True)
    )
    created = 0
    tz = timezone.get_current_timezone()
    for start in range(0, len(streets), CHUNK):
        with transaction.atomic():
            created += _seed_streets(program, schedule, streets[start : start + CHUNK], months, on, tz)
        if stdout and (start // CHUNK) % 5 == 4:
            stdout.write(f"  {created} report slots so far")
    _reset_sequences(PilotUnit, ReportSlot, Report, ReportVersion)
    if created:  # the dashboard's counters, recounted in bulk for the program (pilots/tallies.py)
        tallies.rebuild(program=program)
    return created


def _seed_streets(program, schedule, streets: list[int], months, on: dt.date, tz) -> int:
    first = months[0][0]
    paths = dict(Organization.objects.filter(pk__in=streets).values_list("pk", "path"))
    PilotUnit.objects.bulk_create(
        [PilotUnit(program=program, organization_id=s, path=paths[s], joined_on=first) for s in streets],
        batch_size=5000,
    )
    slot_id, report_id = _next_id(ReportSlot), _next_id(Report)
    slots, reports, versions = [], [], []
    # Filed by the street's secretary, reviewed by the running organization's staff (when seeded).
    filers = dict(
        Membership.objects.filter(organization_id__in=streets, role=Role.SECRETARY).values_list(
            "organization_id", "user_id"
        )
    )
    reviewer = (
        Membership.objects.filter(organization_id=program.organization_id, role=Role.STAFF)
        .values_list("user_id", flat=True)
        .first()
    )
    for index, (start, end) in enumerate(months):
        current = index == len(months) - 1
        deadline = end + dt.timedelta(days=GRACE_DAYS)
        for street in streets:
            slots.append(ReportSlot(
                id=slot_id, schedule=schedule, program=program, organization_id=street,
                period_start=start, period_end=end, due_on=end, deadline=deadline,
            ))  # fmt: skip
            state = state_of(street, index, current)
            if state is not None:
                late = not current and street % 10 == index % 10
                filed_on = deadline + dt.timedelta(days=3) if late else end - dt.timedelta(days=street % 5)
                filed_at = dt.datetime.combine(min(filed_on, on), dt.time(10, street % 60), tzinfo=tz)
                filed = state != ReportState.DRAFT
                report = Report(
                    id=report_id, slot_id=slot_id, path=paths[street], period_start=start, state=state, figures=dict(FIGURES), late=late and filed,
                    version=1 if filed else 0, created_at=filed_at,
                    submitted_at=filed_at if filed else None, first_submitted_at=filed_at if filed else None,
                    reviewed_at=filed_at + dt.timedelta(days=2)
                    if state in (ReportState.ACCEPTED, ReportState.RETURNED) else None,
                    return_reason=ReturnReason.FIGURES if state == ReportState.RETURNED else "",
                    return_comment="请补充活动次数的依据。" if state == ReportState.RETURNED else "",
                    created_by_id=filers.get(street), submitted_by_id=filers.get(street) if filed else None,
                    reviewed_by_id=reviewer if state in (ReportState.ACCEPTED, ReportState.RETURNED) else None,
                    **TEXT,
                )  # fmt: skip
                reports.append(report)
                if filed:
                    versions.append(ReportVersion(
                        report_id=report_id, number=1, submitted_at=filed_at, late=report.late,
                        submitted_by_id=filers.get(street),
                        return_reason=report.return_reason, return_comment=report.return_comment,
                        figures=dict(FIGURES), **TEXT,
                    ))  # fmt: skip
                report_id += 1
            slot_id += 1
    ReportSlot.objects.bulk_create(slots, batch_size=5000)
    Report.objects.bulk_create(reports, batch_size=5000)
    ReportVersion.objects.bulk_create(versions, batch_size=5000)
    return len(slots)
