"""The election workflow through its services: each rule with a worked example, nothing stored on error."""

import datetime

import pytest
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import translation

from elections import services
from elections.models import AuditEvent, Ballot, Post, Round, Source, State, Voter, VoterRole
from elections.services import ElectionError
from elections.tally import YES
from league.models import Seat
from tests.elections.factories import TODAY, election_at, enter_all


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in English here; the pages test checks the Chinese ones."""
    with translation.override("en"):
        yield


@pytest.fixture
def county(world):
    return world.users["county"]


def test_rules_are_editable_before_the_start_and_frozen_after(world, county):
    e = election_at(State.DESIGN, org=world.zhonghe, by=county)
    services.election_update_rules(by=county, election=e, formal_margin_pct=20)
    services.nomination_open(by=county, election=e)
    with pytest.raises(ElectionError, match="frozen"):
        services.election_update_rules(by=county, election=e, formal_margin_pct=10)
    e.refresh_from_db()
    assert e.formal_margin_pct == 20


def test_committee_size_rule_and_quotas(world, county):
    with pytest.raises(ElectionError):
        election_at(State.DESIGN, org=world.zhonghe, by=county, seats=(1, 3, 30))
    e = election_at(State.DESIGN, org=world.zhonghe, by=county)
    services.quota_set(by=county, election=e, category="青年致富带头人", seats=2)
    with pytest.raises(ElectionError, match="more than the 6 member seats"):
        services.quota_set(by=county, election=e, category="大学生村官", seats=5)
    assert e.quotas.count() == 1


def test_nomination_cannot_close_short_of_the_contested_margin(world, county):
    e = election_at(State.DESIGN, org=world.zhonghe, by=county)  # 9 seats -> 9 + ⌈1.8⌉ = 11 needed
    services.nomination_open(by=county, election=e)
    for i in range(10):
        services.candidate_nominate(by=county, election=e, name=f"人{i}", source=Source.SELF, sector="企业")
    assert services.nominations_needed(e) == 1
    with pytest.raises(ElectionError, match="1 more needed"):
        services.nomination_close(by=county, election=e)
    e.refresh_from_db()
    assert e.state == State.NOMINATION
    services.candidate_nominate(by=county, election=e, name="人10", source=Source.MEMBERS, sector="学校")
    services.nomination_close(by=county, election=e)
    e.refresh_from_db()
    assert e.state == State.SCREENING


def test_nomination_requires_a_sector_and_a_unique_name(world, county):
    e = election_at(State.NOMINATION, org=world.zhonghe, by=county)
    with pytest.raises(ElectionError) as err:
        services.candidate_nominate(by=county, election=e, name="新人", source=Source.SELF, sector="")
    assert "sector" in err.value.message_dict
    with pytest.raises(ElectionError):
        services.candidate_nominate(by=county, election=e, name="候选00", source=Source.SELF, sector="x")


def test_formal_list_needs_ten_percent_more_and_passed_screening(world, county):
    e = election_at(State.SCREENING, org=world.zhonghe, by=county)
    few = list(e.candidates.all()[:9])  # 9 seats need 9 + ⌈0.9⌉ = 10
    with pytest.raises(ElectionError, match="at least 10"):
        services.formal_confirm(
            by=county, election=e, candidates=few, confirmed_by="党工委", confirmed_on=TODAY
        )
    assert not e.candidates.filter(is_formal=True).exists()


def test_a_candidate_cannot_be_counter(world, county):
    e = election_at(State.FORMAL, org=world.zhonghe, by=county)
    with pytest.raises(ElectionError, match="cannot be a counter"):
        services.voter_add(by=county, election=e, name="候选00", role=VoterRole.COUNTER)
    assert not e.voters.filter(name="候选00").exists()


def test_vote_cannot_start_below_quorum(world, county):
    e = election_at(State.FORMAL, org=world.zhonghe, by=county, voters=20, present=16)  # 16 = 4/5 exactly
    with pytest.raises(ElectionError, match="No quorum: 16 of 20"):
        services.vote_start(by=county, election=e)
    assert not e.rounds.exists()
    # a member on probation has no vote: 16 of 19 is more than 4/5
    Voter.objects.filter(pk=e.voters.filter(present=False).first().pk).update(on_probation=True)
    services.vote_start(by=county, election=e)
    assert e.rounds.get().voters_present == 16 and e.rounds.get().entitled == 19


def test_full_workflow_with_tie_shortfall_and_appointment(world, county):
    e = election_at(State.CONGRESS, org=world.zhonghe, by=county, present=18)
    rnd = e.rounds.get()
    assert rnd.papers.count() == 18 and rnd.seats == 9
    names = [c.name for c in rnd.candidates.order_by("id")]
    # 18 present, threshold 10: 候选00-06 get 13 votes, 候选07-08 get 11, the rest 5 -> 9 elected
    ballots = [(names[:7] + names[7:9], []) for _ in range(10)]
    ballots += [(names[:7], []) for _ in range(2)]
    ballots += [(names[9:], ["外来人"]) for _ in range(4)]
    ballots += [(names, []) for _ in range(1)]  # 11 yes > 9 seats: invalid
    enter_all(rnd, county, ballots)
    services.round_certify(by=county, rnd=rnd)
    rnd.refresh_from_db()
    assert rnd.result["invalid"] == 1 and rnd.result["valid"] == 16
    assert len(rnd.result["elected"]) == 9
    e.refresh_from_db()
    assert e.state == State.COMMITTEE
    # entering ballots after certification is refused by the service and by the database
    with pytest.raises(ElectionError, match="certified"):
        enter_all(rnd, county, [(names[:1], [])])
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        Ballot.objects.create(round=rnd, source="phone", marks={})
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        Round.objects.filter(pk=rnd.pk).update(seats=3)
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        AuditEvent.objects.filter(election=e).update(detail="changed")

    committee = list(e.candidates.filter(elected=True))
    sec = services.officer_round_open(
        by=county, election=e, post=Post.SECRETARY, candidates=committee[:1], voters_present=9
    )
    enter_all(sec, county, [([committee[0].name], [])] * 9)
    services.round_certify(by=county, rnd=sec)
    dep = services.officer_round_open(
        by=county, election=e, post=Post.DEPUTY, candidates=committee[1:4], voters_present=9
    )
    # 9 present, 2 seats: 5 for 1, 5 for 2, 5 for 3 -> three tied at the cut-off (and all pass)
    enter_all(dep, county, [([committee[1].name, committee[2].name], [])] * 3
              + [([committee[2].name, committee[3].name], [])] * 2
              + [([committee[1].name, committee[3].name], [])] * 2
              + [([committee[3].name], [])] * 1 + [([], [])] * 1)  # fmt: skip
    services.round_certify(by=county, rnd=dep)
    dep.refresh_from_db()
    assert dep.result["next_step"] == "tie_round" and dep.result["elected"] == []
    assert set(dep.result["tied"]) == {committee[1].name, committee[2].name, committee[3].name}
    tie = services.round_next(by=county, election=e)
    assert tie.seats == 2 and tie.candidates.count() == 3
    enter_all(tie, county, [([committee[1].name, committee[2].name], [])] * 9)
    services.round_certify(by=county, rnd=tie)
    e.refresh_from_db()
    assert e.state == State.REPORT
    assert e.candidates.filter(post=Post.MEMBER).count() == 6

    with pytest.raises(ElectionError):
        services.publicity_open(by=county, election=e, start=TODAY)
    approved = datetime.date(2025, 12, 1)
    services.report_approve(by=county, election=e, approved_by="街道党工委、区团委", approved_on=approved)
    services.publicity_open(by=county, election=e, start=datetime.date(2025, 12, 5))  # a Friday
    e.refresh_from_db()
    assert e.publicity_end == datetime.date(2025, 12, 11)  # Fri + Mon..Thu = 5 working days
    objection = services.objection_submit(election=e, name="群众甲", contact="13800000000", content="有异议")
    with pytest.raises(ElectionError, match="11"):
        services.appoint(by=county, election=e, on=datetime.date(2025, 12, 11))
    with pytest.raises(ElectionError, match="not resolved"):
        services.appoint(by=county, election=e, on=datetime.date(2025, 12, 12))
    services.objection_resolve(by=county, objection=objection, resolution="经核实不属实", upheld=False)
    with pytest.raises(ElectionError, match="committee term"):
        services.appoint(by=county, election=e, on=datetime.date(2025, 12, 12))
    services.appoint(by=county, election=e, on=datetime.date(2025, 12, 12), new_term_number=3,
                     new_term_end=datetime.date(2030, 12, 12))  # fmt: skip
    e.refresh_from_db()
    assert e.state == State.APPOINTED and e.term.number == 3
    seats = list(Seat.objects.filter(term=e.term).select_related("person"))
    assert len(seats) == 9 and sum(s.role == "secretary" for s in seats) == 1
    assert {s.person.name for s in seats} == set(
        e.candidates.filter(elected=True).values_list("name", flat=True)
    )
    assert all(s.how_obtained == "election" for s in seats)
    assert e.candidates.filter(elected=True, person__isnull=True).count() == 0
    actions = list(e.events.values_list("action", flat=True))
    assert actions[0] == "created" and actions[-1] == "state:appointed"


def test_void_vote_and_shortfall_round(world, county):
    e = election_at(State.CONGRESS, org=world.zhonghe, by=county, present=18)
    rnd = e.rounds.get()
    names = [c.name for c in rnd.candidates.order_by("id")]
    # Only 5 pass the threshold of 10 -> shortfall of 4
    enter_all(rnd, county, [(names[:5], [])] * 10 + [(names[5:9], [])] * 8)
    services.round_certify(by=county, rnd=rnd)
    rnd.refresh_from_db()
    assert rnd.result["shortfall"] == 4 and rnd.result["next_step"] == "shortfall_round"
    nxt = services.round_next(by=county, election=e)
    assert nxt.seats == 4 and nxt.kind == "shortfall"
    # the further vote: a phone vote uses a code; its paper then cannot be entered on paper
    paper = nxt.papers.get(number=1)
    services.phone_vote(code=paper.code, marks={}, write_ins=[])
    with pytest.raises(ElectionError, match="already been used"):
        services.phone_vote(code=paper.code, marks={}, write_ins=[])
    with pytest.raises(ElectionError, match="not known"):
        services.phone_vote(code="NOPE", marks={}, write_ins=[])
    counter = e.voters.filter(role=VoterRole.COUNTER).first()
    with pytest.raises(ElectionError, match="by phone"):
        services.ballot_enter(
            by=county, rnd=nxt, paper_number=1, entry=1, counter=counter, marks={}, write_ins=[]
        )
    assert Ballot.objects.filter(round=nxt).count() == 1


def test_double_entry_differences_are_flagged_and_block_certification(world, county):
    e = election_at(State.CONGRESS, org=world.zhonghe, by=county, present=18)
    rnd = e.rounds.get()
    c1, c2 = list(e.voters.filter(role=VoterRole.COUNTER))
    cand = str(rnd.candidates.first().pk)
    services.ballot_enter(
        by=county, rnd=rnd, paper_number=1, entry=1, counter=c1, marks={cand: YES}, write_ins=[]
    )
    with pytest.raises(ElectionError, match="different counter"):
        services.ballot_enter(by=county, rnd=rnd, paper_number=1, entry=2, counter=c1, marks={}, write_ins=[])
    services.ballot_enter(by=county, rnd=rnd, paper_number=1, entry=2, counter=c2, marks={}, write_ins=[])
    count = services.round_count(rnd)
    assert count.mismatched == [1]
    with pytest.raises(ElectionError, match="differ for papers 1"):
        services.round_certify(by=county, rnd=rnd)
    recount = services.recount(by=county, rnd=rnd, reason="第1张两次录入不一致")
    assert recount.recount_of == rnd and recount.papers.count() == 18
    with pytest.raises(ElectionError, match="superseded"):
        services.ballot_enter(by=county, rnd=rnd, paper_number=2, entry=1, counter=c1, marks={}, write_ins=[])


def test_more_returned_than_issued_is_void_and_voted_again(world, county):
    e = election_at(State.CONGRESS, org=world.zhonghe, by=county, present=18)
    rnd = e.rounds.get()
    counter = e.voters.filter(role=VoterRole.COUNTER).first()
    with pytest.raises(ElectionError, match="No paper number 19"):
        services.ballot_enter(
            by=county, rnd=rnd, paper_number=19, entry=1, counter=counter, marks={}, write_ins=[]
        )
    names = [c.name for c in rnd.candidates.order_by("id")]
    enter_all(rnd, county, [(names[:9], [])] * 18)
    services.papers_returned_record(by=county, rnd=rnd, returned=19)  # the box held 19 papers for 18 issued
    services.round_certify(by=county, rnd=rnd)
    rnd.refresh_from_db()
    assert rnd.result["void"] and rnd.result["elected"] == []
    assert not e.candidates.filter(elected=True).exists()
    again = services.round_next(by=county, election=e)
    assert again.kind == "revote" and again.seats == 9 and again.papers.count() == 18
