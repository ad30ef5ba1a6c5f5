"""Build elections at any stage through the services, as staff would."""

import datetime

from elections import services
from elections.models import Source, State, Vetting, VoterRole
from elections.tally import YES

TODAY = datetime.date(2026, 12, 1)


def election_at(state, *, org, by, seats=(1, 2, 6), candidates=11, voters=20, present=18, **rules):
    """An election of `org` brought to `state`: 9 seats (1+2+6) and 11 formal candidates by default."""
    sec, dep, mem = seats
    e = services.election_create(
        by=by, organization=org, title="第三届团工委选举", term_label="第三届",
        secretary_seats=sec, deputy_seats=dep, member_seats=mem, **rules,
    )  # fmt: skip
    if state == State.DESIGN:
        return e
    services.nomination_open(by=by, election=e)
    need = e.recommended_minimum()
    for i in range(max(need, candidates)):
        services.candidate_nominate(
            by=by, election=e, name=f"候选{i:02d}", source=Source.ORGANIZATION, sector="社区"
        )
    if state == State.NOMINATION:
        return e
    services.nomination_close(by=by, election=e)
    for c in e.candidates.all():
        services.screening_record(
            by=by, candidate=c, written_score=80, interview_score=80, vetting=Vetting.PASSED
        )
    if state == State.SCREENING:
        return e
    chosen = list(e.candidates.order_by("id")[:candidates])
    services.formal_confirm(
        by=by, election=e, candidates=chosen, confirmed_by="街道党工委", confirmed_on=TODAY
    )
    for i in range(voters):
        role = VoterRole.COUNTER if i < 2 else VoterRole.SCRUTINEER if i == 2 else VoterRole.VOTER
        services.voter_add(
            by=by, election=e, name=f"团员{i:02d}", sector="社区", role=role, present=i < present
        )
    if state == State.FORMAL:
        return e
    services.vote_start(by=by, election=e)
    return e


def enter_all(rnd, by, ballots):
    """Enter each ballot (marks by candidate name, write-ins) twice, by the two counters."""
    counters = list(rnd.election.voters.filter(role=VoterRole.COUNTER))
    ids = {c.name: str(c.pk) for c in rnd.candidates.all()}
    for number, (yes, write_ins) in enumerate(ballots, start=1):
        marks = {ids[n]: YES for n in yes}
        for entry in (1, 2):
            services.ballot_enter(
                by=by, rnd=rnd, paper_number=number, entry=entry, counter=counters[entry - 1],
                marks=marks, write_ins=list(write_ins),
            )  # fmt: skip
