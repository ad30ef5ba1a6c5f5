"""Forms of the pilots app. They only shape input; rules live in services.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import REPORT_TEXT_FIELDS, Excerpt, PilotProgram, ProgramKind, Report, ReportState, ReturnReason


class ReportForm(forms.Form):
    """The report's four sections and the program's configurable figure fields."""

    progress = forms.CharField(label=_("Progress (进展情况)"), required=False,
                               widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip
    innovations = forms.CharField(label=_("Innovative measures (创新性措施)"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    problems = forms.CharField(label=_("Problems met (遇到的问题)"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    suggestions = forms.CharField(label=_("Suggestions (工作建议)"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    file = forms.FileField(
        label=_("Add an attachment"),
        required=False,
        help_text=_("Images, PDF, Word or Excel, up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,.pdf,.doc,.docx,.xls,.xlsx"}),
    )
    # The content the user started from (Report.content_token): a save over a newer save is refused.
    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, report: Report, **kwargs):
        initial = {f: getattr(report, f) for f in REPORT_TEXT_FIELDS}
        initial["token"] = report.content_token()
        for field in report.slot.program.figure_fields or []:
            initial[f"fig_{field['key']}"] = (report.figures or {}).get(field["key"])
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.figure_fields = report.slot.program.figure_fields or []
        for field in self.figure_fields:
            label = field["label"] + (f" ({field['unit']})" if field.get("unit") else "")
            self.fields[f"fig_{field['key']}"] = forms.CharField(
                label=label, required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
            )

    def figures(self) -> dict:
        return {f["key"]: self.cleaned_data.get(f"fig_{f['key']}") for f in self.figure_fields}

    def texts(self) -> dict:
        return {f: self.cleaned_data.get(f, "") for f in REPORT_TEXT_FIELDS}

    def figure_bound_fields(self):
        return [self[f"fig_{f['key']}"] for f in self.figure_fields]


class ReturnForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "---------"), *ReturnReason.choices])
    comment = forms.CharField(label=_("What needs to change"), widget=forms.Textarea(attrs={"rows": 2}))


class ExcerptForm(forms.Form):
    title = forms.CharField(label=_("Heading"), max_length=160)
    text = forms.CharField(label=_("Excerpt"), widget=forms.Textarea(attrs={"rows": 4}))


class BriefingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    foreword = forms.CharField(label=_("Foreword"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    excerpts = forms.ModelMultipleChoiceField(
        label=_("Excerpts"),
        queryset=Excerpt.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, program: PilotProgram, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["excerpts"].queryset = (
            Excerpt.objects.filter(report__slot__program=program, briefing__isnull=True)
            .select_related("report__slot__organization")
            .order_by("marked_at")
        )
        self.fields["excerpts"].label_from_instance = lambda e: f"{e.title} — {e.report.slot}"


class MilestoneDoneForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.CharField(label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("Evidence file"), required=False)


class ReportFilterForm(forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=PilotProgram.objects.none(), required=False)
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("All")), *ReportState.choices], required=False
    )
    month = forms.CharField(label=_("Month"), required=False, widget=forms.TextInput(attrs={"type": "month"}))


class ProgramFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All")), *ProgramKind.choices], required=False)
    q = forms.CharField(label=_("Search"), required=False)
