"""Forms of the lineup pages (layout in each form's FormHelper)."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    AssignmentKind,
    Employment,
    EndReason,
    Establishment,
    HowObtained,
    LineupRule,
    MemberCategory,
    Person,
    SeatRole,
    TalkOutcome,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class _Helped:
    submit_label = _("Save")

    def _helper(self):
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


class HelpedForm(_Helped, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class PersonForm(_Helped, forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "gender", "birth_date", "id_number", "phone", "employer", "political_status",
                  "youth_group", "notes"]  # fmt: skip
        widgets = {"birth_date": DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class TermForm(HelpedForm):
    submit_label = _("Create the term")
    number = forms.IntegerField(label=_("term number"), min_value=1, max_value=999, help_text=_("第N届"))
    start = forms.DateField(label=_("start"), widget=DateInput())
    end = forms.DateField(label=_("end"), widget=DateInput())
    rule = forms.ModelChoiceField(
        label=_("lineup rule"),
        queryset=LineupRule.objects.all(),
        required=False,
        help_text=_("Leave empty to follow the rule of the county or the default rule."),
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class SeatFillForm(HelpedForm):
    submit_label = _("Fill the seat")
    person = forms.ModelChoiceField(label=_("person"), queryset=Person.objects.none())
    role = forms.ChoiceField(label=_("post"), choices=SeatRole.choices)
    establishment = forms.ChoiceField(label=_("establishment"), choices=Establishment.choices)
    employment = forms.ChoiceField(
        label=_("employment"), choices=Employment.choices, initial=Employment.PART_TIME
    )
    category = forms.ModelChoiceField(
        label=_("category"), queryset=MemberCategory.objects.filter(active=True), required=False
    )
    start = forms.DateField(label=_("start"), widget=DateInput(), initial=timezone.localdate)
    how_obtained = forms.ChoiceField(label=_("how obtained"), choices=HowObtained.choices)
    source = forms.CharField(label=_("source"), max_length=200, required=False)
    pledge = forms.CharField(
        label=_("pledge (承诺)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["person"].queryset = people


class SeatVacateForm(HelpedForm):
    submit_label = _("Vacate the seat")
    on = forms.DateField(label=_("ended on"), widget=DateInput(), initial=timezone.localdate)
    reason = forms.ChoiceField(
        label=_("end reason"), choices=[c for c in EndReason.choices if c[0] != EndReason.ORDERED]
    )
    note = forms.CharField(label=_("end note"), max_length=300, required=False)


class PledgeForm(HelpedForm):
    submit_label = _("Record the pledge")
    pledge = forms.CharField(label=_("pledge (承诺)"), widget=forms.Textarea(attrs={"rows": 3}))
    pledged_on = forms.DateField(label=_("pledged on"), widget=DateInput(), initial=timezone.localdate)


class AssignmentForm(HelpedForm):
    submit_label = _("Add to the division of work")
    kind = forms.ChoiceField(label=_("kind"), choices=AssignmentKind.choices)
    region = forms.ModelChoiceField(label=_("region"), queryset=None, required=False)
    label = forms.CharField(label=_("sector or youth group"), max_length=80, required=False)

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions


class ReviewForm(HelpedForm):
    submit_label = _("Record the review")
    held_on = forms.DateField(label=_("held on"), widget=DateInput(), initial=timezone.localdate)
    period = forms.CharField(label=_("period"), max_length=40, help_text=_("e.g. 2024年度"))
    report = forms.CharField(
        label=_("report (述职)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    scores = forms.CharField(
        label=_("delegates' scores"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One delegate a line: name, score (0–100), comment. E.g. 李明, 92, 联系青年紧密"),
    )

    def clean_scores(self):
        rows = []
        for line in self.cleaned_data["scores"].splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("，", ",").split(",", 2)]
            parts += [""] * (3 - len(parts))
            rows.append(tuple(parts))
        return rows


class RecommendationForm(HelpedForm):
    submit_label = _("Record the recommendation")
    target = forms.CharField(
        label=_("recommended for"), max_length=80, help_text=_("e.g. 社区干部, 街道政协委员")
    )
    proposed_on = forms.DateField(label=_("proposed on"), widget=DateInput(), initial=timezone.localdate)
    review = forms.ModelChoiceField(label=_("based on review"), queryset=None, required=False)
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, reviews=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review"].queryset = reviews


class TalkForm(HelpedForm):
    submit_label = _("Record the talk")
    held_on = forms.DateField(label=_("held on"), widget=DateInput(), initial=timezone.localdate)
    talked_by = forms.CharField(label=_("talk given by"), max_length=60)
    content = forms.CharField(label=_("what was said"), widget=forms.Textarea(attrs={"rows": 2}))
    outcome = forms.ChoiceField(label=_("outcome"), choices=TalkOutcome.choices)


class OrderResignationForm(HelpedForm):
    submit_label = _("Order to resign")
    on = forms.DateField(label=_("effective on"), widget=DateInput(), initial=timezone.localdate)
    reason = forms.CharField(label=_("reason"), max_length=300)


class StatsFilterForm(forms.Form):
    on = forms.DateField(
        label=_("on"), widget=DateInput(attrs={"class": "form-control form-control-sm"}), required=False
    )
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
        choices=[("", _("All")), ("complete", _("Complete")), ("incomplete", _("Incomplete"))],
    )
