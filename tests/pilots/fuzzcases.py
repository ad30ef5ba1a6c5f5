"""Fuzz cases for the pilots app's forms (see tests/fuzzing.py): who posts each form to which URL."""

import datetime as dt

from pilots import services
from pilots.models import Report
from tests.fuzzing import FormCase
from tests.pilots.guidance_fuzzcases import GUIDANCE_FUZZ
from tests.pilots.urlsamples import _milestone, _program, _report


def draft_report_url(w) -> str:
    """A draft of 中河街道's March report: the form edits drafts only."""
    slot = _program(w).slots.get(organization=w.zhonghe, period_start=dt.date(2026, 3, 1))
    report = Report.objects.filter(slot=slot).first() or services.report_start(
        slot=slot, by=w.users["street"], on=slot.period_start
    )
    return f"/pilots/reports/{report.pk}/edit/"


FUZZ = {
    "pilots.forms.ReportForm": FormCase(persona="street", url=draft_report_url, multipart=True),
    "pilots.forms.MilestoneDoneForm": FormCase(
        persona="street",
        url=lambda w: f"/pilots/milestones/{_milestone(w).pk}/done/",
        multipart=True,
        follow=True,
    ),  # fmt: skip
    "pilots.forms.ExcerptForm": FormCase(
        persona="county", url=lambda w: f"/pilots/reports/{_report(w).pk}/excerpts/", follow=True
    ),
    "pilots.forms.ReturnForm": FormCase(
        persona="county",
        url=lambda w: f"/pilots/reports/{_report(w).pk}/review/",
        fixed=lambda w: {"decision": "return"},
        follow=True,
    ),  # fmt: skip
    "pilots.forms.BriefingForm": FormCase(
        persona="county", url=lambda w: f"/pilots/programs/{_program(w).pk}/briefings/new/"
    ),
    "pilots.forms.ProgramFilterForm": FormCase(persona="county", url=lambda w: "/pilots/", method="get"),
    "pilots.forms.ReportFilterForm": FormCase(
        persona="county", url=lambda w: (_program(w), "/pilots/reports/")[1], method="get"
    ),
}
FUZZ.update(GUIDANCE_FUZZ)

from tests.pilots.assessment_fuzzcases import ASSESSMENT_FUZZ  # noqa: E402

FUZZ.update(ASSESSMENT_FUZZ)
