"""Forms of the election pages; rules are checked by elections/services.py, not here."""

from __future__ import annotations

import django_filters
from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from league.models import Term

from .models import Candidate, CongressKind, Election, Objection, Post, Source, State, Vetting, VoterRole


class _Helper:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


DATE = forms.DateInput(attrs={"type": "date"})


class ElectionCreateForm(_Helper, forms.Form):
    organization = forms.ModelChoiceField(queryset=None, label=_("Organization"))
    title = forms.CharField(label=_("Title"), max_length=120)
    term_label = forms.CharField(label=_("Committee term"), max_length=60, required=False)
    congress_kind = forms.ChoiceField(label=_("Congress"), choices=CongressKind.choices)
    meeting_date = forms.DateField(label=_("Meeting date"), required=False, widget=DATE)
    term = forms.ModelChoiceField(label=_("Committee term (lineup)"), queryset=None, required=False)

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["term"].queryset = Term.objects.filter(organization__in=organizations).select_related(
            "organization"
        )


class RulesForm(_Helper, forms.ModelForm):
    class Meta:
        model = Election
        fields = [
            "secretary_seats", "deputy_seats", "member_seats", "recommend_margin_pct", "formal_margin_pct",
            "quorum_numerator", "quorum_denominator", "publicity_working_days", "officers_uncontested",
            "min_committee_size", "max_committee_size",
        ]  # fmt: skip


class QuotaForm(_Helper, forms.Form):
    category = forms.CharField(label=_("Category"), max_length=60)
    seats = forms.IntegerField(label=_("Seats (0 removes)"), min_value=0, max_value=50)


class NominationForm(_Helper, forms.ModelForm):
    class Meta:
        model = Candidate
        fields = [
            "name",
            "gender",
            "birth_date",
            "unit",
            "sector",
            "category",
            "source",
            "contact",
            "bio",
            "pledge",
        ]
        widgets = {
            "birth_date": DATE,
            "bio": forms.Textarea(attrs={"rows": 3}),
            "pledge": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, public=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [c for c in Source.choices if c[0] != Source.WRITE_IN]
        self.fields["sector"].required = True
        if public:
            del self.fields["source"]
            self.fields["contact"].required = True


class ScreeningForm(_Helper, forms.Form):
    written_score = forms.DecimalField(
        label=_("Written test"), required=False, max_digits=5, decimal_places=1
    )
    interview_score = forms.DecimalField(label=_("Interview"), required=False, max_digits=5, decimal_places=1)
    vetting = forms.ChoiceField(label=_("Vetting"), choices=Vetting.choices)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FormalForm(_Helper, forms.Form):
    candidates = forms.ModelMultipleChoiceField(
        label=_("Formal candidates"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    confirmed_by = forms.CharField(label=_("Confirmed by (party committee)"), max_length=120)
    confirmed_on = forms.DateField(label=_("Confirmed on"), widget=DATE)

    def __init__(self, *args, election=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidates"].queryset = election.candidates.filter(vetting=Vetting.PASSED)


class RollLinesForm(_Helper, forms.Form):
    lines = forms.CharField(
        label=_("Voters, one a line: name, sector"), widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("e.g. 王小明, 社区"),
    )  # fmt: skip


class VoterForm(forms.Form):
    present = forms.BooleanField(label=_("Present"), required=False)
    credentials_checked = forms.BooleanField(label=_("Credentials checked"), required=False)
    on_probation = forms.BooleanField(label=_("On probation"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=VoterRole.choices)


class ReturnedForm(_Helper, forms.Form):
    returned = forms.IntegerField(
        label=_("Ballots returned (papers in the box plus phone votes)"), min_value=0, max_value=1_000_000
    )


class RecountForm(_Helper, forms.Form):
    reason = forms.CharField(label=_("Reason for the recount"), max_length=200)


class OfficerRoundForm(_Helper, forms.Form):
    post = forms.ChoiceField(
        label=_("Post"), choices=[(Post.SECRETARY, Post.SECRETARY.label), (Post.DEPUTY, Post.DEPUTY.label)]
    )
    candidates = forms.ModelMultipleChoiceField(
        label=_("Candidates"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    voters_present = forms.IntegerField(label=_("Committee members present"), min_value=1, max_value=10_000)

    def __init__(self, *args, election=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidates"].queryset = election.candidates.filter(elected=True, post="")


class ApprovalForm(_Helper, forms.Form):
    approved_by = forms.CharField(label=_("Approved by"), max_length=120)
    approved_on = forms.DateField(label=_("Approved on"), widget=DATE)


class PublicityForm(_Helper, forms.Form):
    start = forms.DateField(label=_("Publicity starts on"), widget=DATE)


class AppointForm(_Helper, forms.Form):
    on = forms.DateField(label=_("Appointed on"), widget=DATE)
    term = forms.ModelChoiceField(label=_("Committee term"), queryset=None, required=False)
    new_term_number = forms.IntegerField(
        label=_("or a new term: number (第N届)"), required=False, min_value=1, max_value=999
    )
    new_term_end = forms.DateField(label=_("new term ends on"), required=False, widget=DATE)

    def __init__(self, *args, election=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = Term.objects.filter(organization=election.organization).order_by(
            "-start"
        )
        if election.term_id:
            self.fields["term"].initial = election.term_id


class ObjectionForm(_Helper, forms.ModelForm):
    class Meta:
        model = Objection
        fields = ["name", "contact", "about", "content"]
        widgets = {"content": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["contact"].required = True


class ResolveForm(_Helper, forms.Form):
    resolution = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 2}))
    upheld = forms.TypedChoiceField(
        label=_("Outcome"), coerce=lambda v: v == "1",
        choices=[("0", _("Not upheld")), ("1", _("Upheld"))],
    )  # fmt: skip


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Voting code"), max_length=16)


class ElectionFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label=_("State"), choices=State.choices)
    title = django_filters.CharFilter(label=_("Title"), lookup_expr="icontains")

    class Meta:
        model = Election
        fields = ["state", "title"]
