"""The tally engine: worked examples for each rule, and properties that hold for any ballots."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from elections.tally import (
    ABSTAIN,
    NO,
    NONE,
    REVOTE,
    SHORTFALL_ROUND,
    TIE_ROUND,
    YES,
    BallotMarks,
    Rules,
    contested_minimum,
    has_quorum,
    tally,
)

NAMES = ["王一", "李二", "张三", "刘四", "陈五"]


def ballot(*yes, no=(), write_ins=()):
    marks = {n: YES for n in yes} | {n: NO for n in no}
    return BallotMarks(marks=marks, write_ins=tuple(write_ins))


def many(n, *yes, **kw):
    return [ballot(*yes, **kw) for _ in range(n)]


# --- worked examples ----------------------------------------------------------------------------------


def test_elected_needs_more_than_half_of_voters_present():
    # 10 present: 6 yes is elected, exactly 5 is not.
    ballots = many(5, "王一", "李二") + many(1, "王一") + many(4)
    result = tally(NAMES, ballots, Rules(seats=3, voters_present=10, ballots_issued=10))
    assert result.threshold == 6
    assert result.elected == ("王一",)
    assert result.votes_for("李二") == 5 and "李二" not in result.elected
    assert result.shortfall == 2 and result.next_step == SHORTFALL_ROUND


def test_ballot_with_more_yes_than_seats_is_invalid_not_rejected():
    ballots = many(6, "王一", "李二") + many(3, "王一", "李二", "张三")
    result = tally(NAMES, ballots, Rules(seats=2, voters_present=9, ballots_issued=9))
    assert result.invalid == 3 and result.valid == 6
    assert result.votes_for("张三") == 0
    assert set(result.elected) == {"王一", "李二"}


def test_more_returned_than_issued_voids_the_vote():
    result = tally(NAMES, many(11, "王一"), Rules(seats=1, voters_present=10, ballots_issued=10))
    assert result.void and result.next_step == REVOTE and result.elected == ()


def test_more_passing_than_seats_takes_order_of_votes():
    ballots = many(9, "王一", "李二") + many(6, "王一", "张三") + many(2, "李二", "张三")
    # 17 present, threshold 9, 2 seats: 王一 15, 李二 11, 张三 8 -> 王一, 李二
    ballots += many(1, "张三", "刘四") + many(1, "张三")
    # now 19 present, threshold 10: 王一 15, 李二 11, 张三 10 all pass -> the two with most votes
    result = tally(NAMES, ballots, Rules(seats=2, voters_present=19, ballots_issued=19))
    assert result.votes_for("张三") == 10 and result.threshold == 10
    assert result.elected == ("王一", "李二") and result.next_step == NONE


def test_tie_at_cut_off_goes_to_a_round_among_the_tied_only():
    ballots = many(4, "王一", "李二") + many(3, "李二", "张三") + many(4, "王一", "张三") + many(1, "王一")
    # 12 present: 王一 9, 李二 7, 张三 7; threshold 7
    result = tally(NAMES, ballots, Rules(seats=2, voters_present=12, ballots_issued=12))
    assert result.elected == ("王一",)
    assert set(result.tied) == {"李二", "张三"} and result.tie_seats == 1
    assert result.next_step == TIE_ROUND and result.shortfall == 0


def test_tie_below_threshold_is_a_shortfall_with_both_tied_drawn():
    ballots = many(3, "王一", "李二") + many(3, "王一", "张三") + many(1, "刘四")
    # 7 present, threshold 4: 王一 6, 李二 3, 张三 3, 刘四 1
    result = tally(NAMES, ballots, Rules(seats=2, voters_present=7, ballots_issued=7))
    assert result.elected == ("王一",)
    assert result.shortfall == 1
    # shortfall 1 needs 2 candidates; 李二 and 张三 are level, so both come (and no one else).
    assert set(result.shortfall_candidates) == {"李二", "张三"}


def test_fewer_elected_may_reduce_seats_where_the_size_rule_allows():
    ballots = many(6, "王一", "李二") + many(4)
    result = tally(NAMES, ballots, Rules(seats=3, voters_present=10, ballots_issued=10, min_seats=2))
    assert result.elected and result.shortfall == 1 and result.may_reduce_seats
    result = tally(NAMES, ballots, Rules(seats=3, voters_present=10, ballots_issued=10, min_seats=3))
    assert not result.may_reduce_seats


def test_write_ins_count_and_a_write_in_of_a_listed_name_counts_once():
    ballots = many(4, "王一", write_ins=("赵六",)) + many(2, "王一", write_ins=("王一",))
    result = tally(NAMES, ballots, Rules(seats=2, voters_present=7, ballots_issued=7))
    assert result.votes_for("赵六") == 4 and result.votes_for("王一") == 6
    assert result.elected == ("王一", "赵六")


def test_write_ins_count_toward_too_many_yes():
    ballots = [ballot("王一", "李二", write_ins=("赵六",))]
    result = tally(NAMES, ballots, Rules(seats=2, voters_present=1, ballots_issued=1))
    assert result.invalid == 1


def test_abstain_and_no_are_not_yes():
    ballots = [BallotMarks(marks={"王一": ABSTAIN, "李二": NO})] * 3
    result = tally(NAMES, ballots, Rules(seats=1, voters_present=3, ballots_issued=3))
    assert result.elected == () and result.shortfall == 1


def test_contested_minimum_and_quorum():
    assert contested_minimum(11, 20) == 11 + 3  # ⌈2.2⌉ = 3
    assert contested_minimum(5, 20) == 6
    assert contested_minimum(11, 10) == 13  # ⌈1.1⌉ = 2
    assert contested_minimum(1, 0) == 1
    assert has_quorum(81, 100) and not has_quorum(80, 100)  # exactly 4/5 is not enough
    assert not has_quorum(0, 0)


# --- properties ---------------------------------------------------------------------------------------

mark = st.sampled_from([YES, NO, ABSTAIN])
ballot_st = st.builds(
    BallotMarks,
    marks=st.dictionaries(st.sampled_from(NAMES), mark),
    write_ins=st.lists(st.sampled_from(["赵六", "钱七", "王一"]), max_size=2).map(tuple),
)


@st.composite
def scenario(draw):
    seats = draw(st.integers(1, 4))
    ballots = draw(st.lists(ballot_st, max_size=25))
    present = draw(st.integers(len(ballots), len(ballots) + 5))
    issued = draw(st.integers(max(0, len(ballots) - 2), present))
    min_seats = draw(st.one_of(st.none(), st.integers(0, seats)))
    return ballots, Rules(seats=seats, voters_present=present, ballots_issued=issued, min_seats=min_seats)


@settings(max_examples=300, deadline=None)
@given(scenario())
def test_invariants(case):
    ballots, rules = case
    result = tally(NAMES, ballots, rules)
    assert len(result.elected) <= rules.seats
    for name in result.elected:
        assert 2 * result.votes_for(name) > rules.voters_present
    if result.void:
        assert len(ballots) > rules.ballots_issued and not result.elected
        return
    assert result.valid + result.invalid == len(ballots)
    # ties never broken silently: anyone level with an elected name is elected too, or a tie round is due
    for name in result.elected:
        level = [n for n, v in result.votes if v == result.votes_for(name) and n not in result.elected]
        assert not level
    if result.tied:
        assert result.next_step == TIE_ROUND
        assert len(result.tied) > result.tie_seats >= 1
        assert len({result.votes_for(n) for n in result.tied}) == 1
        assert len(result.elected) + result.tie_seats == rules.seats
    else:
        assert len(result.elected) + result.shortfall == rules.seats
        assert (result.next_step == SHORTFALL_ROUND) == bool(result.shortfall)


@settings(max_examples=200, deadline=None)
@given(scenario(), st.randoms(use_true_random=False))
def test_result_is_independent_of_ballot_order(case, rnd: random.Random):
    ballots, rules = case
    shuffled = list(ballots)
    rnd.shuffle(shuffled)
    assert tally(NAMES, ballots, rules) == tally(list(reversed(NAMES)), shuffled, rules)
