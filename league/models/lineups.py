"""The "1+3+X" committee lineups: people, member categories, lineup rules, terms (届), seats, division of
work (分工) and supervision (承诺, 述职评议, 推荐推优, 承诺辞职).

The committee is the street/township `Organization` itself; it has terms (`Term`), and a term has seats
(`Seat`): who held which post, from when to when, how they came to it. A seat is *active* on a date when
`start <= date` and (`end` is empty or `end > date`): `end` is the first day the person no longer holds it.

Whether a lineup is complete (配齐) is decided by a `LineupRule` (data, not code): `LineupRule.evaluate()`
takes the counts of a lineup (`LineupCounts`) and returns the rules broken (`Breach`) and the vacant seats
(`Vacancy`, with the date since when). `Term.status(on=...)` evaluates one term; many committees at once
go through `league.lineups.lineup_statuses()` / `completion_stats()` in a constant number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from ..validators import validate_id_number, validate_phone
from .tree import Organization, Region, uncased

LEAGUE_AGE_MIN = 14
LEAGUE_AGE_MAX = 28


# --- choices ---------------------------------------------------------------------------------------------


class Gender(models.TextChoices):
    MALE = "m", _("Male")
    FEMALE = "f", _("Female")


class PoliticalStatus(models.TextChoices):
    PARTY_MEMBER = "party_member", _("CPC member")
    PROBATIONARY = "probationary", _("CPC probationary member")
    LEAGUE_MEMBER = "league_member", _("League member")
    MASSES = "masses", _("Masses")
    OTHER = "other", _("Other")


class SeatRole(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    DEPUTY = "deputy", _("Deputy secretary")
    MEMBER = "member", _("Committee member")


ROLE_ORDER = {SeatRole.SECRETARY: 0, SeatRole.DEPUTY: 1, SeatRole.MEMBER: 2}


class Establishment(models.TextChoices):
    INSIDE = "inside", _("In establishment (编制内)")
    OUTSIDE = "outside", _("Out of establishment (编制外)")


class Employment(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time (专职)")
    PART_TIME = "part_time", _("Part-time (兼职)")
    SECONDED = "seconded", _("Seconded (挂职)")


class HowObtained(models.TextChoices):
    ELECTION = "election", _("Election")
    APPOINTMENT = "appointment", _("Appointment")
    BY_ELECTION = "by_election", _("By-election")


class EndReason(models.TextChoices):
    TERM_END = "term_end", _("End of term")
    RESIGNED = "resigned", _("Resigned")
    ORDERED = "ordered", _("Ordered to resign (责令辞职)")
    TRANSFERRED = "transferred", _("Transferred")
    OTHER = "other", _("Other")


class AssignmentKind(models.TextChoices):
    REGION = "region", _("Region (片区)")
    SECTOR = "sector", pgettext_lazy("assignment kind", "Sector")
    YOUTH_GROUP = "youth_group", _("Youth group")


class TalkOutcome(models.TextChoices):
    PENDING = "pending", _("Watching")
    IMPROVED = "improved", _("Improved")
    NO_CHANGE = "no_change", _("No change")


class RecommendationOutcome(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


# --- people ---------------------------------------------------------------------------------------------


class MemberCategory(models.Model):
    """A category committee members come from (青年致富带头人, 选调生 …). Admins extend the list."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("member category")
        verbose_name_plural = _("member categories")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(models.QuerySet):
    def search(self, text: str) -> PersonQuerySet:
        text = (text or "").strip()
        if not text:
            return self
        if uncased(text):  # the same rows, without UPPER() on every name and employer
            return self.filter(Q(name__contains=text) | Q(employer__contains=text) | Q(phone=text))
        return self.filter(Q(name__icontains=text) | Q(employer__icontains=text) | Q(phone=text))


