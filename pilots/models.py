"""Pilot programs (试点) and their progress reports.

A PilotProgram is run by one organization; it has Phases, PilotUnits (enrolled organizations of its
subtree) with a LeadingGroup and Milestones, and ReportingSchedules. A schedule generates ReportSlots:
one expected report per reporting organization and period, with its due date and deadline (due + grace),
so "expected" is always a row. A Report fills a slot (one per slot) and moves
draft → submitted → returned → submitted … → accepted; every submission is kept as a ReportVersion.

Who reports: a schedule names the level that files (e.g. street monthly to the county, or city weekly to
the province). The filers are the program's pilot units at that level, or — when the level is above
theirs — the distinct ancestors at that level (the cities that hold pilot streets).
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from league.models import Level, Organization


def today() -> dt.date:
    return timezone.localdate()


# --- programs -----------------------------------------------------------------------------------------


class ProgramKind(models.TextChoices):
    STREET_PATTERN = "street_pattern", _("Street league pattern innovation pilot (街道团组织格局创新试点)")
    TOWNSHIP_1_3_X = "township_1_3_x", _('Township "1+3+X" pilot (乡镇"1+3+X")')
    COUNTY_REFORM = "county_reform", _("County grassroots league reform pilot (县域基层团组织改革试点)")
    STANDARDIZATION = (
        "standardization",
        _("Grassroots standardization over three years (基层团组织规范化建设)"),
    )
    OTHER = "other", _("Other")


DEFAULT_FIGURE_FIELDS = [
    {"key": "youth_reached", "label": "服务青年人数", "unit": "人"},
    {"key": "activities", "label": "开展活动次数", "unit": "次"},
    {"key": "funds_raised", "label": "筹集资金", "unit": "元"},
]


def default_figure_fields() -> list[dict]:
    return [dict(f) for f in DEFAULT_FIGURE_FIELDS]


class PilotProgramQuerySet(models.QuerySet):
    def active(self, on: dt.date | None = None) -> PilotProgramQuerySet:
        on = on or today()
        return self.filter(starts_on__lte=on, ends_on__gte=on)


class PilotProgram(models.Model):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("running organization"),
        on_delete=models.PROTECT,
        related_name="pilot_programs",
    )
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=30, choices=ProgramKind.choices, default=ProgramKind.OTHER)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    figure_fields = models.JSONField(
        _("figure fields"),
        default=default_figure_fields,
        blank=True,
        help_text=_('Figures each report asks for: a list of {"key", "label", "unit"}.'),
    )
    lineup_rule = models.ForeignKey(
        "league.LineupRule",
        verbose_name=_("lineup rule"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pilot_programs",
        help_text=_(
            "The lineup rule (1+3+X, 1+2+N …) the pilot units' committees are measured against; "
            "empty: each committee's own rule."
        ),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    history = HistoricalRecords()
    objects = PilotProgramQuerySet.as_manager()

    class Meta:
        verbose_name = _("pilot program")
        verbose_name_plural = _("pilot programs")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="program_dates_ordered"),
        ]

    def __str__(self) -> str:
        return self.name

    def figure_keys(self) -> list[str]:
        return [f["key"] for f in self.figure_fields or []]

    def lineup_date(self, on: dt.date | None = None) -> dt.date:
        """The date lineups are judged on: today, or the program's last day once it is over."""
        return min(on or today(), self.ends_on)

    def phase_on(self, on: dt.date) -> Phase | None:
        for phase in self.phases.all():
            if phase.starts_on <= on <= phase.ends_on:
                return phase
        return None


