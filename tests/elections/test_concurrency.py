"""Phone votes and counter entries at the same moment on PostgreSQL: nothing lost, nothing counted twice.

Each job runs in its own thread with its own database connection (tests.concurrency.race), so the
compare-and-set UPDATE that claims a code really races. Runs in the PostgreSQL pass of `make test`.
"""

import pytest
from django.db import connection

from elections import services
from elections.models import Ballot, BallotPaper, State, VoterRole
from elections.services import ElectionError
from elections.tally import YES
from tests.concurrency import race
from tests.conftest import build_world
from tests.elections.factories import election_at


@pytest.fixture
def pg_world(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: make test runs this in its PostgreSQL pass")
    return build_world()


def test_200_codes_at_once_and_one_code_50_times(pg_world):
    e = election_at(
        State.CONGRESS, org=pg_world.zhonghe, by=pg_world.users["county"], voters=260, present=251
    )
    rnd = e.rounds.get()
    candidate = str(rnd.candidates.first().pk)
    papers = list(rnd.papers.order_by("number"))
    assert len(papers) == 251
    many = [p.code for p in papers[:200]]
    contested = papers[200].code

    def vote(code):
        return lambda: services.phone_vote(code=code, marks={candidate: YES}, write_ins=[])

    results, errors = race([vote(c) for c in many] + [vote(contested)] * 50)
    assert all(err is None for err in errors[:200]), [e for e in errors[:200] if e][:3]
    accepted = [r for r in results[200:] if r is not None]
    refused = [err for err in errors[200:] if err is not None]
    assert len(accepted) == 1 and len(refused) == 49
    assert all(isinstance(err, ElectionError) for err in refused)
    assert Ballot.objects.filter(round=rnd, source="phone").count() == 201
    assert BallotPaper.objects.filter(round=rnd, cast="phone").count() == 201
    count = services.round_count(rnd)
    assert count.result.votes_for(rnd.candidates.first().name) == 201


def test_two_counters_racing_for_the_same_entry_and_many_papers_at_once(pg_world):
    e = election_at(State.CONGRESS, org=pg_world.zhonghe, by=pg_world.users["county"], voters=60, present=55)
    rnd = e.rounds.get()
    by = pg_world.users["county"]
    c1, c2 = list(e.voters.filter(role=VoterRole.COUNTER).order_by("id"))

    def enter(number, entry, counter):
        return lambda: services.ballot_enter(by=by, rnd=rnd, paper_number=number, entry=entry, counter=counter,
                                             marks={}, write_ins=[])  # fmt: skip

    jobs = [enter(n, 1, c1) for n in range(1, 41)] + [enter(n, 2, c2) for n in range(1, 41)]
    jobs += [enter(50, 1, c1)] * 10
    results, errors = race(jobs)
    assert all(err is None for err in errors[:80])
    assert sum(r is not None for r in results[80:]) == 1
    assert Ballot.objects.filter(round=rnd).count() == 81
    assert len(services.round_count(rnd).agreed) == 40


def test_a_paper_entered_while_its_code_votes_by_phone_counts_once(pg_world):
    """Counters enter papers 1–40 while the same papers' codes vote by phone, released together: each
    paper ends with a phone ballot or a paper entry, never both, and the loser is refused."""
    e = election_at(State.CONGRESS, org=pg_world.zhonghe, by=pg_world.users["county"], voters=60, present=55)
    rnd = e.rounds.get()
    by = pg_world.users["county"]
    c1 = e.voters.filter(role=VoterRole.COUNTER).order_by("id").first()
    candidate = str(rnd.candidates.first().pk)
    papers = {p.number: p.code for p in rnd.papers.filter(number__lte=40)}

    def enter(number):
        return lambda: services.ballot_enter(by=by, rnd=rnd, paper_number=number, entry=1, counter=c1,
                                             marks={candidate: YES}, write_ins=[])  # fmt: skip

    def phone(code):
        return lambda: services.phone_vote(code=code, marks={candidate: YES}, write_ins=[])

    jobs = [job for n, code in papers.items() for job in (enter(n), phone(code))]
    results, errors = race(jobs)
    assert all(err is None or isinstance(err, ElectionError) for err in errors), errors
    assert sum(r is not None for r in results) == 40  # one of each pair won
    entered = set(Ballot.objects.filter(round=rnd, source="paper").values_list("paper_number", flat=True))
    by_phone = set(BallotPaper.objects.filter(round=rnd, cast="phone").values_list("number", flat=True))
    assert not entered & by_phone and len(entered) + len(by_phone) == 40
    assert Ballot.objects.filter(round=rnd, source="phone").count() == len(by_phone)
    assert (
        set(BallotPaper.objects.filter(round=rnd, cast="paper").values_list("number", flat=True)) == entered
    )


def test_phone_votes_racing_the_certification_are_counted_or_refused_never_lost(pg_world):
    """Certifying while codes vote by phone: every stored phone ballot is in the certified result."""
    e = election_at(State.CONGRESS, org=pg_world.zhonghe, by=pg_world.users["county"], voters=60, present=55)
    rnd = e.rounds.get()
    by = pg_world.users["county"]
    candidate = str(rnd.candidates.first().pk)
    codes = list(rnd.papers.order_by("number").values_list("code", flat=True)[:30])
    services.phone_vote(code=codes[0], marks={candidate: YES}, write_ins=[])  # something to certify

    def phone(code):
        return lambda: services.phone_vote(code=code, marks={candidate: YES}, write_ins=[])

    def certify():
        return services.round_certify(by=by, rnd=rnd)

    jobs = [phone(c) for c in codes[1:15]] + [certify] + [phone(c) for c in codes[15:]]
    results, errors = race(jobs)
    assert errors[14] is None, errors[14]
    assert all(err is None or isinstance(err, ElectionError) for err in errors), errors
    rnd.refresh_from_db()
    stored = Ballot.objects.filter(round=rnd, source="phone").count()
    assert rnd.certified_at is not None and rnd.result["valid"] + rnd.result["invalid"] == stored
    assert stored == 1 + sum(r is not None for i, r in enumerate(results) if i != 14)
