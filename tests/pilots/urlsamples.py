"""Sample objects of 中河街道 for the URL authorization walk (see tests/league/urlsamples.py)."""

import datetime as dt

from pilots.models import Briefing, Report
from tests.pilots.factories import filed_report, monthly_program
from tests.urlwalk import Sample


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
    return Report.objects.filter(slot=slot).first() or filed_report(slot, w.users["street"])


def _briefing(w):
    program = _program(w)
    return Briefing.objects.create(program=program, organization=w.county, title="简报样本")


SAMPLES = {
    "report_id": lambda w: Sample(_report(w).pk),
    # A draft briefing: only staff who manage the publishing county see it.
    "briefing_id": lambda w: Sample(_briefing(w).pk),
}
