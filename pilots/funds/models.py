"""Funds, project applications and the ledger.

Money is Decimal with two places (yuan). The ledger is append-only: an entry is never updated or deleted
(the model refuses, and on PostgreSQL a trigger refuses too); a mistaken entry is reversed by another
entry of the same kind and opposite sign. Each entry carries its fund-wide sequence number and the
balance after it, computed by the service under a lock on the fund row and checked by the database
(`balance_after >= 0`, one entry per (fund, seq)), so the balance can be shown without being typed.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from league.models import Organization

from ..models import PilotProgram

ZERO = Decimal("0.00")


class Fund(models.Model):
    organization = models.ForeignKey(Organization, verbose_name=_("organization"), on_delete=models.PROTECT,
                                     related_name="pilot_funds")  # fmt: skip
    program = models.ForeignKey(PilotProgram, verbose_name=_("program"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="funds")  # fmt: skip
    name = models.CharField(_("name"), max_length=160)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   on_delete=models.PROTECT, related_name="+")  # fmt: skip
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pilot fund")
        verbose_name_plural = _("pilot funds")
        ordering = ["organization__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="fund_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def balance(self) -> Decimal:
        return self.entries.aggregate(s=Sum("amount"))["s"] or ZERO


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Pending")
    APPROVED = "approved", _("Approved in full")
    PARTLY = "partly", _("Approved in part")
    REJECTED = "rejected", _("Rejected")


DECIDED = (ApplicationStatus.APPROVED, ApplicationStatus.PARTLY)


class ProjectApplication(models.Model):
    """A pilot unit applies to a fund for a project (立项申请); staff approve (fully or partly) or reject."""

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="applications"
    )
    organization = models.ForeignKey(Organization, verbose_name=_("applying unit"), on_delete=models.PROTECT,
                                     related_name="fund_applications")  # fmt: skip
    title = models.CharField(_("project title"), max_length=200)
    plan = models.TextField(_("plan"))
    amount_requested = models.DecimalField(_("amount requested (yuan)"), max_digits=12, decimal_places=2)
    budget_lines = models.JSONField(_("budget lines"), default=list, blank=True,
                                    help_text=_('A list of {"item", "amount"}; amounts add up to the request.'))  # fmt: skip
    status = models.CharField(_("status"), max_length=12, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.SUBMITTED)  # fmt: skip
    amount_approved = models.DecimalField(_("amount approved (yuan)"), max_digits=12, decimal_places=2,
                                          null=True, blank=True)  # fmt: skip
    decision_reason = models.TextField(_("reason"), blank=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("applied by"),
                                   on_delete=models.PROTECT, related_name="+")  # fmt: skip
    applied_at = models.DateTimeField(_("applied"), default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")  # fmt: skip
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project application")
        verbose_name_plural = _("project applications")
        ordering = ["-applied_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_requested__gt=0), name="application_request_positive"),
            models.CheckConstraint(
                condition=Q(amount_approved__isnull=True)
                | Q(amount_approved__gt=0, amount_approved__lte=models.F("amount_requested")),
                name="application_approved_within_request",
            ),
            models.CheckConstraint(
                condition=Q(status="submitted", amount_approved__isnull=True, decided_at__isnull=True)
                | Q(
                    status__in=["approved", "partly"], amount_approved__isnull=False, decided_at__isnull=False
                )
                | (
                    Q(status="rejected", amount_approved__isnull=True, decided_at__isnull=False)
                    & ~Q(decision_reason="")
                ),
                name="application_status_consistent",
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_pending(self) -> bool:
        return self.status == ApplicationStatus.SUBMITTED

    def disbursed(self) -> Decimal:
        return -(self.entries.filter(kind=EntryKind.DISBURSEMENT).aggregate(s=Sum("amount"))["s"] or ZERO)

    def remaining(self) -> Decimal:
        if self.status not in DECIDED:
            return ZERO
        return self.amount_approved - self.disbursed()


class EntryKind(models.TextChoices):
    SOURCE = "source", _("Source (经费来源)")
    REFUND = "refund", _("Refunded dues (团费退返)")
    DISBURSEMENT = "disbursement", _("Disbursement (拨付)")
    REWARD = "reward", _("One-off reward (一次性奖励)")


INFLOWS = (EntryKind.SOURCE, EntryKind.REFUND)
OUTFLOWS = (EntryKind.DISBURSEMENT, EntryKind.REWARD)


class AppendOnlyError(RuntimeError):
    pass


class LedgerEntry(models.Model):
    fund = models.ForeignKey(Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="entries")
    seq = models.PositiveIntegerField(_("no."))
    kind = models.CharField(_("kind"), max_length=14, choices=EntryKind.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2,
                                 help_text=_("Positive into the fund, negative out of it."))  # fmt: skip
    balance_after = models.DecimalField(_("balance after"), max_digits=14, decimal_places=2)
    entry_date = models.DateField(_("date"))
    source = models.CharField(_("source or payee"), max_length=200, blank=True)
    memo = models.CharField(_("memo"), max_length=300, blank=True)
    organization = models.ForeignKey(Organization, verbose_name=_("unit"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="fund_entries")  # fmt: skip
    application = models.ForeignKey(ProjectApplication, verbose_name=_("application"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="entries")  # fmt: skip
    reverses = models.OneToOneField("self", verbose_name=_("reverses"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="reversed_by")  # fmt: skip
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"),
                                   on_delete=models.PROTECT, related_name="+")  # fmt: skip
    created_at = models.DateTimeField(_("entered"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["fund", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "seq"], name="ledger_seq_unique"),
            models.CheckConstraint(condition=Q(balance_after__gte=0), name="ledger_balance_not_negative"),
            models.CheckConstraint(
                condition=(
                    Q(reverses__isnull=True)
                    & (
                        Q(kind__in=["source", "refund"], amount__gt=0)
                        | Q(kind__in=["disbursement", "reward"], amount__lt=0)
                    )
                )
                | (
                    Q(reverses__isnull=False)
                    & (
                        Q(kind__in=["source", "refund"], amount__lt=0)
                        | Q(kind__in=["disbursement", "reward"], amount__gt=0)
                    )
                ),
                name="ledger_sign_matches_kind",
            ),  # fmt: skip
            models.CheckConstraint(
                condition=~Q(kind="disbursement") | Q(application__isnull=False, organization__isnull=False),
                name="ledger_disbursement_has_application",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["refund", "reward"]) | Q(organization__isnull=False),
                name="ledger_unit_entries_have_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund} #{self.seq} {self.amount}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Ledger entries are append-only: reverse the entry instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Ledger entries are append-only: reverse the entry instead.")

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


__all__ = [
    "ZERO",
    "Fund",
    "ApplicationStatus",
    "ProjectApplication",
    "EntryKind",
    "LedgerEntry",
    "AppendOnlyError",
]
