"""Models of assessment, star ratings, rectification, inspections, the escalation ladder and hearings."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from league.models import Organization

from ..models import Phase, PilotProgram, PilotUnit, today

USER = settings.AUTH_USER_MODEL

# --- pilot assessment (考核) ------------------------------------------------------------------------------


class AssessmentScheme(models.Model):
    program = models.OneToOneField(PilotProgram, verbose_name=_("program"), on_delete=models.CASCADE,
                                   related_name="assessment_scheme")  # fmt: skip
    name = models.CharField(_("name"), max_length=120)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    scheme = models.ForeignKey(AssessmentScheme, verbose_name=_("scheme"), on_delete=models.CASCADE,
                               related_name="criteria")  # fmt: skip
    key = models.SlugField(_("key"), max_length=30)
    name = models.CharField(_("name"), max_length=60)
    max_points = models.PositiveSmallIntegerField(_("maximum points"))
    description = models.TextField(_("description and scoring guidance"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    source = models.CharField(
        _("score proposed from"), max_length=30, blank=True,
        help_text=_("A figure of the unit's records the score is proposed from (pilots/assessment/sources.py); "
                    "the review group may change it with a reason."),
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["scheme", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "key"], name="criterion_unique_key"),
            models.CheckConstraint(
                condition=Q(max_points__gt=0, max_points__lte=100), name="criterion_max_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.max_points})"


class VetoItem(models.Model):
    """一票否决: a unit marked with any veto item scores 0 and ranks last."""

    scheme = models.ForeignKey(AssessmentScheme, verbose_name=_("scheme"), on_delete=models.CASCADE,
                               related_name="veto_items")  # fmt: skip
    text = models.CharField(_("veto item"), max_length=200)

    class Meta:
        verbose_name = _("veto item")
        verbose_name_plural = _("veto items")
        ordering = ["scheme", "id"]

    def __str__(self) -> str:
        return self.text


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Scoring")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded by a correction")


class StageReviewQuerySet(models.QuerySet):
    def for_user(self, user, action: str = "view") -> StageReviewQuerySet:
        from league import policies

        return policies.scoped(self, user, action, path_field="scheme__program__organization__path")


class StageReview(models.Model):
    """项目评审: the review group's scoring of every unit after a phase. Published → frozen."""

    scheme = models.ForeignKey(AssessmentScheme, verbose_name=_("scheme"), on_delete=models.CASCADE,
                               related_name="reviews")  # fmt: skip
    phase = models.ForeignKey(Phase, verbose_name=_("phase"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")  # fmt: skip
    title = models.CharField(_("title"), max_length=160)
    members = models.TextField(_("review group members"), help_text=_("One name per line, with post."))
    state = models.CharField(
        _("state"), max_length=12, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    corrects = models.OneToOneField("self", verbose_name=_("corrects"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="correction")  # fmt: skip
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(USER, verbose_name=_("published by"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    history = HistoricalRecords()
    objects = StageReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("stage review")
        verbose_name_plural = _("stage reviews")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(correction_reason=""),
                name="review_correction_has_reason",
            ),  # fmt: skip
            models.CheckConstraint(
                condition=~Q(state="published") | Q(published_at__isnull=False),
                name="review_published_has_time",
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}" if self.version > 1 else self.title

    @property
    def program(self) -> PilotProgram:
        return self.scheme.program

    @property
    def is_frozen(self) -> bool:
        return self.state != ReviewState.DRAFT


class Score(models.Model):
    review = models.ForeignKey(StageReview, verbose_name=_("review"), on_delete=models.CASCADE,
                               related_name="scores")  # fmt: skip
    unit = models.ForeignKey(PilotUnit, verbose_name=_("pilot unit"), on_delete=models.CASCADE,
                             related_name="assessment_scores")  # fmt: skip
    criterion = models.ForeignKey(Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT,
                                  related_name="scores")  # fmt: skip
    points = models.DecimalField(_("points"), max_digits=4, decimal_places=1)
    comment = models.TextField(_("comment"), blank=True)
    proposed = models.DecimalField(
        _("proposed points"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    adjust_reason = models.TextField(_("reason for adjusting the proposal"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["review", "unit", "criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["review", "unit", "criterion"], name="score_unique"),
            models.CheckConstraint(condition=Q(points__gte=0), name="score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.criterion.name} {self.points}"


class ReviewVeto(models.Model):
    review = models.ForeignKey(StageReview, verbose_name=_("review"), on_delete=models.CASCADE,
                               related_name="vetoes")  # fmt: skip
    unit = models.ForeignKey(PilotUnit, verbose_name=_("pilot unit"), on_delete=models.CASCADE,
                             related_name="+")  # fmt: skip
    item = models.ForeignKey(
        VetoItem, verbose_name=_("veto item"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("veto")
        verbose_name_plural = _("vetoes")
        constraints = [models.UniqueConstraint(fields=["review", "unit", "item"], name="review_veto_unique")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.item}"


class ResultQuerySet(models.QuerySet):
    def for_user(self, user, action: str = "view") -> ResultQuerySet:
        from league import policies

        return policies.scoped(self, user, action, path_field="unit__organization__path")


class Result(models.Model):
    """A unit's frozen total and rank in a published review."""

    review = models.ForeignKey(StageReview, verbose_name=_("review"), on_delete=models.CASCADE,
                               related_name="results")  # fmt: skip
    unit = models.ForeignKey(PilotUnit, verbose_name=_("pilot unit"), on_delete=models.CASCADE,
                             related_name="assessment_results")  # fmt: skip
    total = models.DecimalField(_("total"), max_digits=5, decimal_places=1)
    rank = models.PositiveSmallIntegerField(_("rank"))
    vetoed = models.BooleanField(_("vetoed"), default=False)
    objects = ResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment result")
        verbose_name_plural = _("assessment results")
        ordering = ["review", "rank", "unit__organization__path"]
        constraints = [models.UniqueConstraint(fields=["review", "unit"], name="result_unique")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.total}"


class Award(models.TextChoices):
    RED_FLAG = "red_flag", _("May Fourth Red Flag League Committee (五四红旗团委)")
    TWO_EXCELLENT = "two_excellent", _("Two Excellents and One Advanced (两优一先)")


class AwardApplicationQuerySet(models.QuerySet):
    def for_user(self, user, action: str = "view") -> AwardApplicationQuerySet:
        from league import policies

        return policies.scoped(self, user, action, path_field="unit__organization__path")


class AwardApplication(models.Model):
    unit = models.ForeignKey(PilotUnit, verbose_name=_("pilot unit"), on_delete=models.CASCADE,
                             related_name="award_applications")  # fmt: skip
    award = models.CharField(_("award"), max_length=20, choices=Award.choices)
    result = models.ForeignKey(Result, verbose_name=_("assessment"), on_delete=models.PROTECT,
                               related_name="award_applications")  # fmt: skip
    statement = models.TextField(_("deeds (事迹)"))
    filed_by = models.ForeignKey(USER, verbose_name=_("filed by"), null=True, on_delete=models.SET_NULL,
                                 related_name="+")  # fmt: skip
    filed_at = models.DateTimeField(_("filed"), default=timezone.now)
    history = HistoricalRecords()
    objects = AwardApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("award application")
        verbose_name_plural = _("award applications")
        ordering = ["-filed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_award_display()}"


# --- star ratings (对标定级) -------------------------------------------------------------------------------


class RatingRoundQuerySet(models.QuerySet):
    def for_user(self, user, action: str = "view") -> RatingRoundQuerySet:
        from league import policies

        return policies.scoped_by_owner(self, user, action, field="county")


class RatingRound(models.Model):
    """A county's yearly rating of its branches, with the quotas (as data) checked at finalization."""

    county = models.ForeignKey(Organization, verbose_name=_("county"), on_delete=models.CASCADE,
                               related_name="rating_rounds")  # fmt: skip
    year = models.PositiveSmallIntegerField(_("year"))
    five_star_quota = models.PositiveSmallIntegerField(_("five-star quota (%)"), default=20)
    four_star_quota = models.PositiveSmallIntegerField(_("four-star quota (%)"), default=60)
    finalized_at = models.DateTimeField(_("finalized"), null=True, blank=True)
    history = HistoricalRecords()
    objects = RatingRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("rating round")
        verbose_name_plural = _("rating rounds")
        ordering = ["-year", "county__path"]
        constraints = [
            models.UniqueConstraint(fields=["county", "year"], name="rating_round_unique"),
            models.CheckConstraint(
                condition=Q(five_star_quota__lte=100, four_star_quota__lte=100), name="rating_quota_percent"
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.county} {self.year}"


class BranchRatingQuerySet(models.QuerySet):
    def for_user(self, user, action: str = "view") -> BranchRatingQuerySet:
        from league import policies

        return policies.scoped(self, user, action, path_field="branch__path")


class BranchRating(models.Model):
    round = models.ForeignKey(RatingRound, verbose_name=_("rating round"), on_delete=models.CASCADE,
                              related_name="ratings")  # fmt: skip
    branch = models.ForeignKey(Organization, verbose_name=_("branch"), on_delete=models.CASCADE,
                               related_name="ratings")  # fmt: skip
    self_scores = models.JSONField(_("self-rating"), default=dict, blank=True)
    self_total = models.DecimalField(
        _("self-rated score"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    self_rated_at = models.DateTimeField(_("self-rated"), null=True, blank=True)
    final_scores = models.JSONField(_("reviewed scores"), default=dict, blank=True)
    final_total = models.DecimalField(_("final score"), max_digits=4, decimal_places=1, null=True, blank=True)
    vetoed = models.BooleanField(_("veto item (一票否决)"), default=False)
    review_comment = models.TextField(_("review comment"), blank=True)
    stars = models.PositiveSmallIntegerField(_("stars"), null=True, blank=True,
                                             help_text=_("0 means weak (软弱涣散)."))  # fmt: skip
    reviewed_by = models.ForeignKey(USER, verbose_name=_("reviewed by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    history = HistoricalRecords()
    objects = BranchRatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("branch rating")
        verbose_name_plural = _("branch ratings")
        ordering = ["round", "-final_total", "branch__path"]
        constraints = [
            models.UniqueConstraint(fields=["round", "branch"], name="branch_rating_unique"),
            models.CheckConstraint(
                condition=Q(stars__isnull=True) | Q(stars__lte=5), name="rating_stars_range"
            ),
            models.CheckConstraint(
                condition=Q(final_total__isnull=True) | Q(final_total__lte=100), name="rating_final_range"
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.branch} {self.round.year}"

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None


# --- rectification (整顿) ----------------------------------------------------------------------------------


class TargetState(models.TextChoices):
    OPEN = "open", _("Under rectification")
    CLOSED = "closed", _("Rectified (off the list)")
    CARRIED = "carried", _("Carried into next year")


class RectificationTargetQuerySet(models.QuerySet):
    def for_user(self, user, action: str = "view") -> RectificationTargetQuerySet:
        from league import policies

        return policies.scoped(self, user, action, path_field="branch__path")

    def open(self) -> RectificationTargetQuerySet:
        return self.filter(state=TargetState.OPEN)


class RectificationTarget(models.Model):
    branch = models.ForeignKey(Organization, verbose_name=_("branch"), on_delete=models.CASCADE,
                               related_name="rectifications")  # fmt: skip
    year = models.PositiveSmallIntegerField(_("year"))
    round_number = models.PositiveSmallIntegerField(_("round"), default=1,
                                                    help_text=_("1 the first year on the list, 2 after a carry-over…"))  # fmt: skip
    rating = models.ForeignKey(BranchRating, verbose_name=_("rating"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    carried_from = models.OneToOneField("self", verbose_name=_("carried from"), null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="carried_to")  # fmt: skip
    state = models.CharField(_("state"), max_length=10, choices=TargetState.choices, default=TargetState.OPEN)
    recheck_score = models.DecimalField(_("re-checked score"), max_digits=4, decimal_places=1, null=True,
                                        blank=True)  # fmt: skip
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    history = HistoricalRecords()
    objects = RectificationTargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("rectification target")
        verbose_name_plural = _("rectification targets")
        ordering = ["-year", "branch__path"]
        constraints = [models.UniqueConstraint(fields=["branch", "year"], name="rectification_unique_year")]

    def __str__(self) -> str:
        return f"{self.branch} {self.year}"

    @property
    def proposes_restructuring(self) -> bool:
        """After two failed rounds: propose merging, adjusting or dissolving the branch."""
        return self.round_number >= 3 or (self.round_number >= 2 and self.state == TargetState.CARRIED)


class RectificationItem(models.Model):
    target = models.ForeignKey(RectificationTarget, verbose_name=pgettext_lazy("rectification", "target"), on_delete=models.CASCADE,
                               related_name="items")  # fmt: skip
    problem = models.TextField(_("problem"))
    action = models.TextField(pgettext_lazy("rectification", "action"))
    owner = models.CharField(pgettext_lazy("rectification", "owner"), max_length=60)
    deadline = models.DateField(_("deadline"))
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_file = models.FileField(_("evidence file"), max_length=255, blank=True)
    evidence_name = models.CharField(_("file name"), max_length=255, blank=True)
    evidence_type = models.CharField(_("file type"), max_length=100, blank=True)
    finding = models.ForeignKey("InspectionFinding", verbose_name=_("inspection finding"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="items")  # fmt: skip
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    signed_off_by = models.ForeignKey(USER, verbose_name=_("signed off by"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        ordering = ["target", "deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | (~Q(evidence="") & Q(signed_off_by__isnull=False)),
                name="rectification_item_closed_has_evidence",
            ),
        ]

    def __str__(self) -> str:
        return self.problem[:40]

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


# --- inspections (季度督导) --------------------------------------------------------------------------------


class Method(models.TextChoices):
    UNANNOUNCED = "unannounced", _("Open and unannounced visits (明察暗访)")
    HEARING = "hearing", _("Hearing reports (听取汇报)")
    ON_SITE = "on_site", _("On-site checks (实地查看)")
    LEDGERS = "ledgers", _("Reviewing ledgers (查阅台账)")
    SYMPOSIUM = "symposium", _("Symposiums (召开座谈会)")
    TALKS = "talks", _("Individual talks (个别谈话)")


class InspectionQuerySet(models.QuerySet):
    def for_user(self, user, action: str = "view") -> InspectionQuerySet:
        from league import policies

        return policies.scoped(self, user, action, path_field="city__path")


class Inspection(models.Model):
    city = models.ForeignKey(Organization, verbose_name=_("organizing committee"), on_delete=models.CASCADE,
                             related_name="inspections")  # fmt: skip
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    plan = models.TextField(_("plan"))
    team = models.TextField(_("inspection team"))
    methods = models.JSONField(_("methods"), default=list)
    units = models.ManyToManyField(Organization, verbose_name=_("units visited"), related_name="+")
    held_on = models.DateField(_("held on"))
    history = HistoricalRecords()
    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-year", "-quarter", "-held_on"]
        constraints = [
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="inspection_quarter")
        ]

    def __str__(self) -> str:
        return f"{self.city} {self.year} Q{self.quarter}"

    def method_labels(self) -> list[str]:
        labels = dict(Method.choices)
        return [str(labels.get(m, m)) for m in self.methods]


class InspectionFinding(models.Model):
    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE,
                                   related_name="findings")  # fmt: skip
    organization = models.ForeignKey(Organization, verbose_name=_("unit"), on_delete=models.CASCADE,
                                     related_name="+")  # fmt: skip
    text = models.TextField(_("finding"))

    class Meta:
        verbose_name = _("inspection finding")
        verbose_name_plural = _("inspection findings")
        ordering = ["inspection", "id"]

    def __str__(self) -> str:
        return self.text[:40]


# --- yearly ranking and the escalation ladder --------------------------------------------------------------


class EscalationStep(models.Model):
    """The ladder, as data: bottom three for `years_running` years → this talk or letter."""

    years_running = models.PositiveSmallIntegerField(_("years running in the bottom three"), unique=True)
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")
        ordering = ["years_running"]

    def __str__(self) -> str:
        return self.name


class YearlyRankingQuerySet(models.QuerySet):
    def for_user(self, user, action: str = "view") -> YearlyRankingQuerySet:
        from league import policies

        return policies.scoped(self, user, action, path_field="city__path")


class YearlyRanking(models.Model):
    """A city's yearly ranking of its units (a row per unit); the bottom three climb the ladder."""

    city = models.ForeignKey(Organization, verbose_name=_("city"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    organization = models.ForeignKey(Organization, verbose_name=_("unit"), on_delete=models.CASCADE,
                                     related_name="yearly_rankings")  # fmt: skip
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    rank = models.PositiveSmallIntegerField(_("rank"))
    in_bottom_three = models.BooleanField(_("in the bottom three"), default=False)
    objects = YearlyRankingQuerySet.as_manager()

    class Meta:
        verbose_name = _("yearly ranking")
        verbose_name_plural = _("yearly rankings")
        ordering = ["city", "-year", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["city", "year", "organization"], name="ranking_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year} #{self.rank}"


class EscalationQuerySet(models.QuerySet):
    def for_user(self, user, action: str = "view") -> EscalationQuerySet:
        from league import policies

        return policies.scoped(self, user, action, path_field="organization__path")


class Escalation(models.Model):
    """A proposed step for a unit (with the evidence); staff record when it happened."""

    city = models.ForeignKey(Organization, verbose_name=_("city"), on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(Organization, verbose_name=_("unit"), on_delete=models.CASCADE,
                                     related_name="escalations")  # fmt: skip
    year = models.PositiveSmallIntegerField(_("year"))
    step = models.ForeignKey(
        EscalationStep, verbose_name=_("step"), on_delete=models.PROTECT, related_name="+"
    )
    evidence = models.TextField(_("evidence"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    note = models.TextField(_("record"), blank=True)
    recorded_by = models.ForeignKey(USER, verbose_name=_("recorded by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    history = HistoricalRecords()
    objects = EscalationQuerySet.as_manager()

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["-year", "organization__path"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="escalation_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year} · {self.step}"


# --- monthly hearings (每月听取基层团组织书记汇报) ---------------------------------------------------------------


class HearingQuerySet(models.QuerySet):
    def for_user(self, user, action: str = "view") -> HearingQuerySet:
        from league import policies

        return policies.scoped(self, user, action, path_field="organization__path")


class Hearing(models.Model):
    organization = models.ForeignKey(Organization, verbose_name=_("hosting committee"), on_delete=models.CASCADE,
                                     related_name="hearings")  # fmt: skip
    held_on = models.DateField(_("held on"))
    comments = models.TextField(_("comments"), blank=True)
    history = HistoricalRecords()
    objects = HearingQuerySet.as_manager()

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.organization} {self.held_on}"


class HearingReportQuerySet(models.QuerySet):
    def outstanding(self) -> HearingReportQuerySet:
        return self.filter(submitted_on__isnull=True)

    def overdue(self, on: dt.date | None = None) -> HearingReportQuerySet:
        return self.outstanding().filter(due_on__lt=on or today())

    def late(self) -> HearingReportQuerySet:
        return self.filter(submitted_on__gt=F("due_on"))


class HearingReport(models.Model):
    """A secretary heard at a hearing, and the rectification report due within a week."""

    hearing = models.ForeignKey(Hearing, verbose_name=_("hearing"), on_delete=models.CASCADE,
                                related_name="speakers")  # fmt: skip
    organization = models.ForeignKey(Organization, verbose_name=_("unit"), on_delete=models.CASCADE,
                                     related_name="hearing_reports")  # fmt: skip
    comment = models.TextField(_("comment"), blank=True)
    due_on = models.DateField(_("rectification report due"))
    submitted_on = models.DateField(_("submitted"), null=True, blank=True)
    text = models.TextField(_("rectification report"), blank=True)
    history = HistoricalRecords()
    objects = HearingReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("hearing report")
        verbose_name_plural = _("hearing reports")
        ordering = ["hearing", "organization__path"]
        constraints = [
            models.UniqueConstraint(fields=["hearing", "organization"], name="hearing_report_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.hearing.held_on}"

    def status(self, on: dt.date | None = None) -> str:
        if self.submitted_on:
            return "late" if self.submitted_on > self.due_on else "submitted"
        return "overdue" if (on or today()) > self.due_on else "due"
