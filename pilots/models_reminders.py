"""Reminders: per-program settings, the claim rows (one per slot, kind, deadline and sequence), the
messages built from them and their deliveries through channels (in-app, e-mail, work-chat webhook).

A sweep decides from the database who is due (pilots/reminders.py) and bulk-creates claim rows; a row is
unique, so running the sweep twice, or two sweeps at once, creates it once. Dispatch takes pending rows
with a compare-and-set UPDATE and, in the same transaction, writes the message, the in-app notices and
the outbox rows of the other channels; a crash rolls all of it back and the row stays pending.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from league.models import Organization


class ReminderPolicy(models.Model):
    """N, M, K and the pause switch of one program (programs without a row use the defaults)."""

    program = models.OneToOneField("pilots.PilotProgram", verbose_name=_("program"), on_delete=models.CASCADE,
                                   related_name="reminder_policy")  # fmt: skip
    due_soon_days = models.PositiveSmallIntegerField(_("remind days before the deadline (N)"), default=3)
    overdue_every_days = models.PositiveSmallIntegerField(
        _("repeat overdue reminders every (days)"), default=7
    )
    escalate_after_reminders = models.PositiveSmallIntegerField(
        _("escalate after overdue reminders (M)"), default=2
    )
    escalate_after_days = models.PositiveSmallIntegerField(_("escalate after days late (K)"), default=14)
    paused = models.BooleanField(_("reminders paused"), default=False)
    history = HistoricalRecords()

    DEFAULTS = {"due_soon_days": 3, "overdue_every_days": 7, "escalate_after_reminders": 2,
                "escalate_after_days": 14, "paused": False}  # fmt: skip

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")
        constraints = [
            models.CheckConstraint(condition=Q(overdue_every_days__gte=1), name="reminder_every_positive"),
            models.CheckConstraint(condition=Q(escalate_after_reminders__gte=1), name="reminder_m_positive"),
            models.CheckConstraint(condition=Q(escalate_after_days__gte=1), name="reminder_k_positive"),
        ]

    def __str__(self) -> str:
        return str(self.program)


class WebhookKind(models.TextChoices):
    WECOM = "wecom", _("Enterprise WeChat robot")
    DINGTALK = "dingtalk", _("DingTalk robot")


class OrganizationWebhook(models.Model):
    """A work-chat robot URL of one organization; its reminders are posted there too."""

    organization = models.OneToOneField(Organization, verbose_name=_("organization"), on_delete=models.CASCADE,
                                        related_name="reminder_webhook")  # fmt: skip
    kind = models.CharField(_("kind"), max_length=10, choices=WebhookKind.choices, default=WebhookKind.WECOM)
    url = models.URLField(_("robot URL"), max_length=500)
    enabled = models.BooleanField(_("enabled"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("work-chat webhook")
        verbose_name_plural = _("work-chat webhooks")

    def __str__(self) -> str:
        return f"{self.organization} · {self.get_kind_display()}"


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    RETURNED = "returned", _("Returned for revision")
    ESCALATION = "escalation", _("Escalation")
    THEME_DAY = "theme_day", _("Theme day missing")


class ReminderState(models.TextChoices):
    PENDING = "pending", _("pending")
    SENT = "sent", _("sent")
    SKIPPED = "skipped", _("skipped")


class ReminderQuerySet(models.QuerySet):
    def for_user(self, user, action: str = "view") -> ReminderQuerySet:
        from league import policies

        return policies.scoped(self, user, action, path_field="organization__path")


class Reminder(models.Model):
    """A claim: this slot gets this reminder (for this deadline, the n-th time) exactly once. A reminder
    about a record that is not a report (a branch's missing monthly theme day) has no slot and no program:
    it is unique per organization, kind, deadline and sequence instead."""

    slot = models.ForeignKey("pilots.ReportSlot", verbose_name=_("slot"), on_delete=models.CASCADE,
                             related_name="reminders", null=True, blank=True)  # fmt: skip
    program = models.ForeignKey("pilots.PilotProgram", verbose_name=_("program"), on_delete=models.CASCADE,
                                related_name="reminders", null=True, blank=True)  # fmt: skip
    organization = models.ForeignKey(Organization, verbose_name=_("organization"), on_delete=models.CASCADE,
                                     related_name="reminders")  # fmt: skip
    kind = models.CharField(_("kind"), max_length=12, choices=ReminderKind.choices)
    deadline = models.DateField(_("deadline"))
    sequence = models.PositiveSmallIntegerField(_("number"), default=1)
    state = models.CharField(_("state"), max_length=8, choices=ReminderState.choices,
                             default=ReminderState.PENDING)  # fmt: skip
    skip_reason = models.CharField(_("why skipped"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    claim_token = models.CharField(max_length=32, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    message = models.ForeignKey("pilots.ReminderMessage", verbose_name=_("message"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="reminders")  # fmt: skip
    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "kind", "deadline", "sequence"], name="reminder_claim_once"
            ),
            models.UniqueConstraint(
                fields=["organization", "kind", "deadline", "sequence"],
                condition=Q(slot__isnull=True),
                name="reminder_org_claim_once",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "created_at"], name="reminder_state"),
            models.Index(fields=["program", "-created_at"], name="reminder_program"),
        ]

    def __str__(self) -> str:
        return f"{self.slot or self.organization} · {self.get_kind_display()} #{self.sequence}"

    @property
    def period_label(self) -> str:
        """The report's period, or the month a theme-day reminder is about."""
        return self.slot.period_label if self.slot_id else f"{self.deadline:%Y-%m}"


class ReminderMessage(models.Model):
    """What was said to one organization (one message even when it lists several late units)."""

    program = models.ForeignKey("pilots.PilotProgram", verbose_name=_("program"), on_delete=models.CASCADE,
                                related_name="reminder_messages", null=True, blank=True)  # fmt: skip
    organization = models.ForeignKey(Organization, verbose_name=_("to organization"), on_delete=models.CASCADE,
                                     related_name="reminder_messages")  # fmt: skip
    kind = models.CharField(_("kind"), max_length=12, choices=ReminderKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder message")
        verbose_name_plural = _("reminder messages")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "-created_at"], name="remindermsg_org")]

    def __str__(self) -> str:
        return self.title


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("waiting")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class Delivery(models.Model):
    """One message through one channel to one target (a user, an address, a robot URL). In-app
    deliveries are written sent with the notice; the others are an outbox drained with retries."""

    message = models.ForeignKey(ReminderMessage, verbose_name=_("message"), on_delete=models.CASCADE,
                                related_name="deliveries")  # fmt: skip
    channel = models.CharField(_("channel"), max_length=20)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    target = models.CharField(_("to"), max_length=500, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=DeliveryState.choices,
                             default=DeliveryState.PENDING)  # fmt: skip
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["message", "channel", "id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.channel} → {self.target or self.recipient_id}"
