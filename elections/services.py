"""Use cases that write elections. Views, the admin, the demo and tests all call these.

Each function validates, writes in a transaction with update_fields, and appends an AuditEvent. A broken
rule raises ElectionError with a message naming the field; nothing is stored.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from league import services_lineups
from league.models import Organization, Term

from . import lineup
from . import tally as rules
from .models import (
    AuditEvent,
    Ballot,
    BallotPaper,
    BallotSource,
    Candidate,
    CongressKind,
    Election,
    Objection,
    Post,
    Round,
    RoundKind,
    SeatQuota,
    Source,
    Stage,
    State,
    Vetting,
    Voter,
    VoterRole,
    add_working_days,
)


class ElectionError(ValidationError):
    """A rule was broken; the message names the field or the rule. Nothing was stored."""


def _fail(message: str, field_name: str | None = None):
    raise ElectionError({field_name: [message]} if field_name else message)


def _event(election: Election, by, action: str, detail: str = "") -> AuditEvent:
    name = ""
    if by is not None and getattr(by, "is_authenticated", False):
        name = by.get_full_name() or by.get_username()
    return AuditEvent.objects.create(
        election=election, by=by if name else None, by_name=name, action=action, detail=detail
    )


def _lock(election: Election) -> Election:
    return Election.objects.select_for_update().get(pk=election.pk)


def _require_state(election: Election, *states: str) -> None:
    if election.state not in states:
        _fail(
            _("This step is not open: the election is at “%(state)s”.")
            % {"state": election.get_state_display()}
        )


def _set_state(election: Election, state: str, by, detail: str = "") -> None:
    election.state = state
    election.save(update_fields=["state"])
    _event(election, by, f"state:{state}", detail or str(State(state).label))


# --- seat design and rules ----------------------------------------------------------------------------

RULE_FIELDS = (
    "secretary_seats", "deputy_seats", "member_seats", "recommend_margin_pct", "formal_margin_pct",
    "quorum_numerator", "quorum_denominator", "publicity_working_days", "officers_uncontested",
    "min_committee_size", "max_committee_size",
)  # fmt: skip


@transaction.atomic
def election_create(
    *,
    by,
    organization: Organization,
    title: str,
    term_label: str = "",
    congress_kind: str = CongressKind.MEMBERS,
    meeting_date: datetime.date | None = None,
    term: Term | None = None,
    **seat_rules,
) -> Election:
    if not title.strip():
        _fail(_("Give the election a title."), "title")
    if term is not None and term.organization_id != organization.pk:
        _fail(_("The term belongs to another committee."), "term")
    election = Election(
        organization=organization,
        term=term,
        title=title.strip(),
        term_label=term_label,
        congress_kind=congress_kind,
        meeting_date=meeting_date,
    )
    for name, value in seat_rules.items():
        if name not in RULE_FIELDS:
            raise TypeError(name)
        setattr(election, name, value)
    _check_rules(election)
    election.save()
    _event(election, by, "created", _("Election created: %(title)s") % {"title": election.title})
    return election


def _check_rules(election: Election) -> None:
    if election.secretary_seats < 1:
        _fail(_("There must be a secretary seat."), "secretary_seats")
    if election.quorum_denominator < 1 or election.quorum_numerator > election.quorum_denominator:
        _fail(_("The quorum must be a fraction no larger than 1."), "quorum_numerator")
    if election.min_committee_size > election.max_committee_size:
        _fail(_("The minimum committee size is larger than the maximum."), "min_committee_size")
    size = election.secretary_seats + election.deputy_seats + election.member_seats
    if not election.min_committee_size <= size <= election.max_committee_size:
        _fail(
            _("The committee would have %(n)s seats; the size rule allows %(lo)s to %(hi)s.")
            % {"n": size, "lo": election.min_committee_size, "hi": election.max_committee_size},
            "member_seats",
        )
    if election.publicity_working_days < 1:
        _fail(_("Publicity must last at least one working day."), "publicity_working_days")


@transaction.atomic
def election_update_rules(*, by, election: Election, **values) -> Election:
    election = _lock(election)
    if election.rules_frozen:
        _fail(_("The rules are frozen once the election has started."))
    changed = []
    for name, value in values.items():
        if name not in RULE_FIELDS:
            raise TypeError(name)
        if getattr(election, name) != value:
            setattr(election, name, value)
            changed.append(name)
    _check_rules(election)
    if changed:
        election.save(update_fields=changed)
        _event(election, by, "rules", ", ".join(f"{n}={getattr(election, n)}" for n in changed))
    return election


@transaction.atomic
def quota_set(*, by, election: Election, category: str, seats: int) -> SeatQuota | None:
    election = _lock(election)
    if election.rules_frozen:
        _fail(_("Seat design is frozen once the election has started."))
    category = category.strip()
    if not category:
        _fail(_("Name the category."), "category")
    others = sum(q.seats for q in election.quotas.exclude(category=category))
    if others + seats > election.member_seats:
        _fail(
            _("Category quotas would add up to %(n)s, more than the %(m)s member seats.")
            % {"n": others + seats, "m": election.member_seats},
            "seats",
        )
    if seats == 0:
        election.quotas.filter(category=category).delete()
        _event(election, by, "quota", _("%(c)s removed") % {"c": category})
        return None
    quota, _created = SeatQuota.objects.update_or_create(
        election=election, category=category, defaults={"seats": seats}
    )
    _event(election, by, "quota", f"{category} × {seats}")
    return quota


@transaction.atomic
def nomination_open(*, by, election: Election) -> Election:
    election = _lock(election)
    _require_state(election, State.DESIGN)
    _set_state(election, State.NOMINATION, by, _("Nomination opened; rules frozen."))
    return election


# --- nomination ---------------------------------------------------------------------------------------


@transaction.atomic
def candidate_nominate(
    *,
    by,
    election: Election,
    name: str,
    source: str,
    gender: str = "",
    birth_date: datetime.date | None = None,
    unit: str = "",
    sector: str = "",
    category: str = "",
    contact: str = "",
    bio: str = "",
    pledge: str = "",
) -> Candidate:
    election = _lock(election)
    _require_state(election, State.NOMINATION)
    name = name.strip()
    if not name:
        _fail(_("The name is required."), "name")
    if source not in (Source.ORGANIZATION, Source.MEMBERS, Source.SELF):
        _fail(_("Say who nominates the candidate."), "source")
    if not sector.strip():
        _fail(_("Say which sector or youth group the candidate represents."), "sector")
    if election.candidates.filter(name=name).exists():
        _fail(_("%(name)s is already nominated in this election.") % {"name": name}, "name")
    candidate = Candidate.objects.create(
        election=election, name=name, source=source, gender=gender, birth_date=birth_date, unit=unit,
        sector=sector.strip(), category=category, contact=contact, bio=bio, pledge=pledge,
    )  # fmt: skip
    _event(election, by, "nominated", f"{name} · {candidate.get_source_display()} · {sector}")
    return candidate


def nominations_needed(election: Election) -> int:
    """How many more nominations the recommended list needs to meet its contested margin."""
    return max(
        0, election.recommended_minimum() - election.candidates.exclude(source=Source.WRITE_IN).count()
    )


@transaction.atomic
def nomination_close(*, by, election: Election) -> Election:
    election = _lock(election)
    _require_state(election, State.NOMINATION)
    missing = nominations_needed(election)
    if missing:
        _fail(
            _(
                "The recommended list needs at least %(min)s names for %(seats)s seats "
                "(%(pct)s%% more than the seats): %(n)s more needed."
            )
            % {
                "min": election.recommended_minimum(),
                "seats": election.committee_seats,
                "pct": election.recommend_margin_pct,
                "n": missing,
            }
        )
    _set_state(
        election,
        State.SCREENING,
        by,
        _("Nomination closed with %(n)s names.") % {"n": election.candidates.count()},
    )
    return election


# --- screening and formal candidates ------------------------------------------------------------------


@transaction.atomic
def screening_record(
    *,
    by,
    candidate: Candidate,
    written_score=None,
    interview_score=None,
    vetting: str = Vetting.PENDING,
    notes: str = "",
) -> Candidate:
    election = _lock(candidate.election)
    _require_state(election, State.SCREENING)
    for label, value in (("written_score", written_score), ("interview_score", interview_score)):
        if value is not None and not 0 <= value <= 100:
            _fail(_("Scores run from 0 to 100."), label)
    candidate.written_score = written_score
    candidate.interview_score = interview_score
    candidate.vetting = vetting
    candidate.screening_notes = notes
    candidate.save(update_fields=["written_score", "interview_score", "vetting", "screening_notes"])
    _event(
        election, by, "screening",
        f"{candidate.name}: {written_score or '-'} / {interview_score or '-'} · {candidate.get_vetting_display()}",
    )  # fmt: skip
    return candidate


@transaction.atomic
def formal_confirm(
    *, by, election: Election, candidates: list[Candidate], confirmed_by: str, confirmed_on: datetime.date
) -> Election:
    """The party committee confirms the formal candidates; the list must meet the formal contested margin."""
    election = _lock(election)
    _require_state(election, State.SCREENING)
    if not confirmed_by.strip():
        _fail(_("Record who confirmed the list for the party committee."), "confirmed_by")
    ids = {c.pk for c in candidates}
    chosen = list(election.candidates.filter(pk__in=ids))
    if len(chosen) != len(ids):
        _fail(_("A candidate is not part of this election."), "candidates")
    failed = [c.name for c in chosen if c.vetting != Vetting.PASSED]
    if failed:
        _fail(_("Not passed screening: %(names)s.") % {"names": "、".join(failed)}, "candidates")
    if len(chosen) < election.formal_minimum():
        _fail(
            _(
                "The formal list needs at least %(min)s candidates for %(seats)s seats (%(pct)s%% more); it has %(n)s."
            )
            % {
                "min": election.formal_minimum(),
                "seats": election.committee_seats,
                "pct": election.formal_margin_pct,
                "n": len(chosen),
            },
            "candidates",
        )
    election.candidates.filter(pk__in=ids).update(is_formal=True)
    election.party_confirmed_by = confirmed_by.strip()
    election.party_confirmed_on = confirmed_on
    election.save(update_fields=["party_confirmed_by", "party_confirmed_on"])
    names = "、".join(c.name for c in chosen)
    _event(
        election,
        by,
        "formal",
        _("Confirmed by %(who)s on %(on)s: %(names)s")
        % {"who": confirmed_by, "on": confirmed_on, "names": names},
    )
    _set_state(election, State.FORMAL, by)
    return election


# --- the roll -----------------------------------------------------------------------------------------


def _check_not_candidate(election: Election, name: str, role: str) -> None:
    if (
        role in (VoterRole.COUNTER, VoterRole.SCRUTINEER)
        and election.candidates.filter(name=name, is_formal=True).exists()
    ):
        _fail(_("%(name)s is a candidate and cannot be a counter or scrutineer.") % {"name": name}, "role")


@transaction.atomic
def voter_add(
    *,
    by,
    election: Election,
    name: str,
    sector: str = "",
    credentials_checked: bool = False,
    on_probation: bool = False,
    role: str = VoterRole.VOTER,
    present: bool = False,
) -> Voter:
    election = _lock(election)
    _require_state(election, State.FORMAL)
    name = name.strip()
    if not name:
        _fail(_("The name is required."), "name")
    if election.voters.filter(name=name).exists():
        _fail(_("%(name)s is already on the roll.") % {"name": name}, "name")
    _check_not_candidate(election, name, role)
    voter = Voter.objects.create(
        election=election, name=name, sector=sector.strip(), credentials_checked=credentials_checked,
        on_probation=on_probation, role=role, present=present,
    )  # fmt: skip
    _event(election, by, "roll", f"+ {name} · {sector} · {voter.get_role_display()}")
    return voter


@transaction.atomic
def roll_add_lines(*, by, election: Election, text: str) -> list[Voter]:
    """Add voters from lines of "name, sector" (a comma, a Chinese comma or a tab between); all or none."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        parts = [p.strip() for p in line.replace("，", ",").replace("\t", ",").split(",")]
        if not parts[0]:
            _fail(_("Line %(n)s has no name.") % {"n": number}, "lines")
        rows.append((number, parts[0], parts[1] if len(parts) > 1 else ""))
    seen = set(election.voters.values_list("name", flat=True))
    for number, name, _sector in rows:
        if name in seen:
            _fail(_("Line %(n)s: %(name)s is already on the roll.") % {"n": number, "name": name}, "lines")
        seen.add(name)
    return [voter_add(by=by, election=election, name=name, sector=sector) for _n, name, sector in rows]