class Person(models.Model):
    """A young person who holds or may hold a seat. Personal data: visible only within the scope of
    `organization` (the organization that keeps the record)."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("kept by"), on_delete=models.PROTECT, related_name="people"
    )
    name = models.CharField(_("name"), max_length=40)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True, validators=[validate_id_number])
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    employer = models.CharField(_("employer/unit"), max_length=120, blank=True)
    political_status = models.CharField(
        _("political status"),
        max_length=20,
        choices=PoliticalStatus.choices,
        default=PoliticalStatus.LEAGUE_MEMBER,
    )
    youth_group = models.CharField(
        _("youth category"),
        max_length=60,
        blank=True,
        help_text=_("The sector or youth group the person represents, e.g. 电子商务, 餐饮娱乐."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    history = HistoricalRecords()
    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name", "id"]
        # The people list pages in this order: without the index the country's list sorted every person.
        indexes = [models.Index(fields=["name", "id"], name="person_name_id")]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"], condition=~Q(id_number=""), name="person_unique_id_number"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def age_on(self, on: dt.date | None = None) -> int | None:
        if not self.birth_date:
            return None
        on = on or timezone.localdate()
        b = self.birth_date
        return on.year - b.year - ((on.month, on.day) < (b.month, b.day))

    def age_warning(self, on: dt.date | None = None, *, holds_post: bool | None = None) -> str:
        """The league age rule (14–28, except those holding a league post), as a warning text or ""."""
        age = self.age_on(on)
        if age is None or LEAGUE_AGE_MIN <= age <= LEAGUE_AGE_MAX:
            return ""
        if holds_post is None:
            holds_post = self.seats.active(on).exists()
        if holds_post:
            return ""
        return str(
            _("Aged %(age)s: outside the league age of %(min)s–%(max)s and holding no league post.")
            % {"age": age, "min": LEAGUE_AGE_MIN, "max": LEAGUE_AGE_MAX}
        )


# --- rules ---------------------------------------------------------------------------------------------


@dataclass
class LineupCounts:
    """Active seats of one lineup on one date, and the end dates of seats that ended (for vacancy ages)."""

    secretaries: int = 0
    deputies: int = 0
    deputies_inside: int = 0
    deputies_outside: int = 0
    members: int = 0
    ended: dict[str, list[dt.date]] = field(default_factory=dict)  # role -> end dates

    @property
    def total(self) -> int:
        return self.secretaries + self.deputies + self.members

    def add(self, role: str, establishment: str, n: int = 1) -> None:
        if role == SeatRole.SECRETARY:
            self.secretaries += n
        elif role == SeatRole.DEPUTY:
            self.deputies += n
            if establishment == Establishment.OUTSIDE:
                self.deputies_outside += n
            else:
                self.deputies_inside += n
        else:
            self.members += n


@dataclass
class Breach:
    """A rule the lineup breaks: a stable `code` and a sentence saying why."""

    code: str
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class Vacancy:
    role: str
    since: dt.date | None
    on: dt.date | None = None  # the date the lineup was evaluated on

    @property
    def role_label(self) -> str:
        return str(SeatRole(self.role).label)

    def age_days(self, on: dt.date | None = None) -> int | None:
        if self.since is None:
            return None
        return ((on or self.on or timezone.localdate()) - self.since).days


@dataclass
class LineupStatus:
    """The verdict on one committee's lineup on a date."""

    organization_id: int
    on: dt.date
    rule: LineupRule
    term: Term | None = None
    counts: LineupCounts = field(default_factory=LineupCounts)
    breaches: list[Breach] = field(default_factory=list)
    vacancies: list[Vacancy] = field(default_factory=list)
    by_establishment: dict[str, int] = field(default_factory=dict)
    by_employment: dict[str, int] = field(default_factory=dict)
    by_category: dict[int | None, int] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.breaches

    @property
    def secretary_vacant(self) -> bool:
        return any(v.role == SeatRole.SECRETARY for v in self.vacancies)

    @property
    def oldest_vacancy_days(self) -> int | None:
        ages = [v.age_days(self.on) for v in self.vacancies if v.since]
        return max(ages) if ages else None


@dataclass(frozen=True)
class BreachCheck:
    """One bound of a lineup rule: `have` (a LineupCounts attribute) against `limit` (a LineupRule field).

    At least `limit` unless `at_most`; an empty limit (None) is no bound. The message is its own gettext
    string, formatted with %(have)s and the limit under `placeholder`.
    """

    code: str
    have: str
    limit: str
    at_most: bool
    message: str
    placeholder: str = ""

    def __post_init__(self):
        if not self.placeholder:
            object.__setattr__(self, "placeholder", "max" if self.at_most else "min")


