"""Fuzz cases for the elections app's forms (see tests/fuzzing.py): who posts each form to which URL.

The sample election of 中河街道 (tests/elections/urlsamples.py) is in publicity, with a candidate, a voter,
a round and an objection; a second one is open for nomination. Forms posted in a state that does not
take them must be refused with a message, like any other bad input.
"""

from elections.models import Candidate
from tests.elections.urlsamples import sample_election
from tests.fuzzing import FormCase


def _e(w):
    return sample_election(w)["election"].pk


def _open(w):
    return sample_election(w)["open"].pk


def _candidates(w):
    return {"candidates": list(Candidate.objects.filter(election_id=_e(w)).values_list("pk", flat=True))}


FUZZ = {
    "elections.forms.ElectionCreateForm": FormCase(
        persona="county", url=lambda w: "/elections/new/", choices=lambda w: {"organization": [w.zhonghe.pk]}
    ),
    "elections.forms.RulesForm": FormCase(
        persona="county", url=lambda w: f"/elections/{_open(w)}/rules/", fixed=lambda w: {"form": "rules"}
    ),
    "elections.forms.QuotaForm": FormCase(
        persona="county", url=lambda w: f"/elections/{_open(w)}/rules/", fixed=lambda w: {"form": "quota"}
    ),
    "elections.forms.NominationForm": FormCase(
        persona="street", url=lambda w: f"/elections/{_open(w)}/candidates/"
    ),
    "elections.forms.ScreeningForm": FormCase(
        persona="street", url=lambda w: f"/elections/candidates/{sample_election(w)['candidate'].pk}/"
    ),
    "elections.forms.FormalForm": FormCase(
        persona="street", url=lambda w: f"/elections/{_e(w)}/formal/", choices=_candidates
    ),
    "elections.forms.RollLinesForm": FormCase(persona="street", url=lambda w: f"/elections/{_e(w)}/roll/"),
    "elections.forms.VoterForm": FormCase(
        persona="street", url=lambda w: f"/elections/voters/{sample_election(w)['voter'].pk}/", follow=True
    ),
    "elections.forms.OfficerRoundForm": FormCase(
        persona="street", url=lambda w: f"/elections/{_e(w)}/officers/", choices=_candidates, follow=True
    ),
    "elections.forms.ReturnedForm": FormCase(
        persona="street",
        url=lambda w: f"/elections/rounds/{sample_election(w)['round'].pk}/action/",
        fixed=lambda w: {"action": "returned"},
        follow=True,
    ),  # fmt: skip
    "elections.forms.RecountForm": FormCase(
        persona="street",
        url=lambda w: f"/elections/rounds/{sample_election(w)['round'].pk}/action/",
        fixed=lambda w: {"action": "recount"},
        follow=True,
    ),  # fmt: skip
    "elections.forms.ApprovalForm": FormCase(persona="county", url=lambda w: f"/elections/{_e(w)}/report/"),
    "elections.forms.PublicityForm": FormCase(
        persona="street", url=lambda w: f"/elections/{_e(w)}/publicity/", fixed=lambda w: {"form": "start"}
    ),
    "elections.forms.AppointForm": FormCase(
        persona="county", url=lambda w: f"/elections/{_e(w)}/publicity/", fixed=lambda w: {"form": "appoint"}
    ),
    "elections.forms.ResolveForm": FormCase(
        persona="street",
        url=lambda w: f"/elections/objections/{sample_election(w)['objection'].pk}/resolve/",
        follow=True,
    ),  # fmt: skip
    # The public pages: anyone, no login.
    "elections.forms.ObjectionForm": FormCase(persona=None, url=lambda w: f"/public/elections/{_e(w)}/"),
    "elections.forms.CodeForm": FormCase(persona=None, url=lambda w: "/public/elections/vote/", follow=True),
}