@transaction.atomic
def voter_update(
    *, by, voter: Voter, present: bool, credentials_checked: bool, on_probation: bool, role: str
) -> Voter:
    election = _lock(voter.election)
    _require_state(election, State.FORMAL)
    _check_not_candidate(election, voter.name, role)
    voter.present, voter.credentials_checked, voter.on_probation, voter.role = (
        present, credentials_checked, on_probation, role,
    )  # fmt: skip
    voter.save(update_fields=["present", "credentials_checked", "on_probation", "role"])
    _event(
        election, by, "roll",
        f"{voter.name}: {_('present') if present else _('absent')}"
        f"{' · ' + _('on probation') if on_probation else ''} · {voter.get_role_display()}",
    )  # fmt: skip
    return voter


@dataclass
class Attendance:
    entitled: int
    present: int
    needed: int  # voters present needed for quorum
    quorum: bool
    by_sector: list[tuple[str, int, int]] = field(default_factory=list)  # sector, entitled, present


def attendance(election: Election) -> Attendance:
    voters = list(election.voters.all())
    entitled = [
        v
        for v in voters
        if not v.on_probation and (election.congress_kind != CongressKind.DELEGATES or v.credentials_checked)
    ]
    present = sum(1 for v in entitled if v.present)
    needed = len(entitled) * election.quorum_numerator // election.quorum_denominator + 1
    sectors: dict[str, list[int]] = {}
    for v in entitled:
        row = sectors.setdefault(v.sector or "—", [0, 0])
        row[0] += 1
        row[1] += v.present
    return Attendance(
        entitled=len(entitled),
        present=present,
        needed=needed,
        quorum=rules.has_quorum(
            present, len(entitled), election.quorum_numerator, election.quorum_denominator
        ),
        by_sector=[(s, a, b) for s, (a, b) in sorted(sectors.items())],
    )


