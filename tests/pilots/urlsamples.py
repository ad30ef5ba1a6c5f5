"""Sample objects of 中河街道 for the URL authorization walk (see tests/league/urlsamples.py)."""

import datetime as dt

from league import uploads
from pilots import services
from pilots.models import Attachment, Briefing, Milestone, Report
from tests.pilots.factories import REPORT_TEXT, monthly_program
from tests.urlwalk import Sample

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _program(w):
    program = getattr(w, "_pilot_program", None)
    if program is None:
        program = monthly_program(w.county, [w.zhonghe, w.shounan])
        w._pilot_program = program
    return program


def _jan_slot(w):
    return _program(w).slots.get(organization=w.zhonghe, period_start=dt.date(2026, 1, 1))


def _report(w):
    slot = _jan_slot(w)
    existing = Report.objects.filter(slot=slot).first()
    if existing:
        return existing
    street = w.users["street"]
    report = services.report_start(slot=slot, by=street, on=slot.period_start)
    services.report_save(report=report, by=street, **REPORT_TEXT)
    services.attachment_add(report=report, by=street, upload=uploads.in_memory(PNG, "照片.png"))
    return services.report_submit(report=report, by=street)


def _unit(w):
    return _program(w).units.get(organization=w.zhonghe)


def _milestone(w):
    return Milestone.objects.get_or_create(
        unit=_unit(w), title="副书记配齐", defaults={"due_on": dt.date(2026, 12, 30)}
    )[0]


SAMPLES = {
    # The program is run by the county; both streets are its units, so only those outside see nothing.
    "program_id": lambda w: Sample(_program(w).pk, hidden={"other_county", "outsider"}),
    "unit_id": lambda w: Sample(_unit(w).pk),
    "slot_id": lambda w: Sample(
        _program(w).slots.get(organization=w.zhonghe, period_start=dt.date(2026, 2, 1)).pk
    ),
    "milestone_id": lambda w: Sample(_milestone(w).pk),
    "report_id": lambda w: Sample(_report(w).pk),
    "attachment_id": lambda w: Sample(Attachment.objects.get(report=_report(w)).pk),
    # A draft briefing: only staff who manage the publishing county see it.
    "briefing_id": lambda w: Sample(
        Briefing.objects.get_or_create(program=_program(w), organization=w.county, title="简报样本")[0].pk
    ),
}

from tests.pilots.guidance_samples import GUIDANCE_SAMPLES  # noqa: E402

SAMPLES.update(GUIDANCE_SAMPLES)

from tests.pilots.assessment_samples import SAMPLES as ASSESSMENT_SAMPLES  # noqa: E402

SAMPLES.update(ASSESSMENT_SAMPLES)

from tests.pilots.assessment_samples import FORBIDDEN  # noqa: E402, F401
