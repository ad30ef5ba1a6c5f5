"""Elections: seat design, nominations, screening, the roll, ballots, rounds, publicity and appointment.

An election belongs to a street/township organization and (when lineups exist) a committee term. Its rule
numbers are stored on it (defaults from DESIGN.md "Election rules"), editable until it starts. Every step
is written by elections/services.py and leaves an AuditEvent; the database refuses to change an audit
event or a certified round, and refuses ballots for a certified round (triggers in migration 0002).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from league.models import Organization, Person, Term

from . import tally as rules


class State(models.TextChoices):
    DESIGN = "design", _("Seat design")
    NOMINATION = "nomination", _("Nomination")
    SCREENING = "screening", _("Screening")
    FORMAL = "formal", _("Formal candidates")
    CONGRESS = "congress", _("Congress")
    COMMITTEE = "committee", _("Committee meeting")
    REPORT = "report", _("Report for approval")
    PUBLICITY = "publicity", _("Publicity")
    APPOINTED = "appointed", _("Appointed")


STATE_ORDER = [s.value for s in State]


class CongressKind(models.TextChoices):
    MEMBERS = "members", _("Members' meeting (团员大会)")
    DELEGATES = "delegates", _("Delegates' congress (团代会)")


class ElectionQuerySet(models.QuerySet):
    def with_counts(self) -> ElectionQuerySet:
        return self.annotate(
            candidate_count=models.Count("candidates", distinct=True),
            formal_count=models.Count("candidates", filter=Q(candidates__is_formal=True), distinct=True),
        )


class Election(models.Model):
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="elections"
    )
    title = models.CharField(_("title"), max_length=120)
    term_label = models.CharField(_("committee term"), max_length=60, blank=True, help_text=_("e.g. 第三届"))
    term = models.ForeignKey(
        Term, verbose_name=_("lineup term"), null=True, blank=True, on_delete=models.PROTECT, related_name="elections",
        help_text=_("The committee term whose lineup seats the elected fill."),
    )  # fmt: skip
    congress_kind = models.CharField(
        _("congress"), max_length=20, choices=CongressKind.choices, default=CongressKind.MEMBERS
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DESIGN)
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True)
    # Seat design (设岗定责)
    secretary_seats = models.PositiveSmallIntegerField(_("secretary seats"), default=1)
    deputy_seats = models.PositiveSmallIntegerField(_("deputy secretary seats"), default=3)
    member_seats = models.PositiveSmallIntegerField(_("other committee member seats"), default=5)
    # Rules: defaults from DESIGN.md, editable before the election starts, frozen after.
    recommend_margin_pct = models.PositiveSmallIntegerField(
        _("contested margin, recommended list (%)"), default=20
    )
    formal_margin_pct = models.PositiveSmallIntegerField(_("contested margin, formal list (%)"), default=10)
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum numerator"), default=4)
    quorum_denominator = models.PositiveSmallIntegerField(_("quorum denominator"), default=5)
    publicity_working_days = models.PositiveSmallIntegerField(_("publicity working days"), default=5)
    officers_uncontested = models.BooleanField(
        _("secretary and deputies may be elected uncontested"), default=True
    )
    min_committee_size = models.PositiveSmallIntegerField(_("minimum committee size"), default=9)
    max_committee_size = models.PositiveSmallIntegerField(_("maximum committee size"), default=21)
    seats_reduced_by = models.PositiveSmallIntegerField(_("seats reduced by"), default=0)
    # Confirmations, approval, publicity, appointment
    party_confirmed_by = models.CharField(_("confirmed by (party committee)"), max_length=120, blank=True)
    party_confirmed_on = models.DateField(_("confirmed on"), null=True, blank=True)
    approved_by = models.CharField(_("approved by"), max_length=120, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    publicity_start = models.DateField(_("publicity start"), null=True, blank=True)
    publicity_end = models.DateField(_("publicity end"), null=True, blank=True)
    appointed_on = models.DateField(_("appointed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    history = HistoricalRecords()
    objects = ElectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(secretary_seats__gte=1), name="election_secretary_seat"),
            models.CheckConstraint(condition=Q(quorum_denominator__gte=1), name="election_quorum_den"),
            models.CheckConstraint(
                condition=Q(quorum_numerator__lte=models.F("quorum_denominator")), name="election_quorum_le_1"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def committee_seats(self) -> int:
        return self.secretary_seats + self.deputy_seats + self.member_seats - self.seats_reduced_by

    def recommended_minimum(self) -> int:
        return rules.contested_minimum(self.committee_seats, self.recommend_margin_pct)

    def formal_minimum(self) -> int:
        return rules.contested_minimum(self.committee_seats, self.formal_margin_pct)

    @property
    def rules_frozen(self) -> bool:
        return self.state != State.DESIGN

    def reached(self, state: str) -> bool:
        return STATE_ORDER.index(self.state) >= STATE_ORDER.index(state)

    @property
    def is_public(self) -> bool:
        return self.state in (State.PUBLICITY, State.APPOINTED) and self.publicity_start is not None


class SeatQuota(models.Model):
    """Category quotas for committee members (e.g. 2 青年致富带头人); the category list is data."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="quotas")
    category = models.CharField(_("category"), max_length=60)
    seats = models.PositiveSmallIntegerField(_("seats"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("category quota")
        verbose_name_plural = _("category quotas")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["election", "category"], name="quota_unique_category")]

    def __str__(self) -> str:
        return f"{self.category} × {self.seats}"