BREACH_CHECKS = (
    BreachCheck("secretary_missing", "secretaries", "secretaries", False, _("The secretary seat is vacant.")),
    BreachCheck("secretary_extra", "secretaries", "secretaries", True, _("More than %(n)s secretary."), "n"),
    BreachCheck("deputies_too_few", "deputies", "deputies_min", False,
                _("%(have)s deputy secretaries; the rule asks at least %(min)s.")),
    BreachCheck("deputies_too_many", "deputies", "deputies_max", True,
                _("%(have)s deputy secretaries; the rule allows at most %(max)s.")),
    BreachCheck("deputies_outside_too_few", "deputies_outside", "deputies_outside_min", False,
                _("%(have)s out-of-establishment deputies; the rule asks at least %(min)s.")),
    BreachCheck("deputies_inside_too_few", "deputies_inside", "deputies_inside_min", False,
                _("%(have)s in-establishment deputies; the rule asks at least %(min)s.")),
    BreachCheck("members_too_few", "members", "members_min", False,
                _("%(have)s committee members; the rule asks at least %(min)s.")),
    BreachCheck("members_too_many", "members", "members_max", True,
                _("%(have)s committee members; the rule allows at most %(max)s.")),
    BreachCheck("size_too_small", "total", "size_min", False,
                _("The committee has %(have)s people; the rule asks at least %(min)s.")),
    BreachCheck("size_too_large", "total", "size_max", True,
                _("The committee has %(have)s people; the rule allows at most %(max)s.")),
)  # fmt: skip


def breach_messages() -> tuple[str, ...]:
    """The messages of BREACH_CHECKS in the active language, in their order (for LineupRule.evaluate)."""
    return tuple(str(check.message) for check in BREACH_CHECKS)


