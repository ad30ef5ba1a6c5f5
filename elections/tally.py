"""The tally: a pure function of the recorded ballots and the rules. No database, no clock.

Rules (DESIGN.md "Election rules"; numbers come from the election's stored settings):
- a ballot marking more names "yes" (listed candidates and write-ins together) than seats is invalid;
- more ballots returned than issued: the vote is void and must be held again;
- a name is elected with "yes" votes > half of the voters present with the right to vote
  (exactly half is not enough: 2 × yes > present);
- more passing the threshold than seats: take them in order of votes; a tie at the cut-off is never
  broken here: those above the tie are elected, the tied go to a new round among themselves only;
- fewer elected than seats: a further round (另行选举) for the shortfall, its candidates drawn from those
  not elected in order of votes; or, where the number elected still meets the size rule, seats reduced.

Write-ins (另选他人) count like listed candidates; a write-in spelling a listed name counts for that name,
and one ballot gives a name at most one vote.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

YES, NO, ABSTAIN = "yes", "no", "abstain"
MARKS = (YES, NO, ABSTAIN)

NONE, TIE_ROUND, SHORTFALL_ROUND, REVOTE = "none", "tie_round", "shortfall_round", "revote"


@dataclass(frozen=True)
class BallotMarks:
    """One ballot: a mark per listed candidate (missing = abstain) and write-in names."""

    marks: dict[str, str] = field(default_factory=dict)
    write_ins: tuple[str, ...] = ()

    def yes_names(self) -> set[str]:
        names = {name for name, mark in self.marks.items() if mark == YES}
        names |= {w.strip() for w in self.write_ins if w and w.strip()}
        return names


@dataclass(frozen=True)
class Rules:
    seats: int
    voters_present: int
    ballots_issued: int
    # Where the elected still reach this number, a shortfall may be settled by reducing the seats.
    min_seats: int | None = None
    # Extra candidates (as a fraction of the shortfall) in a shortfall round, so it stays contested.
    shortfall_margin: float = 0.2
    # Papers found in the ballot box, counted before the marks (may exceed the ballots recorded).
    ballots_returned: int | None = None


@dataclass(frozen=True)
class TallyResult:
    void: bool
    returned: int
    valid: int
    invalid: int
    threshold: int  # minimum "yes" votes to be elected (strictly more than half of voters present)
    votes: tuple[tuple[str, int], ...]  # every name with votes, most votes first, then by name
    elected: tuple[str, ...]  # in order of votes
    tied: tuple[str, ...]  # tied at the cut-off: a new round among these only
    tie_seats: int  # seats left for the tied
    shortfall: int  # seats still empty when no tie
    shortfall_candidates: tuple[str, ...]  # for another round, in order of votes
    may_reduce_seats: bool
    next_step: str  # NONE, TIE_ROUND, SHORTFALL_ROUND or REVOTE

    def votes_for(self, name: str) -> int:
        return dict(self.votes).get(name, 0)


def threshold_for(voters_present: int) -> int:
    """The least number of "yes" votes that is more than half of the voters present."""
    return voters_present // 2 + 1


def is_valid_ballot(ballot: BallotMarks, seats: int) -> bool:
    return len(ballot.yes_names()) <= seats


def tally(candidates: Sequence[str], ballots: Iterable[BallotMarks], rules: Rules) -> TallyResult:
    ballots = list(ballots)
    returned = max(len(ballots), rules.ballots_returned or 0)
    threshold = threshold_for(rules.voters_present)
    if rules.seats < 1:
        raise ValueError("seats must be at least 1")
    if returned > rules.ballots_issued:
        return TallyResult(
            void=True, returned=returned, valid=0, invalid=0, threshold=threshold, votes=(), elected=(),
            tied=(), tie_seats=0, shortfall=rules.seats, shortfall_candidates=(), may_reduce_seats=False,
            next_step=REVOTE,
        )  # fmt: skip
    counts: dict[str, int] = dict.fromkeys(candidates, 0)
    valid = invalid = 0
    for ballot in ballots:
        if not is_valid_ballot(ballot, rules.seats):
            invalid += 1
            continue
        valid += 1
        for name in ballot.yes_names():
            counts[name] = counts.get(name, 0) + 1
    ordered = tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    passing = [(name, n) for name, n in ordered if n >= threshold]

    elected: list[str]
    tied: list[str] = []
    tie_seats = 0
    if len(passing) <= rules.seats:
        elected = [name for name, _ in passing]
    else:
        cut_votes = passing[rules.seats - 1][1]
        if passing[rules.seats][1] == cut_votes:
            elected = [name for name, n in passing if n > cut_votes]
            tied = [name for name, n in passing if n == cut_votes]
            tie_seats = rules.seats - len(elected)
        else:
            elected = [name for name, _ in passing[: rules.seats]]

    shortfall = 0 if tied else rules.seats - len(elected)
    shortfall_candidates: list[str] = []
    if shortfall:
        rest = [(name, n) for name, n in ordered if name not in elected and n > 0]
        wanted = shortfall + max(1, math.ceil(rules.shortfall_margin * shortfall))
        if len(rest) > wanted:
            # Never cut through a tie silently: everyone level with the last one drawn comes along.
            last = rest[wanted - 1][1]
            rest = [(name, n) for name, n in rest if n >= last]
        shortfall_candidates = [name for name, _ in rest]
    may_reduce = bool(shortfall) and rules.min_seats is not None and len(elected) >= rules.min_seats
    if tied:
        next_step = TIE_ROUND
    elif shortfall:
        next_step = SHORTFALL_ROUND
    else:
        next_step = NONE
    return TallyResult(
        void=False, returned=returned, valid=valid, invalid=invalid, threshold=threshold, votes=ordered,
        elected=tuple(elected), tied=tuple(tied), tie_seats=tie_seats, shortfall=shortfall,
        shortfall_candidates=tuple(shortfall_candidates), may_reduce_seats=may_reduce, next_step=next_step,
    )  # fmt: skip


# --- the other numeric rules -------------------------------------------------------------------------


def contested_minimum(seats: int, margin_percent: int) -> int:
    """Candidates needed for a contested (差额) list: seats + ⌈margin × seats⌉ (at least one more when margin > 0)."""
    if seats <= 0:
        return 0
    extra = math.ceil(seats * margin_percent / 100) if margin_percent > 0 else 0
    return seats + extra


def has_quorum(present: int, entitled: int, numerator: int = 4, denominator: int = 5) -> bool:
    """Voters present with the right to vote must be more than numerator/denominator of those entitled."""
    return entitled > 0 and present * denominator > entitled * numerator
