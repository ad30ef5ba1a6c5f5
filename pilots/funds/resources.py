"""Excel columns of a fund's ledger and applications (django-import-export)."""

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from .models import LedgerEntry, ProjectApplication

MONEY = widgets.DecimalWidget(coerce_to_string=False)


class LedgerResource(resources.ModelResource):
    fund = fields.Field(attribute="fund__name", column_name=_("Fund"))
    seq = fields.Field(
        attribute="seq", widget=widgets.IntegerWidget(coerce_to_string=False), column_name=_("No.")
    )
    entry_date = fields.Field(attribute="entry_date", column_name=_("Date"))
    kind = fields.Field(attribute="get_kind_display", column_name=_("Kind"))
    amount = fields.Field(attribute="amount", widget=MONEY, column_name=_("Amount (yuan)"))
    balance_after = fields.Field(attribute="balance_after", widget=MONEY, column_name=_("Balance after"))
    unit = fields.Field(attribute="organization__name", column_name=_("Unit"))
    source = fields.Field(attribute="source", column_name=_("Source or payee"))
    memo = fields.Field(attribute="memo", column_name=_("Memo"))
    reverses = fields.Field(attribute="reverses__seq", column_name=_("Reverses no."))
    created_by = fields.Field(attribute="created_by__username", column_name=_("Entered by"))
    created_at = fields.Field(attribute="created_at", column_name=_("Entered"))

    class Meta:
        model = LedgerEntry
        fields = ("fund", "seq", "entry_date", "kind", "amount", "balance_after", "unit", "source", "memo",
                  "reverses", "created_by", "created_at")  # fmt: skip


class ApplicationResource(resources.ModelResource):
    fund = fields.Field(attribute="fund__name", column_name=_("Fund"))
    unit = fields.Field(attribute="organization__name", column_name=_("Applying unit"))
    title = fields.Field(attribute="title", column_name=_("Project title"))
    amount_requested = fields.Field(
        attribute="amount_requested", widget=MONEY, column_name=_("Requested (yuan)")
    )
    status = fields.Field(attribute="get_status_display", column_name=_("Status"))
    amount_approved = fields.Field(
        attribute="amount_approved", widget=MONEY, column_name=_("Approved (yuan)")
    )
    decision_reason = fields.Field(attribute="decision_reason", column_name=_("Reason"))
    applied_at = fields.Field(attribute="applied_at", column_name=_("Applied"))
    decided_by = fields.Field(attribute="decided_by__username", column_name=_("Decided by"))
    decided_at = fields.Field(attribute="decided_at", column_name=_("Decided"))

    class Meta:
        model = ProjectApplication
        fields = ("fund", "unit", "title", "amount_requested", "status", "amount_approved", "decision_reason",
                  "applied_at", "decided_by", "decided_at")  # fmt: skip
