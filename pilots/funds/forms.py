"""Forms for funds. Amounts are text here and parsed by pilots.funds.money (Decimal, two places)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from league.models import Organization

from ..models import PilotProgram, today
from ..widgets import NamedModelChoiceField
from .models import EntryKind

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
MONEY = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})


class FundForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    # The committees the user manages that may hold a fund (a hundred for a province): rendered from (id, name).
    organization = NamedModelChoiceField(label=_("Organization"), queryset=Organization.objects.none())
    program = NamedModelChoiceField(label=_("Program"), queryset=PilotProgram.objects.none(), required=False)

    def __init__(self, *args, organizations, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["program"].queryset = programs


class EntryForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[c for c in EntryKind.choices if c[0] != EntryKind.DISBURSEMENT]
    )
    amount = forms.CharField(label=_("Amount (yuan)"), widget=MONEY)
    entry_date = forms.DateField(label=_("Date"), widget=DATE)
    source = forms.CharField(label=_("Source (for a source entry)"), required=False, max_length=200)
    organization = forms.ModelChoiceField(
        label=_("Unit (refunded dues, reward)"), queryset=Organization.objects.none(), required=False
    )
    memo = forms.CharField(label=_("Memo"), required=False, max_length=300)

    def __init__(self, *args, units, **kwargs):
        kwargs.setdefault("initial", {"entry_date": today()})
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = units


class ApplicationForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Applying unit"), queryset=Organization.objects.none())
    title = forms.CharField(label=_("Project title"), max_length=200)
    plan = forms.CharField(label=_("Plan"), widget=forms.Textarea(attrs={"rows": 4}))
    amount = forms.CharField(label=_("Amount requested (yuan)"), widget=MONEY)
    budget = forms.CharField(
        label=_("Budget lines"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line: item, amount — e.g. “场地, 800”. They must add up to the request."),
    )  # fmt: skip

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = units

    def budget_lines(self) -> list[dict]:
        out = []
        for line in (self.cleaned_data.get("budget") or "").splitlines():
            if not line.strip():
                continue
            for sep in (",", "，", "\t", ":", "："):
                if sep in line:
                    item, _sep, amount = line.rpartition(sep)
                    break
            else:
                item, amount = line, ""
            out.append({"item": item.strip(), "amount": amount.strip()})
        return out


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))],
                                 widget=forms.RadioSelect)  # fmt: skip
    amount = forms.CharField(label=_("Amount approved (yuan; empty: in full)"), required=False, widget=MONEY)
    reason = forms.CharField(label=_("Reason (required to reject)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    disburse_now = forms.BooleanField(label=_("Pay out the approved amount now"), required=False)


class DisburseForm(forms.Form):
    amount = forms.CharField(label=_("Amount (yuan)"), widget=MONEY)
    entry_date = forms.DateField(label=_("Date"), widget=DATE)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"entry_date": today()})
        super().__init__(*args, **kwargs)


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("Why is this entry reversed?"), max_length=200)
