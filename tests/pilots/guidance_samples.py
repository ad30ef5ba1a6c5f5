"""URL samples for instructors, pairs and funds (merged into tests/pilots/urlsamples.py)."""

import datetime as dt

from league import uploads
from league.models import Domain
from pilots.funds import services as funds
from pilots.funds.models import Fund, LedgerEntry, ProjectApplication
from pilots.guidance import services as guidance
from pilots.guidance.models import InstructorAssignment, Pair, Visit, VisitAttachment
from tests.factories import OrganizationFactory
from tests.urlwalk import Sample

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
DAY = dt.date(2026, 3, 2)
EVERYONE_IN_SCOPE_BUT_UNITS = {"street", "street_sibling", "instructor", "other_county", "outsider"}


def _unit(w):
    from tests.pilots.urlsamples import _unit as unit

    return unit(w)


def _assignment(w):
    unit = _unit(w)
    existing = InstructorAssignment.objects.filter(unit=unit).first()
    return existing or guidance.assignment_add(by=w.users["county"], unit=unit, instructor=w.users["instructor"],
                                               starts_on=dt.date(2026, 1, 1))  # fmt: skip


def _visit(w):
    _assignment(w)
    existing = Visit.objects.filter(unit=_unit(w)).first()
    return existing or guidance.visit_log(
        by=w.users["instructor"], unit=_unit(w), visited_on=DAY, kind="guidance", summary="指导副书记分工",
        problems=[guidance.ProblemItem("活动场地不足", solved=True)], files=[uploads.in_memory(PNG, "现场.png")],
    )  # fmt: skip


def _pair(w):
    existing = Pair.objects.filter(unit=_unit(w)).first()
    if existing:
        return existing
    organ = OrganizationFactory(code="ZJ-NB-YZ-ZH-GA", name="中河派出所团支部", parent=w.zhonghe_branch,
                                domain=Domain.GOVERNMENT)  # fmt: skip
    return guidance.pair_create(by=w.users["county"], program=_unit(w).program, organ=organ, unit=_unit(w),
                                starts_on=DAY)  # fmt: skip


def _agreement(w):
    pair = _pair(w)
    return pair.agreements.first() or guidance.agreement_add(by=w.users["county"], pair=pair, title="联合举办文体活动",
                                                             reached_on=DAY)  # fmt: skip


def _fund(w):
    existing = Fund.objects.filter(organization=w.county).first()
    if existing:
        return existing
    fund = funds.fund_create(
        by=w.users["county"], organization=w.county, program=_unit(w).program, name="试点工作基金"
    )
    funds.entry_add(
        by=w.users["county"], fund=fund, kind="source", amount="3000", entry_date=DAY, source="工作经费"
    )
    return fund


def _application(w):
    fund = _fund(w)
    return ProjectApplication.objects.filter(fund=fund).first() or funds.application_submit(
        by=w.users["street"],
        fund=fund,
        organization=w.zhonghe,
        title="青年创业沙龙",
        plan="每月一次",
        amount="800",
    )


def _entry(w):
    return LedgerEntry.objects.filter(fund=_fund(w)).order_by("seq").first()


GUIDANCE_SAMPLES = {
    "instructor_assignment_id": lambda w: Sample(_assignment(w).pk),
    "visit_id": lambda w: Sample(_visit(w).pk),
    "visit_file_id": lambda w: Sample(VisitAttachment.objects.get(visit=_visit(w)).pk),
    "pair_id": lambda w: Sample(_pair(w).pk),
    "pair_agreement_id": lambda w: Sample(_agreement(w).pk),
    # The county's program fund: its pilot units (both streets) see it, those outside the county do not.
    "fund_id": lambda w: Sample(_fund(w).pk, hidden={"other_county", "outsider"}),
    "fund_application_id": lambda w: Sample(_application(w).pk),
    # A source entry of the county's ledger: only the county's staff (and above) see ledger entries.
    "ledger_entry_id": lambda w: Sample(_entry(w).pk, hidden=EVERYONE_IN_SCOPE_BUT_UNITS),
}