class Phase(models.Model):
    program = models.ForeignKey(PilotProgram, verbose_name=_("program"), on_delete=models.CASCADE,
                                related_name="phases")  # fmt: skip
    name = models.CharField(_("name"), max_length=60, help_text=_("e.g. 准备, 实施, 总结"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["program", "order", "starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="phase_dates_ordered"),
            models.UniqueConstraint(fields=["program", "name"], name="phase_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class PilotUnit(models.Model):
    program = models.ForeignKey(PilotProgram, verbose_name=_("program"), on_delete=models.CASCADE,
                                related_name="units")  # fmt: skip
    organization = models.ForeignKey(Organization, verbose_name=_("organization"), on_delete=models.PROTECT,
                                     related_name="pilot_units")  # fmt: skip
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    # The organization's materialized path, copied on save and rewritten with the organization's subtree when
    # it moves (pilots.paths.on_organization_moved, in the move's transaction): "the programs with a unit in a subtree" is then one index range (0.5 ms for a province
    # of the national dataset) instead of joining all 39,058 units to their organizations (9 ms).
    path = models.CharField(_("path"), max_length=255, editable=False, default="")
    history = HistoricalRecords(excluded_fields=["path"])

    class Meta:
        verbose_name = _("pilot unit")
        verbose_name_plural = _("pilot units")
        ordering = ["program", "organization__path"]
        constraints = [
            models.UniqueConstraint(fields=["program", "organization"], name="pilot_unit_unique"),
        ]
        indexes = [
            # LIKE 'prefix%' on PostgreSQL reads a btree index only with the pattern operator class.
            models.Index(
                fields=["path", "program"],
                name="unit_path_program",
                opclasses=["varchar_pattern_ops", "int8_ops"],
            ),
        ]

    def __str__(self) -> str:
        return str(self.organization)

    def save(self, *args, **kwargs) -> None:
        self.path = self.organization.path
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {"path"}
        super().save(*args, **kwargs)


class GroupRole(models.TextChoices):
    LEADER = "leader", _("Leader (组长)")
    DEPUTY = "deputy", _("Deputy leader (副组长)")
    MEMBER = "member", _("Member (成员)")
    OFFICE = "office", _("Office staff (办公室)")


class LeadingGroupMember(models.Model):
    """A member of a pilot unit's leading group (领导小组)."""

    unit = models.ForeignKey(PilotUnit, verbose_name=_("pilot unit"), on_delete=models.CASCADE,
                             related_name="leading_group")  # fmt: skip
    name = models.CharField(pgettext_lazy("person", "name"), max_length=60)
    role = models.CharField(_("role in the group"), max_length=20, choices=GroupRole.choices,
                            default=GroupRole.MEMBER)  # fmt: skip
    title = models.CharField(_("post"), max_length=120, blank=True, help_text=_("e.g. 街道党工委书记"))
    from_organization = models.CharField(_("from organization"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("leading group member")
        verbose_name_plural = _("leading group members")
        ordering = ["unit", "order", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class MilestoneQuerySet(models.QuerySet):
    def done(self) -> MilestoneQuerySet:
        return self.filter(done_on__isnull=False)

    def late(self, on: dt.date | None = None) -> MilestoneQuerySet:
        """Done after the deadline, or not done and the deadline has passed."""
        on = on or today()
        return self.filter(Q(done_on__gt=F("due_on")) | Q(done_on__isnull=True, due_on__lt=on))


class Milestone(models.Model):
    unit = models.ForeignKey(PilotUnit, verbose_name=_("pilot unit"), on_delete=models.CASCADE,
                             related_name="milestones")  # fmt: skip
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    history = HistoricalRecords()
    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["unit", "due_on", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    def is_late(self, on: dt.date | None = None) -> bool:
        if self.done_on is not None:
            return self.done_on > self.due_on
        return (on or today()) > self.due_on


# --- reporting schedules and slots ---------------------------------------------------------------------


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    WEEKLY = "weekly", _("Weekly")


class ReportingSchedule(models.Model):
    program = models.ForeignKey(PilotProgram, verbose_name=_("program"), on_delete=models.CASCADE,
                                related_name="schedules")  # fmt: skip
    name = models.CharField(_("name"), max_length=120, blank=True)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    reporting_level = models.CharField(
        _("reporting level"),
        max_length=20,
        choices=Level.choices,
        default=Level.STREET,
        help_text=_("Who files: pilot units at this level, or the organizations above them at this level."),
    )
    due_weekday = models.PositiveSmallIntegerField(
        _("due weekday"),
        default=4,
        help_text=_("Weekly reports: 0 = Monday … 6 = Sunday. Monthly reports are due at month end."),
    )
    grace_days = models.PositiveSmallIntegerField(_("grace days"), default=0)
    starts_on = models.DateField(_("first period starts on"))
    ends_on = models.DateField(_("last period ends on"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporting schedule")
        verbose_name_plural = _("reporting schedules")
        ordering = ["program", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(due_weekday__lte=6), name="schedule_weekday_valid"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="schedule_dates_ordered"),
        ]

    def __str__(self) -> str:
        return self.name or f"{self.program} · {self.get_frequency_display()}"

    def periods(self) -> list[tuple[dt.date, dt.date, dt.date]]:
        """(period start, period end, due date) for every period from starts_on to ends_on."""
        out = []
        if self.frequency == Frequency.MONTHLY:
            y, m = self.starts_on.year, self.starts_on.month
            while dt.date(y, m, 1) <= self.ends_on:
                start = dt.date(y, m, 1)
                end = dt.date(y, m, calendar.monthrange(y, m)[1])
                out.append((start, end, end))
                y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        else:
            start = self.starts_on - dt.timedelta(days=self.starts_on.weekday())
            while start <= self.ends_on:
                end = start + dt.timedelta(days=6)
                out.append((start, end, start + dt.timedelta(days=self.due_weekday)))
                start += dt.timedelta(days=7)
        return out


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    ACCEPTED = "accepted", pgettext_lazy("report status", "Accepted")


FILED_STATES = (ReportState.SUBMITTED, ReportState.ACCEPTED)
OUTSTANDING_STATES = (ReportState.DRAFT, ReportState.RETURNED)


class ReportSlotQuerySet(models.QuerySet):
    def opened(self, on: dt.date | None = None) -> ReportSlotQuerySet:
        """Periods that have started (a report may be filed)."""
        return self.filter(period_start__lte=on or today())

    def outstanding(self) -> ReportSlotQuerySet:
        """Nothing filed yet: no report, a draft, or returned for revision."""
        return self.filter(Q(report__isnull=True) | Q(report__state__in=OUTSTANDING_STATES))

    def filed(self) -> ReportSlotQuerySet:
        return self.filter(report__state__in=FILED_STATES)

    def due(self, on: dt.date | None = None) -> ReportSlotQuerySet:
        """Open, not filed, and the deadline not yet passed on `on` (for reminders: "due")."""
        on = on or today()
        return self.opened(on).outstanding().filter(deadline__gte=on)

    def overdue(self, on: dt.date | None = None) -> ReportSlotQuerySet:
        """Not filed and the deadline (due date + grace, or reopened) has passed on `on`."""
        on = on or today()
        return self.outstanding().filter(deadline__lt=on)

    def returned(self) -> ReportSlotQuerySet:
        return self.filter(report__state=ReportState.RETURNED)

    def late(self) -> ReportSlotQuerySet:
        """Filed, but after the deadline."""
        return self.filed().filter(report__late=True)

    def on_time(self) -> ReportSlotQuerySet:
        return self.filed().filter(report__late=False)

    def for_user(self, user, action: str = "view") -> ReportSlotQuerySet:
        from league import policies

        return policies.scoped(self, user, action, path_field="organization__path")


def period_label(start: dt.date, end: dt.date) -> str:
    """A slot's period as lists show it: the month of a monthly (or longer) period, else its first and last day."""
    if end - start > dt.timedelta(days=7):
        return f"{start:%Y-%m}"
    return f"{start:%m-%d}–{end:%m-%d}"


class ReportSlot(models.Model):
    """One expected report: an organization, a period, a due date and the deadline (due + grace)."""

    schedule = models.ForeignKey(ReportingSchedule, verbose_name=_("schedule"), on_delete=models.CASCADE,
                                 related_name="slots")  # fmt: skip
    program = models.ForeignKey(PilotProgram, verbose_name=_("program"), on_delete=models.CASCADE,
                                related_name="slots")  # fmt: skip
    organization = models.ForeignKey(Organization, verbose_name=_("reporting organization"),
                                     on_delete=models.CASCADE, related_name="report_slots")  # fmt: skip
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    due_on = models.DateField(_("due on"))
    deadline = models.DateField(
        _("deadline"), help_text=_("Due date plus grace; moved later when a report is returned for revision.")
    )
    objects = ReportSlotQuerySet.as_manager()

    class Meta:
        verbose_name = _("report slot")
        verbose_name_plural = _("report slots")
        ordering = ["period_start", "organization__path"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "organization", "period_start"], name="slot_unique"),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="slot_period_ordered"
            ),
            models.CheckConstraint(condition=Q(deadline__gte=F("due_on")), name="slot_deadline_after_due"),
        ]
        indexes = [
            models.Index(fields=["program", "period_start"], name="slot_program_period"),
            models.Index(fields=["organization", "period_start"], name="slot_org_period"),
            models.Index(fields=["deadline"], name="slot_deadline"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.period_label}"

    def save(self, *args, **kwargs) -> None:
        adding = self._state.adding
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if not adding and (update_fields is None or {"organization", "period_start"} & set(update_fields)):
            # A slot moved to another organization or period (the admin) takes its report along (Report.path,
            # Report.period_start).
            kept = {"path": self.organization.path, "period_start": self.period_start}
            Report.objects.filter(slot=self).exclude(**kept).update(**kept)

    @property
    def frequency(self) -> str:
        return self.schedule.frequency

    @property
    def period_label(self) -> str:
        return period_label(self.period_start, self.period_end)

    def is_open(self, on: dt.date | None = None) -> bool:
        return self.period_start <= (on or today())

    def status(self, on: dt.date | None = None) -> str:
        """One word for lists: upcoming, due, overdue, draft/returned/submitted/accepted."""
        on = on or today()
        report = getattr(self, "report", None) if self.pk else None
        if report is not None and report.state in FILED_STATES:
            return report.state
        if not self.is_open(on):
            return "upcoming"
        if report is not None and report.state == ReportState.RETURNED:
            return "returned"
        return "overdue" if on > self.deadline else "due"


# --- reports ---------------------------------------------------------------------------------------------


class ReturnReason(models.TextChoices):
    INCOMPLETE = "incomplete", _("Incomplete content")
    FIGURES = "figures", _("Figures wrong or missing")
    EVIDENCE = "evidence", _("Evidence or attachment missing")
    VAGUE = "vague", _("Not specific enough")
    OTHER = "other", _("Other")


class ReportQuerySet(models.QuerySet):
    def late(self) -> ReportQuerySet:
        return self.filter(late=True, state__in=FILED_STATES)

    def awaiting_review(self) -> ReportQuerySet:
        return self.filter(state=ReportState.SUBMITTED).order_by("submitted_at", "id")

    def for_user(self, user, action: str = "view") -> ReportQuerySet:
        from league import policies

        return policies.scoped(self, user, action, path_field="slot__organization__path")


REPORT_TEXT_FIELDS = ("progress", "innovations", "problems", "suggestions")


# The report's history, named so that the submission's one-statement write (pilots/submission.py) applies the
# same rules as its post_save (who, why, which fields).
REPORT_HISTORY = HistoricalRecords(excluded_fields=["path", "period_start"])


class Report(models.Model):
    slot = models.OneToOneField(ReportSlot, verbose_name=_("slot"), on_delete=models.CASCADE,
                                related_name="report")  # fmt: skip
    state = models.CharField(
        _("state"), max_length=12, choices=ReportState.choices, default=ReportState.DRAFT
    )
    progress = models.TextField(_("progress (进展情况)"), blank=True)
    innovations = models.TextField(_("innovative measures (创新性措施)"), blank=True)
    problems = models.TextField(_("problems met (遇到的问题)"), blank=True)
    suggestions = models.TextField(_("suggestions (工作建议)"), blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    version = models.PositiveIntegerField(_("version"), default=0, help_text=_("Number of submissions."))
    late = models.BooleanField(_("late"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    first_submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    return_reason = models.CharField(_("reason for return"), max_length=20, choices=ReturnReason.choices,
                                     blank=True)  # fmt: skip
    return_comment = models.TextField(_("review comment"), blank=True)
    # The reporting organization's materialized path, copied when the report is created, rewritten with the
    # organization's subtree when it moves (pilots.apps connects pilots.paths.on_organization_moved to league's
    # organization_moved, sent inside the move's transaction) and when its slot changes organization: the review
    # queue ("submitted, in this subtree, oldest first") is then a range of a partial index, instead of walking
    # the country's submitted reports oldest first, each joined to its organization (1,567 for a province's 50).
    path = models.CharField(_("path"), max_length=255, editable=False, default="")
    # The slot's period start, copied likewise (and rewritten when the slot's period changes): the report list
    # ("newest period first, in tree order, in this subtree") is then read in order from one index of this table
    # (report_period_path), instead of walking the country's slots of the latest periods by organization id
    # until the subtree's (38,000 for the last of 30 provinces: 45 ms).
    period_start = models.DateField(_("period start"), editable=False)
    history = REPORT_HISTORY
    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period_start", "path", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="returned") | ~Q(return_reason=""), name="report_returned_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(submitted_at__isnull=False), name="report_filed_has_time"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "submitted_at"], name="report_state_submitted"),
            # The review queue: the submitted reports of a subtree (LIKE 'prefix%' reads a btree index only with
            # the pattern operator class), with the queue's order, so counting and paging read the index alone.
            models.Index(
                fields=["path", "submitted_at", "id"],
                name="report_queue",
                opclasses=["varchar_pattern_ops", "timestamptz_ops", "int8_ops"],
                condition=Q(state="submitted"),
            ),
            # The report list's count of a subtree (unfiltered, or by state or lateness): an index-only range of
            # at most a few pages' entries, instead of joining each report to its slot and organization.
            models.Index(
                fields=["path", "id"], name="report_path", opclasses=["varchar_pattern_ops", "int8_ops"]
            ),
            # The report list's order (newest period, then tree order), with a subtree's range checked in the index:
            # a page of a province reads its fifty entries of the latest period, skipping the other subtrees'
            # entries before them in the index alone.
            models.Index(
                fields=["-period_start", "path", "id"],
                name="report_period_path",
                opclasses=["date_ops", "varchar_pattern_ops", "int8_ops"],
            ),
        ]

    def __str__(self) -> str:
        return str(self.slot)

    def save(self, *args, **kwargs) -> None:
        # A report's slot, hence organization and period, is set once (see ReportSlot.save).
        if self._state.adding:
            self.path = self.slot.organization.path
            self.period_start = self.slot.period_start
        super().save(*args, **kwargs)

    @property
    def organization(self) -> Organization:
        return self.slot.organization

    @property
    def is_editable(self) -> bool:
        return self.state in OUTSTANDING_STATES

    def snapshot(self) -> dict:
        return {**{f: getattr(self, f) for f in REPORT_TEXT_FIELDS}, "figures": dict(self.figures or {})}

    def content_token(self) -> str:
        """A fingerprint of the draft's content: the edit form carries it, so a save over someone else's
        newer save is refused instead of silently overwriting it (two people of one office, or two tabs)."""
        payload = json.dumps(self.snapshot(), sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(payload.encode()).hexdigest()[:32]


class ReportVersion(models.Model):
    """A submitted version of a report, kept as it was sent (versions are compared on the report page)."""

    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.CASCADE,
                               related_name="versions")  # fmt: skip
    number = models.PositiveIntegerField(_("version"))
    progress = models.TextField(_("progress (进展情况)"), blank=True)
    innovations = models.TextField(_("innovative measures (创新性措施)"), blank=True)
    problems = models.TextField(_("problems met (遇到的问题)"), blank=True)
    suggestions = models.TextField(_("suggestions (工作建议)"), blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("submitted"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    late = models.BooleanField(_("late"), default=False)
    return_reason = models.CharField(_("reason for return"), max_length=20, choices=ReturnReason.choices,
                                     blank=True)  # fmt: skip
    return_comment = models.TextField(_("review comment"), blank=True)

    class Meta:
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="report_version_unique")]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"

    def snapshot(self) -> dict:
        return {**{f: getattr(self, f) for f in REPORT_TEXT_FIELDS}, "figures": dict(self.figures or {})}


class Attachment(models.Model):
    """A file attached to a report or to a milestone's evidence; stored by league.uploads, never public."""

    report = models.ForeignKey(Report, verbose_name=_("report"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="attachments")  # fmt: skip
    milestone = models.ForeignKey(Milestone, verbose_name=_("milestone"), null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="attachments")  # fmt: skip
    organization = models.ForeignKey(Organization, verbose_name=_("organization"), on_delete=models.CASCADE,
                                     related_name="+")  # fmt: skip
    file = models.FileField(_("file"), max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(report__isnull=False, milestone__isnull=True)
                | Q(report__isnull=True, milestone__isnull=False),
                name="attachment_has_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


# --- briefings (简报) --------------------------------------------------------------------------------------


class Excerpt(models.Model):
    """Good practice marked by staff in an accepted report; composed into briefings."""

    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.CASCADE,
                               related_name="excerpts")  # fmt: skip
    title = models.CharField(_("heading"), max_length=160)
    text = models.TextField(_("excerpt"))
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("marked by"), null=True,
                                  on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    marked_at = models.DateTimeField(_("marked"), default=timezone.now)
    briefing = models.ForeignKey("Briefing", verbose_name=_("briefing"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="excerpts")  # fmt: skip
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("excerpt")
        verbose_name_plural = _("excerpts")
        ordering = ["order", "marked_at", "id"]

    def __str__(self) -> str:
        return self.title


class BriefingQuerySet(models.QuerySet):
    def published(self) -> BriefingQuerySet:
        return self.filter(published_at__isnull=False)

    def search(self, text: str) -> BriefingQuerySet:
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            Q(title__icontains=text) | Q(foreword__icontains=text) | Q(excerpts__text__icontains=text)
        ).distinct()


class Briefing(models.Model):
    """A numbered briefing issue (简报 第N期, 总第M期): N counts the program's issues in the year, M all
    issues the running organization has published. Numbers are given when it is published."""

    program = models.ForeignKey(PilotProgram, verbose_name=_("program"), on_delete=models.CASCADE,
                                related_name="briefings")  # fmt: skip
    organization = models.ForeignKey(Organization, verbose_name=_("publisher"), on_delete=models.PROTECT,
                                     related_name="briefings")  # fmt: skip
    title = models.CharField(_("title"), max_length=160)
    foreword = models.TextField(_("foreword"), blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    number = models.PositiveIntegerField(_("issue number"), null=True, blank=True)
    total_number = models.PositiveIntegerField(_("overall issue number"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    history = HistoricalRecords()
    objects = BriefingQuerySet.as_manager()

    class Meta:
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "year", "number"], name="briefing_unique_number"),
            models.UniqueConstraint(fields=["organization", "total_number"], name="briefing_unique_total"),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True)
                | Q(number__isnull=False, total_number__isnull=False, year__isnull=False),
                name="briefing_published_numbered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


# --- reminders (pilots/models_reminders.py) ---------------------------------------------------------------
# Guidance, pairing and funds live in their own modules (issue 7); imported here so Django registers them.
from .funds.models import *  # noqa: E402, F403
from .guidance.models import *  # noqa: E402, F403
from .models_reminders import (  # noqa: E402, F401
    Delivery,
    DeliveryState,
    OrganizationWebhook,
    Reminder,
    ReminderKind,
    ReminderMessage,
    ReminderPolicy,
    ReminderState,
    WebhookKind,
)
from .models_tally import ReportTally  # noqa: E402, F401