class LineupRule(models.Model):
    """How many seats a complete lineup holds ("1+3+X", "1+2+N" …): data, set per county or pilot program.

    A rule applies to a term set on the term, else to the nearest ancestor organization it is attached
    to (`organization`), else the default rule (`is_default`). A pilot program may point at one too.
    """

    name = models.CharField(_("name"), max_length=40, unique=True)
    description = models.TextField(_("description"), blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("applies under"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="lineup_rules",
        help_text=_("A county or city whose street/township committees follow this rule."),
    )
    is_default = models.BooleanField(_("default rule"), default=False)
    secretaries = models.PositiveSmallIntegerField(_("secretaries"), default=1)
    deputies_min = models.PositiveSmallIntegerField(_("deputies, at least"), default=3)
    deputies_max = models.PositiveSmallIntegerField(_("deputies, at most"), null=True, blank=True)
    deputies_outside_min = models.PositiveSmallIntegerField(
        _("out-of-establishment deputies, at least"), default=1
    )
    deputies_inside_min = models.PositiveSmallIntegerField(
        _("in-establishment deputies, at least"), default=1
    )
    members_min = models.PositiveSmallIntegerField(_("members (X), at least"), default=1)
    members_max = models.PositiveSmallIntegerField(_("members (X), at most"), null=True, blank=True)
    size_min = models.PositiveSmallIntegerField(_("committee size, at least"), default=9)
    size_max = models.PositiveSmallIntegerField(
        _("committee size, at most"), null=True, blank=True, default=21
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lineup rule")
        verbose_name_plural = _("lineup rules")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="lineuprule_one_default"
            ),
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(organization__isnull=False),
                name="lineuprule_one_per_org",
            ),
            models.CheckConstraint(
                condition=Q(deputies_max__isnull=True) | Q(deputies_max__gte=F("deputies_min")),
                name="lineuprule_deputies_range",
            ),
            models.CheckConstraint(
                condition=Q(members_max__isnull=True) | Q(members_max__gte=F("members_min")),
                name="lineuprule_members_range",
            ),
            models.CheckConstraint(
                condition=Q(size_max__isnull=True) | Q(size_max__gte=F("size_min")),
                name="lineuprule_size_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def builtin_default(cls) -> LineupRule:
        """The "1+3+X" rule with its defaults, unsaved (used when no rule is stored)."""
        return cls(name="1+3+X", is_default=True)

    def evaluate(
        self,
        counts: LineupCounts,
        *,
        term_start: dt.date | None = None,
        messages: Sequence[str] | None = None,
    ) -> tuple[list[Breach], list[Vacancy]]:
        """Rules broken and seats vacant for a lineup with these counts. Pure: no queries.

        `messages` are the checks' messages already translated (`breach_messages()`, once for many lineups)."""
        c = counts
        have = {"secretaries": c.secretaries, "deputies": c.deputies, "deputies_inside": c.deputies_inside,
                "deputies_outside": c.deputies_outside, "members": c.members, "total": c.total}  # fmt: skip
        breaches: list[Breach] = []
        for i, check in enumerate(BREACH_CHECKS):
            limit = getattr(self, check.limit)
            if limit is None:
                continue
            n = have[check.have]
            if n > limit if check.at_most else n < limit:
                message = messages[i] if messages is not None else check.message
                breaches.append(Breach(check.code, str(message % {"have": n, check.placeholder: limit})))

        missing = {
            SeatRole.SECRETARY: max(self.secretaries - c.secretaries, 0),
            SeatRole.DEPUTY: max(self.deputies_min - c.deputies, 0),
        }
        expected = c.total + missing[SeatRole.SECRETARY] + missing[SeatRole.DEPUTY]
        missing[SeatRole.MEMBER] = max(self.members_min - c.members, self.size_min - expected, 0)
        vacancies: list[Vacancy] = []
        for role, n in missing.items():
            if not n:
                continue
            ends = sorted(c.ended.get(role, []), reverse=True)
            for i in range(n):
                vacancies.append(Vacancy(role, ends[i] if i < len(ends) else term_start))
        return breaches, vacancies

    @property
    def formula(self) -> str:
        deputies = str(self.deputies_min) if self.deputies_max in (None, self.deputies_min) else (
            f"{self.deputies_min}–{self.deputies_max}")  # fmt: skip
        return f"{self.secretaries}+{deputies}+X"


# --- terms and seats ------------------------------------------------------------------------------------


class TermQuerySet(models.QuerySet):
    def current(self, on: dt.date | None = None) -> TermQuerySet:
        """Terms that have started by `on` and not yet been followed by a later-starting term."""
        on = on or timezone.localdate()
        later = Term.objects.filter(organization=models.OuterRef("organization"), start__gt=models.OuterRef("start"),
                                    start__lte=on)  # fmt: skip
        return self.filter(start__lte=on).exclude(models.Exists(later))

    def expiring(self, on: dt.date | None = None, months: int = 6) -> TermQuerySet:
        """Current terms whose end falls within `months` of `on` (换届提醒), or already passed."""
        on = on or timezone.localdate()
        limit = on + dt.timedelta(days=round(months * 30.5))
        return self.current(on).filter(end__lte=limit)


class Term(models.Model):
    """A term (届) of a street/township committee (the organization), with its start and planned end."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="terms"
    )
    number = models.PositiveSmallIntegerField(_("term number"), help_text=_("第N届"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    rule = models.ForeignKey(
        LineupRule,
        verbose_name=_("lineup rule"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="terms",
        help_text=_("Leave empty to follow the rule of the county or the default rule."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()
    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["organization", "-start"]
        # Terms ending by a date (换届提醒, Term.objects.expiring): a range of this index, not every term read.
        indexes = [models.Index(fields=["end"], name="term_end")]
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="term_unique_number"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="term_end_after_start"),
        ]

    def __str__(self) -> str:
        return _("%(org)s, term %(n)s") % {"org": self.organization.name, "n": self.number}

    def covers(self, on: dt.date) -> bool:
        return self.start <= on < self.end

    def status(self, on: dt.date | None = None, rule: LineupRule | None = None) -> LineupStatus:
        """Is this term's lineup complete on `on`; which seats are vacant since when; which rule is broken."""
        from league.lineups import term_status

        return term_status(self, on=on, rule=rule)

    def lineup(self, on: dt.date | None = None):
        """The seats held on `on` (any past date), secretary first."""
        return self.seats.active(on).select_related("person", "category").order_by_role()


class SeatQuerySet(models.QuerySet):
    def active(self, on: dt.date | None = None) -> SeatQuerySet:
        on = on or timezone.localdate()
        return self.filter(Q(end__isnull=True) | Q(end__gt=on), start__lte=on)

    def order_by_role(self) -> SeatQuerySet:
        order = models.Case(
            *[models.When(role=r, then=models.Value(i)) for r, i in ROLE_ORDER.items()],
            output_field=models.IntegerField(),
        )
        return self.order_by(order, "start", "id")


class Seat(models.Model):
    """A person holding a post (secretary, deputy, member) of a term, from `start` until `end` (exclusive)."""

    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.CASCADE, related_name="seats")
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="seats"
    )
    role = models.CharField(_("post"), max_length=20, choices=SeatRole.choices)
    establishment = models.CharField(
        _("establishment"), max_length=10, choices=Establishment.choices, default=Establishment.INSIDE
    )
    employment = models.CharField(
        _("employment"), max_length=10, choices=Employment.choices, default=Employment.PART_TIME
    )
    category = models.ForeignKey(
        MemberCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="seats",
    )
    start = models.DateField(_("start"))
    end = models.DateField(
        _("end"), null=True, blank=True, help_text=_("The first day the post is no longer held.")
    )
    how_obtained = models.CharField(
        _("how obtained"), max_length=20, choices=HowObtained.choices, default=HowObtained.ELECTION
    )
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("e.g. the election it came from.")
    )
    end_reason = models.CharField(_("end reason"), max_length=20, choices=EndReason.choices, blank=True)
    end_note = models.CharField(_("end note"), max_length=300, blank=True)
    pledge = models.TextField(_("pledge (承诺)"), blank=True)
    pledged_on = models.DateField(_("pledged on"), null=True, blank=True)
    history = HistoricalRecords()
    objects = SeatQuerySet.as_manager()

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = pgettext_lazy("lineup seat", "seats")
        ordering = ["term", "role", "start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")), name="seat_end_after_start"
            ),
            models.UniqueConstraint(
                fields=["term"],
                condition=Q(role="secretary", end__isnull=True),
                name="seat_one_current_secretary",
            ),
            models.UniqueConstraint(
                fields=["term", "person"], condition=Q(end__isnull=True), name="seat_person_once_per_term"
            ),
        ]
        indexes = [models.Index(fields=["term", "role", "end"], name="seat_term_role_end")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.person}"

    def is_active(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.start <= on and (self.end is None or self.end > on)


# --- division of work ------------------------------------------------------------------------------------


class Assignment(models.Model):
    """What a deputy or member answers for (分工): a region (片区), a sector or a youth group."""

    seat = models.ForeignKey(
        Seat, verbose_name=_("seat"), on_delete=models.CASCADE, related_name="assignments"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AssignmentKind.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    label = models.CharField(_("sector or youth group"), max_length=80, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("division of work")
        verbose_name_plural = _("division of work")
        ordering = ["seat", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="region") & Q(region__isnull=False)) | (~Q(kind="region") & ~Q(label="")),
                name="assignment_region_or_label",
            ),
            models.UniqueConstraint(
                fields=["seat", "region"], condition=Q(region__isnull=False), name="assignment_unique_region"
            ),
        ]

    def __str__(self) -> str:
        return self.region.name if self.region_id else self.label


