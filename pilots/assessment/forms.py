"""Forms of assessment pages: they only shape input; the rules live in services.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Award, Method


class ReviewForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    members = forms.CharField(label=_("Review group members"), widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("One name per line, with post."))  # fmt: skip
    phase = forms.ModelChoiceField(label=_("Phase"), queryset=None, required=False)

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = program.phases.all()


class CorrectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2}))


class AwardForm(forms.Form):
    award = forms.ChoiceField(label=_("Award"), choices=Award.choices)
    statement = forms.CharField(label=_("Deeds (事迹)"), widget=forms.Textarea(attrs={"rows": 5}))


class RoundForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    five_star_quota = forms.IntegerField(
        label=_("Five-star quota (%)"), initial=20, min_value=0, max_value=100
    )
    four_star_quota = forms.IntegerField(
        label=_("Four-star quota (%)"), initial=60, min_value=0, max_value=100
    )


class ItemForm(forms.Form):
    problem = forms.CharField(label=_("Problem"), widget=forms.Textarea(attrs={"rows": 2}))
    action = forms.CharField(label=_("Action"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.CharField(label=_("Owner"), max_length=60)
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))


class CloseItemForm(forms.Form):
    evidence = forms.CharField(label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("Evidence file"), required=False)


class RecheckForm(forms.Form):
    score = forms.CharField(
        label=_("Re-checked score"), widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )


class EscalationForm(forms.Form):
    organization = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Record"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class HearingReportForm(forms.Form):
    text = forms.CharField(label=_("Rectification report"), widget=forms.Textarea(attrs={"rows": 5}))


METHOD_CHOICES = Method.choices
