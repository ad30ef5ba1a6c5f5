from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    CoverageGap,
    HomeActivity,
    Lack,
    Lecture,
    OfficerAssessment,
    ProjectActivity,
    ServiceProject,
    ThemeDayItem,
    TransferRate,
    ValueType,
    YouthFunding,
    YouthHome,
    YouthOfficer,
)


class DateInput(forms.DateInput):
    """A native date picker; its value must be ISO whatever the language's date format."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs, format=format)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)]


def _helper(label) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.add_input(Submit("submit", label))
    return helper


class SaveHelperMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save"))


class ThemeDayForm(forms.Form):
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=None)
    held_on = forms.DateField(label=_("Held on"), widget=DateInput)
    topic = forms.CharField(label=_("Topic"), max_length=120, required=False)
    members_present = forms.IntegerField(label=_("Members present"), min_value=0, max_value=100_000)
    members_total = forms.IntegerField(label=_("Members in the branch"), min_value=1, max_value=100_000)
    items = forms.ModelMultipleChoiceField(
        label=_("Fixed items done (七事联动)"),
        queryset=ThemeDayItem.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    own_items = forms.CharField(
        label=_("Own items (自选动作)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    photos = MultipleFileField(label=_("Photos (JPEG or PNG)"), required=False)

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        self.fields["held_on"].initial = timezone.localdate()
        self.helper = _helper(_("Save the theme day"))


class LectureForm(SaveHelperMixin, forms.ModelForm):
    class Meta:
        model = Lecture
        fields = ["held_on", "kind", "title", "speaker", "place", "audience", "summary"]
        widgets = {"held_on": DateInput, "summary": forms.Textarea(attrs={"rows": 3})}


class YouthHomeForm(SaveHelperMixin, forms.ModelForm):
    class Meta:
        model = YouthHome
        fields = ["name", "tier", "address", "opening_hours"]


class HomeActivityForm(SaveHelperMixin, forms.ModelForm):
    class Meta:
        model = HomeActivity
        fields = ["held_on", "title", "participants"]
        widgets = {"held_on": DateInput}


class ProjectForm(SaveHelperMixin, forms.ModelForm):
    class Meta:
        model = ServiceProject
        fields = ["name", "is_brand", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ProjectActivityForm(SaveHelperMixin, forms.ModelForm):
    class Meta:
        model = ProjectActivity
        fields = ["held_on", "title", "volunteers", "served"]
        widgets = {"held_on": DateInput}


class OfficerForm(SaveHelperMixin, forms.ModelForm):
    replacing = forms.ModelChoiceField(
        label=_("Replaces (opens a handover checklist)"), queryset=YouthOfficer.objects.none(), required=False
    )

    class Meta:
        model = YouthOfficer
        fields = ["post", "name", "full_time", "started_on"]
        widgets = {"started_on": DateInput}

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organization is not None:
            self.fields["replacing"].queryset = YouthOfficer.objects.filter(
                organization=organization
            ).serving()


class AssessmentForm(SaveHelperMixin, forms.ModelForm):
    class Meta:
        model = OfficerAssessment
        fields = ["year", "grade", "award_yuan", "note"]


class MeasureForm(SaveHelperMixin, forms.Form):
    lack = forms.ChoiceField(label=_("Answers"), choices=Lack.choices)
    title = forms.CharField(label=_("Measure"), max_length=200)
    indicator = forms.CharField(label=_("Indicator"), max_length=160)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    value_type = forms.ChoiceField(label=_("Value type"), choices=ValueType.choices)
    target = forms.CharField(label=_("Target"), max_length=40, help_text=_("e.g. 25万, 3, 50%, 是"))
    actual = forms.CharField(label=_("Actual"), max_length=40, required=False)
    evidence = forms.CharField(label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class MeasureActualForm(SaveHelperMixin, forms.Form):
    actual = forms.CharField(
        label=_("Actual"),
        max_length=40,
        help_text=_("A number; amounts may be written 25万; yes/no as 是/否."),
    )
    evidence = forms.CharField(label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class FundingForm(SaveHelperMixin, forms.ModelForm):
    class Meta:
        model = YouthFunding
        fields = ["year", "youth_population", "amount_yuan"]


class GapForm(SaveHelperMixin, forms.ModelForm):
    class Meta:
        model = CoverageGap
        fields = ["name", "kind", "found_on"]
        widgets = {"found_on": DateInput}


class TransferForm(SaveHelperMixin, forms.ModelForm):
    class Meta:
        model = TransferRate
        fields = ["year", "graduating", "transferred"]


class CloseGapForm(SaveHelperMixin, forms.Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput)
