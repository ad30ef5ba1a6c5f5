"""Forms of assessment pages: they only shape input; the rules live in services.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from league.models import Level, Organization

from .models import Award, Method

MAX_ID = 2**31 - 1
DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
TEXT = forms.Textarea(attrs={"rows": 3})
HOST_LEVELS = [Level.PROVINCE, Level.CITY, Level.COUNTY]


def unit_choices(organization: Organization):
    """The units a committee inspects, hears or ranks: its subtree two levels down (not the whole tree)."""
    return organization.descendants().filter(depth__lte=organization.depth + 2).order_by("path")


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
    organization = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Record"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class HearingReportForm(forms.Form):
    text = forms.CharField(label=_("Rectification report"), widget=forms.Textarea(attrs={"rows": 5}))


METHOD_CHOICES = Method.choices


# --- a scheme's criteria ------------------------------------------------------------------------------------


SMALL = {"class": "form-control form-control-sm"}


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=60, widget=forms.TextInput(attrs=SMALL))
    max_points = forms.IntegerField(label=_("Maximum points"), min_value=1, max_value=100,
                                    widget=forms.NumberInput(attrs=SMALL))  # fmt: skip
    description = forms.CharField(label=_("Description and scoring guidance"), required=False,
                                  widget=forms.Textarea(attrs={**SMALL, "rows": 2}))  # fmt: skip


CriteriaFormSet = forms.formset_factory(
    CriterionForm, extra=1, can_delete=True, max_num=12, validate_max=True, absolute_max=12
)


class VetoItemsForm(forms.Form):
    veto_items = forms.CharField(label=_("Veto items (一票否决), one per line"), required=False,
                                 widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}))  # fmt: skip


# --- inspections, hearings, ranking -------------------------------------------------------------------------


class InspectionForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int, choices=[
        (1, _("First quarter")), (2, _("Second quarter")), (3, _("Third quarter")), (4, _("Fourth quarter"))])  # fmt: skip
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    plan = forms.CharField(label=_("Plan"), widget=TEXT)
    team = forms.CharField(label=_("Inspection team"), widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("One member per line, with post."))  # fmt: skip
    methods = forms.MultipleChoiceField(label=_("Methods"), choices=Method.choices,
                                        widget=forms.CheckboxSelectMultiple)  # fmt: skip
    units = forms.ModelMultipleChoiceField(label=_("Units visited"), queryset=Organization.objects.none(),
                                           widget=forms.CheckboxSelectMultiple)  # fmt: skip

    def __init__(self, *args, city: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = unit_choices(city)


class FindingForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Unit"), queryset=Organization.objects.none())
    text = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 2}))
    action = forms.CharField(label=_("Rectification action"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("With an action, the finding becomes an item on the unit's rectification "
                                         "ledger (the unit must be a rectification target)."))  # fmt: skip
    owner = forms.CharField(label=_("Owner"), required=False, max_length=60)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE)

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = inspection.units.order_by("path")


class HearingForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    units = forms.ModelMultipleChoiceField(label=_("Secretaries heard (5 to 8 units)"),
                                           queryset=Organization.objects.none(),
                                           widget=forms.CheckboxSelectMultiple)  # fmt: skip
    comments = forms.CharField(label=_("Comments"), required=False, widget=TEXT)

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = unit_choices(organization)


class SpeakerCommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment at the hearing"), widget=forms.Textarea(attrs={"rows": 2}))


class RankingForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class RankingRowForm(forms.Form):
    organization = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)
    score = forms.DecimalField(label=_("Score"), required=False, min_value=0, max_value=100, max_digits=4,
                               decimal_places=1, widget=forms.TextInput(attrs={**SMALL, "inputmode": "decimal"}))  # fmt: skip


RankingFormSet = forms.formset_factory(RankingRowForm, extra=0, max_num=500, absolute_max=500)
