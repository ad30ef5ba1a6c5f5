"""Sample objects of 中河街道 for the URL authorization walk; one small election built once per world."""

import datetime

from elections.models import (
    BallotPaper,
    Candidate,
    Election,
    Objection,
    Post,
    Round,
    Source,
    Stage,
    State,
    Voter,
)
from tests.conftest import PERSONAS
from tests.urlwalk import Sample

EVERYONE = frozenset(PERSONAS)


def sample_election(w):
    """An election of 中河街道 in publicity, with a candidate, a voter, a round and an objection."""
    cached = getattr(w, "_election_sample", None)
    if cached:
        return cached
    today = datetime.date.today()
    e = Election.objects.create(
        organization=w.zhonghe, title="样例选举", state=State.PUBLICITY, approved_on=today,
        publicity_start=today, publicity_end=today + datetime.timedelta(days=7),
    )  # fmt: skip
    c = Candidate.objects.create(election=e, name="王样例", source=Source.ORGANIZATION, sector="社区",
                                 elected=True, post=Post.SECRETARY)  # fmt: skip
    v = Voter.objects.create(election=e, name="李投票", present=True)
    r = Round.objects.create(
        election=e, number=1, stage=Stage.CONGRESS, seats=1, voters_present=1, entitled=1
    )
    r.candidates.set([c])
    BallotPaper.objects.create(round=r, number=1, code="SAMPLE0001")
    o = Objection.objects.create(election=e, name="张异议", contact="13800000000", content="样例")
    open_ = Election.objects.create(organization=w.zhonghe, title="推荐中的选举", state=State.NOMINATION)
    w._election_sample = {
        "election": e,
        "candidate": c,
        "voter": v,
        "round": r,
        "objection": o,
        "open": open_,
    }
    return w._election_sample


SAMPLES = {
    "election_id": lambda w: Sample(sample_election(w)["election"].pk),
    "candidate_id": lambda w: Sample(sample_election(w)["candidate"].pk),
    "voter_id": lambda w: Sample(sample_election(w)["voter"].pk),
    "round_id": lambda w: Sample(sample_election(w)["round"].pk),
    "objection_id": lambda w: Sample(sample_election(w)["objection"].pk),
    # The public notice is for everyone, logged in or not.
    "publicity_id": lambda w: Sample(sample_election(w)["election"].pk, hidden=frozenset(), visible=EVERYONE),
    "nomination_id": lambda w: Sample(sample_election(w)["open"].pk, hidden=frozenset(), visible=EVERYONE),
}