class Source(models.TextChoices):
    ORGANIZATION = "organization", _("Organization recommendation (组织推荐)")
    MEMBERS = "members", _("Members and youth recommendation (团员青年推荐)")
    SELF = "self", _("Self-nomination (个人自荐)")
    WRITE_IN = "write_in", _("Write-in (另选他人)")


class Gender(models.TextChoices):
    MALE = "m", _("Male")
    FEMALE = "f", _("Female")


class Vetting(models.TextChoices):
    PENDING = "pending", pgettext_lazy("vetting", "Pending")
    PASSED = "passed", _("Passed")
    FAILED = "failed", pgettext_lazy("vetting", "Failed")


class Post(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    DEPUTY = "deputy", _("Deputy secretary")
    MEMBER = "member", _("Committee member")


class Candidate(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=40)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    unit = models.CharField(_("work unit"), max_length=120, blank=True)
    sector = models.CharField(_("sector or youth group represented"), max_length=60, blank=True)
    category = models.CharField(_("category"), max_length=60, blank=True)
    source = models.CharField(_("nominated by"), max_length=20, choices=Source.choices)
    contact = models.CharField(_("contact"), max_length=60, blank=True)
    bio = models.TextField(_("short bio"), blank=True)
    pledge = models.TextField(_("pledge (竞选承诺)"), blank=True)
    written_score = models.DecimalField(
        _("written test"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    interview_score = models.DecimalField(
        _("interview"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    vetting = models.CharField(_("vetting"), max_length=10, choices=Vetting.choices, default=Vetting.PENDING)
    screening_notes = models.TextField(_("screening notes"), blank=True)
    is_formal = models.BooleanField(_("formal candidate"), default=False)
    elected = models.BooleanField(_("elected to the committee"), default=False)
    post = models.CharField(_("post"), max_length=20, choices=Post.choices, blank=True)
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="candidacies",
    )
    created_at = models.DateTimeField(_("nominated"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["election", "name"], name="candidate_unique_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def total_score(self):
        if self.written_score is None and self.interview_score is None:
            return None
        return (self.written_score or 0) + (self.interview_score or 0)

    @property
    def passed_screening(self) -> bool:
        return self.vetting == Vetting.PASSED


class VoterRole(models.TextChoices):
    VOTER = "voter", _("Voter")
    COUNTER = "counter", _("Counter (计票人)")
    SCRUTINEER = "scrutineer", _("Scrutineer (监票人)")


class Voter(models.Model):
    """One line of the congress roll: a member or delegate, grouped by sector."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="voters")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=40)
    sector = models.CharField(_("sector group"), max_length=60, blank=True)
    credentials_checked = models.BooleanField(_("credentials checked"), default=False)
    on_probation = models.BooleanField(_("on probation (留团察看)"), default=False)
    present = models.BooleanField(_("present"), default=False)
    role = models.CharField(
        _("role at the meeting"), max_length=12, choices=VoterRole.choices, default="voter"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("voter")
        verbose_name_plural = _("voters")
        ordering = ["sector", "id"]
        constraints = [models.UniqueConstraint(fields=["election", "name"], name="voter_unique_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def entitled(self) -> bool:
        return not self.on_probation and (
            self.election.congress_kind != CongressKind.DELEGATES or self.credentials_checked
        )


class Stage(models.TextChoices):
    CONGRESS = "congress", _("Congress")
    COMMITTEE = "committee", _("Committee meeting")


class RoundKind(models.TextChoices):
    REGULAR = "regular", _("Regular")
    TIE = "tie", _("Run-off among the tied")
    SHORTFALL = "shortfall", _("Further vote for the shortfall (另行选举)")
    REVOTE = "revote", _("Vote again (void vote)")
    RECOUNT = "recount", _("Recount")


class Round(models.Model):
    """One vote: its candidates, seats, papers issued, entries; certified once, never changed after."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("round"))
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    post = models.CharField(_("post"), max_length=20, choices=Post.choices, default=Post.MEMBER)
    kind = models.CharField(_("kind"), max_length=12, choices=RoundKind.choices, default=RoundKind.REGULAR)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    recount_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    seats = models.PositiveSmallIntegerField(_("seats"))
    candidates = models.ManyToManyField(Candidate, related_name="rounds", verbose_name=_("candidates"))
    voters_present = models.PositiveIntegerField(_("voters present"))
    papers_returned = models.PositiveIntegerField(_("papers in the ballot box"), null=True, blank=True)
    entitled = models.PositiveIntegerField(_("voters entitled"))
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    result = models.JSONField(_("result"), null=True, blank=True)
    certified_at = models.DateTimeField(_("certified"), null=True, blank=True)
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["election", "number"]
        constraints = [
            models.UniqueConstraint(fields=["election", "number"], name="round_unique_number"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="round_seats_positive"),
            models.CheckConstraint(
                condition=Q(certified_at__isnull=True) | Q(result__isnull=False),
                name="round_certified_has_result",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.election} · {self.number}"

    @property
    def certified(self) -> bool:
        return self.certified_at is not None


class BallotPaper(models.Model):
    """A numbered paper, printed with a one-time phone code. Issued papers = rows of the round."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="papers")
    number = models.PositiveIntegerField(_("paper number"))
    code = models.CharField(_("voting code"), max_length=16, unique=True)
    cast = models.CharField(_("cast"), max_length=8, blank=True, help_text=_("paper or phone, once cast"))
    code_used_at = models.DateTimeField(_("code used"), null=True, blank=True)

    class Meta:
        verbose_name = _("ballot paper")
        verbose_name_plural = _("ballot papers")
        ordering = ["round", "number"]
        constraints = [models.UniqueConstraint(fields=["round", "number"], name="paper_unique_number")]

    def __str__(self) -> str:
        return f"No. {self.number:03d}"


class BallotSource(models.TextChoices):
    PAPER = "paper", _("Paper")
    PHONE = "phone", pgettext_lazy("ballot source", "Phone")


class Ballot(models.Model):
    """A ballot as recorded. Paper ballots are entered twice (entry 1 and 2, by two counters); a paper
    counts once both entries agree. Phone ballots carry no paper number, so they stay anonymous."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="ballots")
    source = models.CharField(_("source"), max_length=8, choices=BallotSource.choices)
    paper_number = models.PositiveIntegerField(_("paper number"), null=True, blank=True)
    entry = models.PositiveSmallIntegerField(_("entry"), default=1)
    counter = models.ForeignKey(Voter, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    marks = models.JSONField(_("marks"), default=dict)  # {candidate id: yes|no|abstain}
    write_ins = models.JSONField(_("write-ins"), default=list)
    entered_at = models.DateTimeField(_("entered"), default=timezone.now)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["round", "paper_number", "entry", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "paper_number", "entry"],
                condition=Q(source="paper"),
                name="ballot_unique_paper_entry",
            ),
            models.CheckConstraint(
                condition=Q(source="phone", paper_number__isnull=True, counter__isnull=True)
                | Q(source="paper", paper_number__isnull=False, entry__in=[1, 2]),
                name="ballot_source_shape",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.get_source_display()} {self.paper_number or ''}"

    def same_marks(self, other: Ballot) -> bool:
        return self.marks == other.marks and sorted(self.write_ins) == sorted(other.write_ins)


class Objection(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="objections")
    name = models.CharField(_("your name"), max_length=40)
    contact = models.CharField(_("contact (phone or e-mail)"), max_length=80)
    about = models.CharField(_("about whom"), max_length=40, blank=True)
    content = models.TextField(_("objection"))
    submitted_at = models.DateTimeField(pgettext_lazy("objection", "submitted"), default=timezone.now)
    resolution = models.TextField(_("resolution"), blank=True)
    upheld = models.BooleanField(_("upheld"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["submitted_at", "id"]

    def __str__(self) -> str:
        return f"{self.name}: {self.content[:30]}"


class AuditEvent(models.Model):
    """Append-only: the database refuses UPDATE and DELETE (triggers in migration 0002)."""

    election = models.ForeignKey(
        Election, on_delete=models.DO_NOTHING, related_name="events", db_constraint=True
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+"
    )
    by_name = models.CharField(_("by"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=60)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The last day of a period of `days` working days (Monday–Friday) starting on `start`."""
    day = start
    counted = 0
    while True:
        if day.weekday() < 5:
            counted += 1
            if counted >= days:
                return day
        day += datetime.timedelta(days=1)