# --- rounds and ballots -------------------------------------------------------------------------------


def _new_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


def _open_round(
    *,
    election: Election,
    by,
    stage: str,
    post: str,
    kind: str,
    seats: int,
    candidates: list[Candidate],
    present: int,
    entitled: int,
    reason: str = "",
    recount_of: Round | None = None,
) -> Round:
    number = (election.rounds.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    rnd = Round.objects.create(
        election=election, number=number, stage=stage, post=post, kind=kind, seats=seats, reason=reason,
        voters_present=present, entitled=entitled, recount_of=recount_of,
    )  # fmt: skip
    rnd.candidates.set(candidates)
    BallotPaper.objects.bulk_create(
        [BallotPaper(round=rnd, number=i, code=_new_code()) for i in range(1, present + 1)]
    )
    _event(
        election, by, "round",
        _("Round %(n)s opened (%(kind)s, %(post)s): %(seats)s seats, %(c)s candidates, %(p)s papers issued. %(r)s")
        % {"n": number, "kind": rnd.get_kind_display(), "post": rnd.get_post_display(), "seats": seats,
           "c": len(candidates), "p": present, "r": reason},
    )  # fmt: skip
    return rnd


def open_round(election: Election) -> Round | None:
    """The round being voted or counted now (not certified and not superseded by a recount)."""
    superseded = Round.objects.filter(election=election, recount_of__isnull=False).values("recount_of")
    return (
        election.rounds.filter(certified_at__isnull=True)
        .exclude(pk__in=superseded)
        .order_by("-number")
        .first()
    )


@transaction.atomic
def vote_start(*, by, election: Election) -> Round:
    election = _lock(election)
    _require_state(election, State.FORMAL)
    counters = election.voters.filter(role=VoterRole.COUNTER).count()
    if counters < 2:
        _fail(_("Appoint at least two counters (double entry needs two) before the vote."))
    if not election.voters.filter(role=VoterRole.SCRUTINEER).exists():
        _fail(_("Appoint at least one scrutineer before the vote."))
    seen = attendance(election)
    if not seen.quorum:
        _fail(
            _("No quorum: %(p)s of %(e)s entitled voters present; more than %(num)s/%(den)s (%(need)s) are needed.")
            % {"p": seen.present, "e": seen.entitled, "num": election.quorum_numerator,
               "den": election.quorum_denominator, "need": seen.needed}
        )  # fmt: skip
    formal = list(election.candidates.filter(is_formal=True))
    rnd = _open_round(
        election=election, by=by, stage=Stage.CONGRESS, post=Post.MEMBER, kind=RoundKind.REGULAR,
        seats=election.committee_seats, candidates=formal, present=seen.present, entitled=seen.entitled,
    )  # fmt: skip
    _set_state(
        election,
        State.CONGRESS,
        by,
        _("Vote started: %(p)s of %(e)s present.") % {"p": seen.present, "e": seen.entitled},
    )
    return rnd


def _check_marks(rnd: Round, marks: dict, write_ins: list[str]) -> tuple[dict, list[str]]:
    ids = {str(pk) for pk in rnd.candidates.values_list("pk", flat=True)}
    clean = {}
    for key, mark in marks.items():
        if str(key) not in ids:
            _fail(_("A mark is for someone who is not a candidate in this round."), "marks")
        if mark not in rules.MARKS:
            _fail(_("Marks are yes, no or abstain."), "marks")
        clean[str(key)] = mark
    names = [w.strip() for w in write_ins if w and w.strip()]
    if len(names) > rnd.seats:
        _fail(_("At most %(n)s write-in lines.") % {"n": rnd.seats}, "write_ins")
    return clean, names


def _require_open(rnd: Round) -> None:
    if rnd.certified_at is not None:
        _fail(_("This round is certified: its ballots can no longer change."))
    if Round.objects.filter(recount_of=rnd).exists():
        _fail(_("This round was superseded by a recount."))


@transaction.atomic
def ballot_enter(
    *, by, rnd: Round, paper_number: int, entry: int, counter: Voter, marks: dict, write_ins: list[str]
) -> Ballot:
    """A counter enters one paper ballot. Each paper is entered twice, by two different counters."""
    # FOR NO KEY UPDATE: entries queue behind each other, but a phone vote's foreign-key check on the round
    # (FOR KEY SHARE, at its commit) does not wait for it: with FOR UPDATE, a phone vote holding the paper's
    # row and this entry holding the round deadlocked (PostgreSQL).
    rnd = Round.objects.select_for_update(no_key=True).get(pk=rnd.pk)
    _require_open(rnd)
    if entry not in (1, 2):
        _fail(_("The entry is first or second."), "entry")
    if counter.election_id != rnd.election_id or counter.role != VoterRole.COUNTER:
        _fail(_("%(name)s is not a counter of this meeting.") % {"name": counter.name}, "counter")
    paper = rnd.papers.filter(number=paper_number).first()
    if paper is None:
        _fail(_("No paper number %(n)s was issued in this round.") % {"n": paper_number}, "paper_number")
    if paper.cast == BallotSource.PHONE:
        _fail(_("Paper %(n)s was already voted by phone.") % {"n": paper_number}, "paper_number")
    other = (
        rnd.ballots.filter(source=BallotSource.PAPER, paper_number=paper_number).exclude(entry=entry).first()
    )
    if other is not None and other.counter_id == counter.pk:
        _fail(_("The second entry must be made by a different counter."), "counter")
    clean, names = _check_marks(rnd, marks, write_ins)
    # Claim the paper for paper entry before writing the ballot (compare-and-set, like phone_vote): a phone
    # vote with its code at this moment waits for the row and is then refused; had the phone been first,
    # this refuses, so a paper never has both a phone ballot and a paper entry.
    claimed = BallotPaper.objects.filter(pk=paper.pk, cast__in=["", BallotSource.PAPER]).update(
        cast=BallotSource.PAPER
    )
    if not claimed:
        _fail(_("Paper %(n)s was already voted by phone.") % {"n": paper_number}, "paper_number")
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(
                round=rnd, source=BallotSource.PAPER, paper_number=paper_number, entry=entry, counter=counter,
                entered_by=by, marks=clean, write_ins=names,
            )  # fmt: skip
    except IntegrityError:
        _fail(_("Paper %(n)s already has its entry %(e)s.") % {"n": paper_number, "e": entry}, "paper_number")
    _event(
        rnd.election,
        by,
        "ballot",
        _("Round %(r)s: paper %(n)s, entry %(e)s by %(c)s")
        % {"r": rnd.number, "n": paper_number, "e": entry, "c": counter.name},
    )
    return ballot


class CodeRefused(ElectionError):
    pass


@transaction.atomic
def phone_vote(*, code: str, marks: dict, write_ins: list[str]) -> Ballot:
    """A delegate votes with the one-time code printed on their paper: no login, anonymous, counted once.

    The code is claimed with a compare-and-set UPDATE, so of any number of simultaneous uses one wins.
    """
    code = (code or "").strip().upper()
    paper = BallotPaper.objects.filter(code=code).only("pk", "round_id").first()
    if paper is None:
        raise CodeRefused(
            {"code": [_("This voting code is not known. Check the code on your ballot paper.")]}
        )
    # The round first (as a counter's entry does, so the two lock in one order): certification holds it
    # FOR UPDATE, so a vote either commits before the count is taken or sees the round certified.
    # FOR NO KEY UPDATE: votes queue behind each other only for the few milliseconds of their INSERT.
    rnd = Round.objects.select_for_update(no_key=True).get(pk=paper.round_id)
    if rnd.certified_at is not None or Round.objects.filter(recount_of=rnd).exists():
        raise CodeRefused({"code": [_("This vote is closed.")]})
    clean, names = _check_marks(rnd, marks, write_ins)
    claimed = BallotPaper.objects.filter(pk=paper.pk, cast="").update(
        cast=BallotSource.PHONE, code_used_at=timezone.now()
    )
    if claimed != 1:
        raise CodeRefused({"code": [_("This voting code has already been used. Each code votes once.")]})
    return Ballot.objects.create(round=rnd, source=BallotSource.PHONE, marks=clean, write_ins=names)


@dataclass
class Count_:
    """Where the entry of a round stands: agreed ballots go to the tally; the rest must be fixed first."""

    agreed: list[Ballot]
    phone: list[Ballot]
    mismatched: list[int]  # paper numbers whose two entries differ
    single: list[int]  # paper numbers with one entry only
    result: rules.TallyResult | None = None

    @property
    def ready(self) -> bool:
        return not self.mismatched and not self.single


def round_count(rnd: Round) -> Count_:
    papers: dict[int, dict[int, Ballot]] = {}
    phone = []
    for ballot in rnd.ballots.all():
        if ballot.source == BallotSource.PHONE:
            phone.append(ballot)
        else:
            papers.setdefault(ballot.paper_number, {})[ballot.entry] = ballot
    agreed, mismatched, single = [], [], []
    for number, entries in sorted(papers.items()):
        if len(entries) < 2:
            single.append(number)
        elif entries[1].same_marks(entries[2]):
            agreed.append(entries[1])
        else:
            mismatched.append(number)
    count = Count_(agreed=agreed, phone=phone, mismatched=mismatched, single=single)
    candidates = {str(c.pk): c.name for c in rnd.candidates.all()}
    ballots = [
        rules.BallotMarks(
            marks={candidates[k]: v for k, v in b.marks.items() if k in candidates},
            write_ins=tuple(b.write_ins),
        )
        for b in agreed + phone
    ]
    election = rnd.election
    min_seats = None
    if rnd.stage == Stage.CONGRESS:
        already = election.candidates.filter(elected=True).count()
        min_seats = max(0, election.min_committee_size - already)
    count.result = rules.tally(
        list(candidates.values()),
        ballots,
        rules.Rules(
            seats=rnd.seats,
            voters_present=rnd.voters_present,
            ballots_issued=rnd.papers.count(),
            min_seats=min_seats,
            ballots_returned=rnd.papers_returned,
        ),
    )
    return count


def _result_json(result: rules.TallyResult) -> dict:
    return {
        "void": result.void, "returned": result.returned, "valid": result.valid, "invalid": result.invalid,
        "threshold": result.threshold, "votes": [list(v) for v in result.votes], "elected": list(result.elected),
        "tied": list(result.tied), "tie_seats": result.tie_seats, "shortfall": result.shortfall,
        "shortfall_candidates": list(result.shortfall_candidates), "may_reduce_seats": result.may_reduce_seats,
        "next_step": result.next_step,
    }  # fmt: skip


@transaction.atomic
def papers_returned_record(*, by, rnd: Round, returned: int) -> Round:
    """Counters and scrutineers count the papers in the box (plus phone votes) before reading the marks."""
    rnd = Round.objects.select_for_update().get(pk=rnd.pk)
    _require_open(rnd)
    if returned < 0:
        _fail(_("Count the papers returned."), "returned")
    rnd.papers_returned = returned
    rnd.save(update_fields=["papers_returned"])
    issued = rnd.papers.count()
    note = _(" — more than the %(i)s issued: the vote is void") % {"i": issued} if returned > issued else ""
    _event(
        rnd.election,
        by,
        "returned",
        _("Round %(r)s: %(n)s ballots returned%(note)s") % {"r": rnd.number, "n": returned, "note": note},
    )
    return rnd


@transaction.atomic
def round_certify(*, by, rnd: Round) -> Round:
    election = _lock(rnd.election)
    rnd = Round.objects.select_for_update().get(pk=rnd.pk)
    _require_open(rnd)
    count = round_count(rnd)
    if count.mismatched:
        _fail(
            _("The two entries differ for papers %(n)s: check the papers and correct before certifying.")
            % {"n": ", ".join(map(str, count.mismatched))}
        )
    if count.single:
        _fail(_("Papers %(n)s have only one entry.") % {"n": ", ".join(map(str, count.single))})
    result = count.result
    rnd.result = _result_json(result)
    rnd.certified_at = timezone.now()
    rnd.certified_by = by
    rnd.save(update_fields=["result", "certified_at", "certified_by"])
    names = {c.name: c for c in rnd.candidates.all()}
    elected = []
    for name in result.elected:
        candidate = names.get(name) or election.candidates.filter(name=name).first()
        if candidate is None:  # a write-in elected
            candidate = Candidate.objects.create(
                election=election, name=name, source=Source.WRITE_IN, sector="—"
            )
        elected.append(candidate)
    if rnd.stage == Stage.CONGRESS:
        for c in elected:
            c.elected = True
            c.save(update_fields=["elected"])
    else:
        for c in elected:
            c.post = rnd.post
            c.save(update_fields=["post"])
    if result.void:
        summary = _("void: %(r)s returned, more than %(i)s issued") % {
            "r": result.returned,
            "i": rnd.papers.count(),
        }
    else:
        summary = _("valid %(v)s, invalid %(i)s; elected: %(e)s") % {
            "v": result.valid,
            "i": result.invalid,
            "e": "、".join(result.elected) or "—",
        }
    _event(election, by, "certified", _("Round %(n)s certified: %(s)s") % {"n": rnd.number, "s": summary})
    _advance_after_round(election, by)
    return rnd


def _advance_after_round(election: Election, by) -> None:
    if election.state == State.CONGRESS:
        if election.candidates.filter(elected=True).count() >= election.committee_seats:
            _set_state(election, State.COMMITTEE, by, _("The committee is elected."))
    elif election.state == State.COMMITTEE:
        secretaries = election.candidates.filter(post=Post.SECRETARY).count()
        deputies = election.candidates.filter(post=Post.DEPUTY).count()
        if secretaries >= election.secretary_seats and deputies >= election.deputy_seats:
            election.candidates.filter(elected=True, post="").update(post=Post.MEMBER)
            _set_state(election, State.REPORT, by, _("Secretary and deputies elected."))


@transaction.atomic
def round_next(*, by, election: Election, reason: str = "") -> Round:
    """Open the round the last certified one calls for: a revote, a run-off among the tied, or a shortfall vote."""
    election = _lock(election)
    _require_state(election, State.CONGRESS, State.COMMITTEE)
    if open_round(election) is not None:
        _fail(_("A round is still open: certify it first."))
    last = election.rounds.filter(certified_at__isnull=False).order_by("-number").first()
    if last is None or last.result["next_step"] == rules.NONE:
        _fail(_("No further round is called for."))
    result = last.result
    by_name = {c.name: c for c in election.candidates.all()}
    if result["next_step"] == rules.REVOTE:
        kind, seats, cands = RoundKind.REVOTE, last.seats, list(last.candidates.all())
    elif result["next_step"] == rules.TIE_ROUND:
        kind, seats, cands = RoundKind.TIE, result["tie_seats"], [by_name[n] for n in result["tied"]]
    else:
        kind, seats = RoundKind.SHORTFALL, result["shortfall"]
        cands = [by_name[n] for n in result["shortfall_candidates"] if n in by_name]
        if len(cands) < seats:
            _fail(_("Too few candidates remain for a further vote; reduce the seats or nominate again."))
    return _open_round(
        election=election, by=by, stage=last.stage, post=last.post, kind=kind, seats=seats, candidates=cands,
        present=last.voters_present, entitled=last.entitled, reason=reason or str(RoundKind(kind).label),
    )  # fmt: skip


@transaction.atomic
def seats_reduce(*, by, election: Election) -> Election:
    """Settle a shortfall by reducing the member seats, where the elected still meet the size rule."""
    election = _lock(election)
    _require_state(election, State.CONGRESS)
    last = (
        election.rounds.filter(certified_at__isnull=False, stage=Stage.CONGRESS).order_by("-number").first()
    )
    if last is None or not last.result.get("may_reduce_seats") or open_round(election) is not None:
        _fail(
            _("Seats can be reduced only after a shortfall where the elected meet the committee's size rule.")
        )
    shortfall = last.result["shortfall"]
    if shortfall > election.member_seats:
        _fail(_("Only member seats can be reduced."))
    election.seats_reduced_by = F("seats_reduced_by") + shortfall
    election.save(update_fields=["seats_reduced_by"])
    election.refresh_from_db(fields=["seats_reduced_by"])
    _event(election, by, "seats_reduced", _("Member seats reduced by %(n)s.") % {"n": shortfall})
    _advance_after_round(election, by)
    return election


@transaction.atomic
def recount(*, by, rnd: Round, reason: str) -> Round:
    """Append a recount of an uncertified round: the same papers are entered again; phone votes carry over."""
    election = _lock(rnd.election)
    _require_open(rnd)
    if not reason.strip():
        _fail(_("Give the reason for the recount."), "reason")
    new = _open_round(
        election=election, by=by, stage=rnd.stage, post=rnd.post, kind=RoundKind.RECOUNT, seats=rnd.seats,
        candidates=list(rnd.candidates.all()), present=rnd.voters_present, entitled=rnd.entitled,
        reason=reason.strip(), recount_of=rnd,
    )  # fmt: skip
    # The same papers: those cast by phone stay cast (their ballots carry over); paper ones are entered anew.
    phone_numbers = list(rnd.papers.filter(cast=BallotSource.PHONE).values_list("number", flat=True))
    new.papers.filter(number__in=phone_numbers).update(cast=BallotSource.PHONE, code_used_at=timezone.now())
    new.papers.exclude(number__in=phone_numbers).update(
        cast=BallotSource.PAPER
    )  # no phone votes in a recount
    Ballot.objects.bulk_create(
        [Ballot(round=new, source=BallotSource.PHONE, marks=b.marks, write_ins=b.write_ins, entered_at=b.entered_at)
         for b in rnd.ballots.filter(source=BallotSource.PHONE)]
    )  # fmt: skip
    return new


# --- committee meeting --------------------------------------------------------------------------------


@transaction.atomic
def officer_round_open(
    *, by, election: Election, post: str, candidates: list[Candidate], voters_present: int
) -> Round:
    election = _lock(election)
    _require_state(election, State.COMMITTEE)
    if open_round(election) is not None:
        _fail(_("A round is still open: certify it first."))
    if post not in (Post.SECRETARY, Post.DEPUTY):
        _fail(_("The committee meeting elects the secretary and the deputies."), "post")
    if (
        post == Post.DEPUTY
        and election.candidates.filter(post=Post.SECRETARY).count() < election.secretary_seats
    ):
        _fail(_("Elect the secretary first."), "post")
    members = election.candidates.filter(elected=True)
    seats = election.secretary_seats if post == Post.SECRETARY else election.deputy_seats
    seats -= election.candidates.filter(post=post).count()
    if seats < 1:
        _fail(_("These seats are already filled."), "post")
    ids = {c.pk for c in candidates}
    chosen = list(members.filter(pk__in=ids, post=""))
    if len(chosen) != len(ids) or not chosen:
        _fail(_("Candidates must be members of the new committee without a post yet."), "candidates")
    if len(chosen) < seats:
        _fail(_("At least %(n)s candidates are needed.") % {"n": seats}, "candidates")
    if len(chosen) == seats and not election.officers_uncontested:
        _fail(_("This election's rules ask for more candidates than seats (差额)."), "candidates")
    entitled = members.count()
    if not 0 < voters_present <= entitled:
        _fail(
            _("Voters present must be between 1 and %(n)s (the committee).") % {"n": entitled},
            "voters_present",
        )
    if not rules.has_quorum(voters_present, entitled, election.quorum_numerator, election.quorum_denominator):
        _fail(
            _("No quorum: %(p)s of %(e)s committee members present.") % {"p": voters_present, "e": entitled},
            "voters_present",
        )
    return _open_round(
        election=election, by=by, stage=Stage.COMMITTEE, post=post, kind=RoundKind.REGULAR, seats=seats,
        candidates=chosen, present=voters_present, entitled=entitled,
    )  # fmt: skip


# --- report, publicity, objections, appointment ------------------------------------------------------


@transaction.atomic
def report_approve(*, by, election: Election, approved_by: str, approved_on: datetime.date) -> Election:
    election = _lock(election)
    _require_state(election, State.REPORT)
    if not approved_by.strip():
        _fail(_("Record who approved the report."), "approved_by")
    election.approved_by, election.approved_on = approved_by.strip(), approved_on
    election.save(update_fields=["approved_by", "approved_on"])
    _event(
        election, by, "approved", _("Approved by %(who)s on %(on)s") % {"who": approved_by, "on": approved_on}
    )
    return election


@transaction.atomic
def publicity_open(*, by, election: Election, start: datetime.date) -> Election:
    election = _lock(election)
    _require_state(election, State.REPORT)
    if not election.approved_on:
        _fail(_("Record the approval of the report first."))
    if start < election.approved_on:
        _fail(_("Publicity cannot start before the approval."), "start")
    election.publicity_start = start
    election.publicity_end = add_working_days(start, election.publicity_working_days)
    election.save(update_fields=["publicity_start", "publicity_end"])
    _set_state(
        election, State.PUBLICITY, by,
        _("Publicity from %(s)s to %(e)s (%(n)s working days)")
        % {"s": start, "e": election.publicity_end, "n": election.publicity_working_days},
    )  # fmt: skip
    return election


@transaction.atomic
def objection_submit(
    *, election: Election, name: str, contact: str, about: str = "", content: str
) -> Objection:
    election = _lock(election)
    if election.state != State.PUBLICITY:
        _fail(_("This notice no longer takes objections."))
    if timezone.localdate() < election.publicity_start:
        _fail(_("The publicity period has not started yet."))
    for field_name, value, message in (
        ("name", name, _("Your name is required.")),
        ("contact", contact, _("A phone number or e-mail is required, so the committee can answer you.")),
        ("content", content, _("Write your objection.")),
    ):
        if not value.strip():
            _fail(message, field_name)
    objection = Objection.objects.create(
        election=election,
        name=name.strip(),
        contact=contact.strip(),
        about=about.strip(),
        content=content.strip(),
    )
    _event(election, None, "objection", _("Objection received from %(name)s") % {"name": objection.name})
    return objection


@transaction.atomic
def objection_resolve(*, by, objection: Objection, resolution: str, upheld: bool) -> Objection:
    election = _lock(objection.election)
    _require_state(election, State.PUBLICITY)
    if not resolution.strip():
        _fail(_("Say how the objection was resolved."), "resolution")
    objection.resolution, objection.upheld = resolution.strip(), upheld
    objection.resolved_at, objection.resolved_by = timezone.now(), by
    objection.save(update_fields=["resolution", "upheld", "resolved_at", "resolved_by"])
    _event(election, by, "objection_resolved", f"{objection.name}: {resolution.strip()}")
    return objection


@transaction.atomic
def appoint(
    *,
    by,
    election: Election,
    on: datetime.date,
    term: Term | None = None,
    new_term_number: int | None = None,
    new_term_end: datetime.date | None = None,
) -> Election:
    """Formal appointment: fill the lineup seats of the committee term from the result, in one step.

    The term is the one given, else the election's own, else a new term starting on `on` (number and end
    given); league's lineup services check the seats (one secretary, nobody twice, dates in the term).
    """
    election = _lock(election)
    _require_state(election, State.PUBLICITY)
    if on <= election.publicity_end:
        _fail(
            _("Publicity runs until %(end)s: appointment is possible from the next day.")
            % {"end": election.publicity_end},
            "on",
        )
    open_objections = election.objections.filter(resolved_at__isnull=True).count()
    if open_objections:
        _fail(_("%(n)s objections are not resolved yet.") % {"n": open_objections})
    if election.objections.filter(upheld=True).exists():
        _fail(_("An objection was upheld: the result must be reconsidered before appointment."))
    term = term or election.term
    try:
        if term is None:
            if not new_term_number or not new_term_end:
                _fail(
                    _(
                        "Choose the committee term the elected will serve, or give the number and end of a new one."
                    ),
                    "term",
                )
            term = services_lineups.term_create(
                by=by, organization=election.organization, number=new_term_number, start=on, end=new_term_end
            )
        if term.organization_id != election.organization_id:
            _fail(_("The term belongs to another committee."), "term")
        committee = lineup.appointed_committee(election)
        lineup.fill_term(election=election, term=term, committee=committee, by=by, on=on)
    except ElectionError:
        raise
    except ValidationError as exc:
        raise ElectionError(exc.messages) from exc
    election.appointed_on = on
    election.term = term
    election.save(update_fields=["appointed_on", "term"])
    _set_state(
        election, State.APPOINTED, by,
        _("Appointed on %(on)s: %(n)s seats of term %(term)s filled.")
        % {"on": on, "n": len(committee), "term": term.number},
    )  # fmt: skip
    return election


def certified_rounds_summary(election: Election):
    return election.rounds.filter(certified_at__isnull=False).annotate(n=Count("ballots"))
