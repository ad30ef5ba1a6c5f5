"""Fuzz cases for the instructors', pairs' and funds' forms (merged into tests/pilots/fuzzcases.py)."""

from tests.fuzzing import FormCase
from tests.pilots.guidance_samples import _agreement, _application, _assignment, _fund, _pair, _unit

GUIDANCE_FUZZ = {
    "pilots.guidance.forms.VisitForm": FormCase(
        persona="instructor",
        url=lambda w: (_assignment(w), f"/pilots/guidance/units/{_unit(w).pk}/visits/new/")[1],
        multipart=True,
    ),
    "pilots.guidance.forms.AssignmentForm": FormCase(
        persona="county", url=lambda w: f"/pilots/programs/{_unit(w).program_id}/guidance/assign/"
    ),
    "pilots.guidance.forms.EndAssignmentForm": FormCase(
        persona="county", url=lambda w: f"/pilots/guidance/assignments/{_assignment(w).pk}/end/"
    ),
    "pilots.guidance.forms.PairForm": FormCase(
        persona="county", url=lambda w: f"/pilots/programs/{_unit(w).program_id}/pairs/"
    ),
    "pilots.guidance.forms.MeetingForm": FormCase(
        persona="county", url=lambda w: f"/pilots/pairs/{_pair(w).pk}/meetings/"
    ),
    "pilots.guidance.forms.AgreementForm": FormCase(
        persona="county", url=lambda w: f"/pilots/pairs/{_pair(w).pk}/agreements/"
    ),
    "pilots.guidance.forms.AgreementStatusForm": FormCase(
        persona="street", url=lambda w: f"/pilots/pairs/agreements/{_agreement(w).pk}/status/"
    ),
    "pilots.guidance.forms.ActivityForm": FormCase(
        persona="county", url=lambda w: f"/pilots/pairs/{_pair(w).pk}/activities/"
    ),
    "pilots.funds.forms.FundForm": FormCase(persona="county", url=lambda w: "/pilots/funds/new/"),
    "pilots.funds.forms.EntryForm": FormCase(
        persona="county", url=lambda w: f"/pilots/funds/{_fund(w).pk}/entries/"
    ),
    "pilots.funds.forms.ApplicationForm": FormCase(
        persona="street", url=lambda w: f"/pilots/funds/{_fund(w).pk}/apply/"
    ),
    "pilots.funds.forms.DecisionForm": FormCase(
        persona="county", url=lambda w: f"/pilots/funds/applications/{_application(w).pk}/decide/"
    ),
    "pilots.funds.forms.DisburseForm": FormCase(
        persona="county", url=lambda w: f"/pilots/funds/applications/{_application(w).pk}/disburse/"
    ),
    "pilots.funds.forms.ReverseForm": FormCase(
        persona="county",
        url=lambda w: f"/pilots/funds/ledger/{_fund(w).entries.order_by('seq').first().pk}/reverse/",
    ),
}