# --- supervision -----------------------------------------------------------------------------------------


class Review(models.Model):
    """A periodic report and review (述职评议) of a deputy or member, scored by delegates."""

    seat = models.ForeignKey(Seat, verbose_name=_("seat"), on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField(_("held on"))
    period = models.CharField(_("period"), max_length=40, help_text=_("e.g. 2024年度"))
    report = models.TextField(_("report (述职)"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("lineup review", "review")
        verbose_name_plural = _("reviews")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.seat} · {self.period}"


class ReviewScore(models.Model):
    review = models.ForeignKey(
        Review,
        verbose_name=pgettext_lazy("lineup review", "review"),
        on_delete=models.CASCADE,
        related_name="scores",
    )
    delegate = models.CharField(_("delegate"), max_length=40)
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=1)
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review score")
        verbose_name_plural = _("review scores")
        ordering = ["review", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "delegate"], name="reviewscore_one_per_delegate"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=100), name="reviewscore_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.delegate}: {self.score}"


class Recommendation(models.Model):
    """An honour or a recommendation following good reviews (推荐推优): e.g. to community cadre, CPPCC."""

    seat = models.ForeignKey(
        Seat, verbose_name=_("seat"), on_delete=models.CASCADE, related_name="recommendations"
    )
    target = models.CharField(_("recommended for"), max_length=80)
    review = models.ForeignKey(
        Review,
        verbose_name=_("based on review"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposed_on = models.DateField(_("proposed on"))
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=RecommendationOutcome.choices,
        default=RecommendationOutcome.PROPOSED,
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["-proposed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.seat.person} → {self.target}"


class Talk(models.Model):
    """A talk (劝勉) with a deputy or member failing the pledge: the first step of 承诺辞职."""

    seat = models.ForeignKey(Seat, verbose_name=_("seat"), on_delete=models.CASCADE, related_name="talks")
    held_on = models.DateField(_("held on"))
    talked_by = models.CharField(_("talk given by"), max_length=60)
    content = models.TextField(_("what was said"))
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=TalkOutcome.choices, default=TalkOutcome.PENDING
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("talk")
        verbose_name_plural = _("talks")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.seat.person} · {self.held_on}"


# --- kept lineup verdicts (for dashboards over tens of thousands of committees) ----------------------------


class LineupMark(models.Model):
    """A change counter per organization, bumped in the transaction of every change that can move the lineup
    figures of its subtree (league.lineup_snapshots.touch): of a street/township committee, any change to its
    terms, seats or rule; of any other organization, any such change under it and any organization created,
    moved, edited or deleted under it. A kept verdict (or kept summary) counts only while its `version`
    equals the mark's."""

    organization = models.OneToOneField(
        Organization, primary_key=True, on_delete=models.CASCADE, related_name="lineup_mark"
    )
    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("lineup change mark")
        verbose_name_plural = _("lineup change marks")

    def __str__(self) -> str:
        return f"{self.organization_id} v{self.version}"


class LineupSnapshot(models.Model):
    """One committee's lineup verdict, valid for every date in [valid_from, valid_until): between two dates
    on which a term or seat starts or ends nothing about the verdict can change. Written by readers that
    found none (league.lineup_snapshots), never edited; a change bumps the mark, which retires it."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    rule_key = models.PositiveIntegerField(help_text="0: the committee's own rule; else a LineupRule id")
    version = models.PositiveBigIntegerField()
    valid_from = models.DateField()
    valid_until = models.DateField()
    complete = models.BooleanField()
    with_term = models.BooleanField()
    vacant_secretary = models.PositiveIntegerField()
    vacant_deputy = models.PositiveIntegerField()
    vacant_member = models.PositiveIntegerField()
    detail = models.JSONField(default=dict)  # seats by establishment, employment and category; breach codes

    class Meta:
        verbose_name = _("kept lineup verdict")
        verbose_name_plural = _("kept lineup verdicts")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "rule_key", "version", "valid_from"], name="lineup_snapshot_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} v{self.version} {self.valid_from}–{self.valid_until}"


class LineupSummary(models.Model):
    """The completion figures of one organization's subtree (league.lineup_snapshots.completion_summary: its
    kept verdicts summed per alike committees, as rows), valid for every date in [valid_from, valid_until) while
    `version` equals the organization's mark. Written by the reader that found none current; a change anywhere
    under the organization bumps its mark, which retires it."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    rule_key = models.PositiveIntegerField(help_text="0: the committees' own rules; else a LineupRule id")
    prefix = models.PositiveIntegerField(help_text="length of the path prefix the committees are grouped by")
    version = models.PositiveBigIntegerField()
    valid_from = models.DateField()
    valid_until = models.DateField()
    rows = models.TextField(help_text="the summed rows, as JSON")

    class Meta:
        verbose_name = _("kept lineup summary")
        verbose_name_plural = _("kept lineup summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "rule_key", "prefix"], name="lineup_summary_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} v{self.version} {self.valid_from}–{self.valid_until}"
