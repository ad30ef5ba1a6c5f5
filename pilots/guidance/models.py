"""Instructors' assignments and visits, the five-ones targets, and 联试共建 pairs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from league.models import Organization

from ..models import PilotProgram, PilotUnit


class InstructorAssignment(models.Model):
    """An instructor guides a pilot unit from `starts_on` to `ends_on` (open-ended when empty)."""

    unit = models.ForeignKey(PilotUnit, verbose_name=_("pilot unit"), on_delete=models.CASCADE,
                             related_name="instructor_assignments")  # fmt: skip
    instructor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("instructor"),
                                   on_delete=models.PROTECT, related_name="instructor_assignments")  # fmt: skip
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("instructor assignment")
        verbose_name_plural = _("instructor assignments")
        ordering = ["unit", "starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="assignment_dates_ordered",
            ),  # fmt: skip
            models.UniqueConstraint(fields=["unit", "instructor", "starts_on"], name="assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.instructor} → {self.unit}"

    def covers(self, day) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class VisitKind(models.TextChoices):
    SURVEY = "survey", _("Survey and plan (调研·方案)")
    GUIDANCE = "guidance", _("On-site guidance (实地指导)")
    MEETING = "meeting", _("Meeting (座谈会)")
    ACTIVITY = "activity", _("Activity design (设计活动)")
    FUNDING = "funding", _("Funding coordination (协调经费)")
    OTHER = "other", _("Other")


class Visit(models.Model):
    """One visit (深入试点单位) logged by an instructor; counts toward the unit's five ones."""

    unit = models.ForeignKey(PilotUnit, verbose_name=_("pilot unit"), on_delete=models.CASCADE,
                             related_name="visits")  # fmt: skip
    instructor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("instructor"),
                                   on_delete=models.PROTECT, related_name="guidance_visits")  # fmt: skip
    visited_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=VisitKind.choices, default=VisitKind.GUIDANCE)
    summary = models.TextField(_("what was done"))
    activity_designed = models.CharField(
        _("activity designed"), max_length=200, blank=True,
        help_text=_("The name of a signature activity designed in this visit, if any."),
    )  # fmt: skip
    funds_amount = models.DecimalField(_("funds coordinated (yuan)"), max_digits=12, decimal_places=2,
                                       default=0)  # fmt: skip
    funds_source = models.CharField(_("funds source"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("logged"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(funds_amount__gte=0), name="visit_funds_not_negative"),
            models.CheckConstraint(
                condition=Q(funds_amount=0) | ~Q(funds_source=""), name="visit_funds_have_source"
            ),  # fmt: skip
        ]
        indexes = [models.Index(fields=["unit", "visited_on"])]

    def __str__(self) -> str:
        return f"{self.unit} · {self.visited_on:%Y-%m-%d}"


class ProblemKind(models.TextChoices):
    FUNDING = "funding", _("Funding (经费)")
    DIFFICULTY = "difficulty", _("Practical difficulty (实际困难)")
    OTHER = "other", _("Other work problem")


class ProblemStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("problem state", "Open")
    SOLVED = "solved", _("Solved")


class Problem(models.Model):
    """A problem raised in a visit; solved in the same or a later visit."""

    unit = models.ForeignKey(PilotUnit, verbose_name=_("pilot unit"), on_delete=models.CASCADE,
                             related_name="guidance_problems")  # fmt: skip
    raised_in = models.ForeignKey(Visit, verbose_name=_("raised in"), on_delete=models.CASCADE,
                                  related_name="problems_raised")  # fmt: skip
    solved_in = models.ForeignKey(Visit, verbose_name=_("solved in"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="problems_solved")  # fmt: skip
    kind = models.CharField(
        _("kind"), max_length=20, choices=ProblemKind.choices, default=ProblemKind.DIFFICULTY
    )
    description = models.CharField(_("problem"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=ProblemStatus.choices,
                              default=ProblemStatus.OPEN)  # fmt: skip
    solved_on = models.DateField(_("solved on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["status", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", solved_on__isnull=True)
                | Q(status="solved", solved_on__isnull=False, solved_in__isnull=False),
                name="problem_status_matches_solution",
            ),
        ]

    def __str__(self) -> str:
        return self.description


class VisitAttachment(models.Model):
    visit = models.ForeignKey(Visit, verbose_name=_("visit"), on_delete=models.CASCADE,
                              related_name="attachments")  # fmt: skip
    file = models.FileField(_("file"), max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("visit attachment")
        verbose_name_plural = _("visit attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Period(models.TextChoices):
    WEEK = "week", _("Week")
    MONTH = "month", _("Month")


class FiveOnesTarget(models.Model):
    """The five ones' targets of a program (静海: 1 plan, 1 activity, 1 funding, a visit a week, 1 difficulty)."""

    program = models.OneToOneField(PilotProgram, verbose_name=_("program"), on_delete=models.CASCADE,
                                   related_name="five_ones_target")  # fmt: skip
    plans = models.PositiveSmallIntegerField(_("surveys and plans"), default=1)
    activities = models.PositiveSmallIntegerField(_("signature activities"), default=1)
    funding_solved = models.PositiveSmallIntegerField(_("funding problems solved"), default=1)
    visits = models.PositiveSmallIntegerField(_("visits per period"), default=1)
    visit_period = models.CharField(_("visit period"), max_length=10, choices=Period.choices,
                                    default=Period.WEEK)  # fmt: skip
    difficulties_solved = models.PositiveSmallIntegerField(_("practical difficulties solved"), default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("five-ones target")
        verbose_name_plural = _("five-ones targets")
        constraints = [models.CheckConstraint(condition=Q(visits__gte=1), name="five_ones_visits_positive")]

    def __str__(self) -> str:
        return str(self.program)


# --- 联试共建 pairs ------------------------------------------------------------------------------------------


class Pair(models.Model):
    """A government-organ league organization paired with a pilot unit (联试共建)."""

    program = models.ForeignKey(PilotProgram, verbose_name=_("program"), on_delete=models.CASCADE,
                                related_name="pairs")  # fmt: skip
    organ = models.ForeignKey(Organization, verbose_name=_("government-organ organization"),
                              on_delete=models.PROTECT, related_name="pairs_as_organ")  # fmt: skip
    unit = models.ForeignKey(PilotUnit, verbose_name=_("pilot unit"), on_delete=models.CASCADE,
                             related_name="pairs")  # fmt: skip
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pair")
        verbose_name_plural = _("pairs")
        ordering = ["program", "id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "organ", "unit"], name="pair_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="pair_dates_ordered"
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.organ.name} – {self.unit.organization.name}"


class PairMeeting(models.Model):
    pair = models.ForeignKey(Pair, verbose_name=_("pair"), on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"))
    attendees = models.TextField(_("attendees"))
    minutes = models.TextField(_("minutes"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pair meeting")
        verbose_name_plural = _("pair meetings")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.pair} · {self.held_on:%Y-%m-%d}"


class AgreementStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDER_WAY = "under_way", _("Under way")
    DONE = "done", _("Done")


class PairAgreement(models.Model):
    pair = models.ForeignKey(
        Pair, verbose_name=_("pair"), on_delete=models.CASCADE, related_name="agreements"
    )
    meeting = models.ForeignKey(PairMeeting, verbose_name=_("reached at"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="agreements")  # fmt: skip
    title = models.CharField(_("agreement"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=AgreementStatus.choices,
                              default=AgreementStatus.PLANNED)  # fmt: skip
    reached_on = models.DateField(_("reached on"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pair agreement")
        verbose_name_plural = _("pair agreements")
        ordering = ["reached_on", "id"]

    def __str__(self) -> str:
        return self.title


class PairActivity(models.Model):
    pair = models.ForeignKey(
        Pair, verbose_name=_("pair"), on_delete=models.CASCADE, related_name="activities"
    )
    held_on = models.DateField(_("date"))
    title = models.CharField(_("activity"), max_length=200)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pair activity")
        verbose_name_plural = _("pair activities")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


__all__ = [
    "InstructorAssignment", "VisitKind", "Visit", "ProblemKind", "ProblemStatus", "Problem", "VisitAttachment",
    "Period", "FiveOnesTarget", "Pair", "PairMeeting", "AgreementStatus", "PairAgreement", "PairActivity",
]  # fmt: skip
