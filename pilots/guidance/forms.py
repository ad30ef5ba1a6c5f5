"""Forms for visits, assignments and pairs. They only shape input; rules live in services.py."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from league.models import Domain, Membership, Organization, Role

from ..models import PilotUnit, today
from .models import AgreementStatus, ProblemKind, VisitKind

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,.pdf,.doc,.docx,.xls,.xlsx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def lines(text: str) -> list[str]:
    return [line.strip(" -·•\t") for line in (text or "").splitlines() if line.strip(" -·•\t")]


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Date"), widget=DATE)
    kind = forms.ChoiceField(label=_("Kind"), choices=VisitKind.choices)
    summary = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    activity_designed = forms.CharField(
        label=_("Signature activity designed"), required=False, max_length=200
    )
    raised = forms.CharField(label=_("Problems raised (one a line)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    solved_now = forms.CharField(label=_("Problems solved in this visit (one a line)"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    problem_kind = forms.ChoiceField(label=_("Kind of these problems"), choices=ProblemKind.choices,
                                     initial=ProblemKind.DIFFICULTY)  # fmt: skip
    solve = forms.MultipleChoiceField(label=_("Earlier problems solved now"), required=False,
                                      widget=forms.CheckboxSelectMultiple)  # fmt: skip
    funds_amount = forms.CharField(label=_("Funds coordinated (yuan)"), required=False,
                                   widget=forms.TextInput(attrs={"inputmode": "decimal"}))  # fmt: skip
    funds_source = forms.CharField(label=_("Source of the funds"), required=False, max_length=200)
    files = MultipleFileField(label=_("Photos or documents"), required=False,
                              help_text=_("Images, PDF, Word or Excel, up to 10 MB each."))  # fmt: skip

    def __init__(self, *args, open_problems=(), **kwargs):
        kwargs.setdefault("initial", {"visited_on": today()})
        super().__init__(*args, **kwargs)
        self.fields["solve"].choices = [(str(p.pk), p.description) for p in open_problems]
        if not open_problems:
            del self.fields["solve"]


class AssignmentForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Pilot unit"), queryset=PilotUnit.objects.none())
    instructor = forms.ModelChoiceField(label=_("Instructor"), queryset=get_user_model().objects.none())
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DATE)

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = program.units.select_related("organization")
        ids = Membership.objects.filter(
            role=Role.INSTRUCTOR, organization__path__startswith=program.organization.path
        )
        self.fields["instructor"].queryset = get_user_model().objects.filter(pk__in=ids.values("user_id")).order_by(
            "username")  # fmt: skip
        self.fields["instructor"].label_from_instance = lambda u: u.get_full_name() or u.username


class EndAssignmentForm(forms.Form):
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)


class PairForm(forms.Form):
    organ = forms.ModelChoiceField(
        label=_("Government-organ league organization"), queryset=Organization.objects.none()
    )
    unit = forms.ModelChoiceField(label=_("Pilot unit"), queryset=PilotUnit.objects.none())
    starts_on = forms.DateField(label=_("Paired on"), widget=DATE)

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organ"].queryset = Organization.objects.filter(
            path__startswith=program.organization.path, domain=Domain.GOVERNMENT).exclude(pk=program.organization_id)  # fmt: skip
        self.fields["unit"].queryset = program.units.select_related("organization")


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    attendees = forms.CharField(label=_("Attendees"), widget=forms.Textarea(attrs={"rows": 2}))
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 3}))


class AgreementForm(forms.Form):
    title = forms.CharField(label=_("Agreement"), max_length=200)
    reached_on = forms.DateField(label=_("Reached on"), widget=DATE)
    status = forms.ChoiceField(label=_("Status"), choices=AgreementStatus.choices)


class AgreementStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=AgreementStatus.choices)


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Activity"), max_length=200)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    participants = forms.IntegerField(label=_("Participants"), min_value=0, max_value=1_000_000, initial=0)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
