"""django-filter sets of the pilots lists; choices come from the user's scope."""

from __future__ import annotations

import datetime as dt
import functools

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from league.models import Level

from .models import Briefing, PilotProgram, ProgramKind, Report, ReportState
from .selectors import next_month, program_choices, programs_for
from .widgets import FastSelect, NamedModelChoiceField, NullBooleanSelect


def _programs(request):
    """The programs of a filter's select: their ids and names only (str(program) is its name)."""
    if not request:
        return PilotProgram.objects.none()
    return programs_for(request.user).select_related(None).only("name")


def _program_options(request) -> list[tuple[int, str]]:
    """The (id, name) rows of _programs(request), in order: the select's options (SQL written once)."""
    return program_choices(request.user) if request else []


class NamedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A ModelChoiceFilter over a model whose str() is its `name`: the select's options are written from
    (id, name) rows read in one fetch (NamedModelChoiceField), not from a model instance per option read
    through a server-side cursor (three round trips on PostgreSQL). Same HTML, same validation.

    `options`: a callable of the request returning those rows (the same as the queryset's, in its order), read
    when the select is written; the queryset is then built only to validate a value (a page showing the list
    unfiltered builds none)."""

    field_class = NamedModelChoiceField

    def __init__(self, *args, options=None, **kwargs):
        self.options = options
        super().__init__(*args, **kwargs)

    def get_queryset(self, request):
        if callable(self.queryset):
            return functools.partial(self.queryset, request)  # NamedModelChoiceField calls it when read
        return self.queryset

    @property
    def field(self):
        if self.options is not None and not hasattr(self, "_field"):
            self.extra["options"] = functools.partial(self.options, self.get_request())
        return super().field


class MonthField(forms.CharField):
    """A month written YYYY-MM, cleaned to its first day; anything else is refused naming the field."""

    default_error_messages = {"invalid": _("Enter a month as YYYY-MM, for example 2026-03.")}

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        try:
            return dt.datetime.strptime(value, "%Y-%m").date()
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class MonthFilter(django_filters.Filter):
    field_class = MonthField


class ReportFilter(django_filters.FilterSet):
    # FastSelect: the same <select> as Django's, without a template include per option (every list page).
    program = NamedModelChoiceFilter(label=_("Program"), field_name="slot__program", queryset=_programs,
                                     options=_program_options, widget=FastSelect)  # fmt: skip
    state = django_filters.ChoiceFilter(label=_("State"), choices=ReportState.choices, widget=FastSelect)
    month = django_filters.CharFilter(label=_("Month (YYYY-MM)"), method="filter_month")
    # A run of months (a quarter, a half-year to export): reports whose period reaches into it.
    since = MonthFilter(label=_("From month (YYYY-MM)"), method="filter_since")
    until = MonthFilter(label=_("To month (YYYY-MM)"), method="filter_until")
    late = django_filters.BooleanFilter(label=_("Late"), widget=NullBooleanSelect)
    level = django_filters.ChoiceFilter(label=_("Level"), field_name="slot__organization__level",
                                        choices=Level.choices, widget=FastSelect)  # fmt: skip
    q = django_filters.CharFilter(label=_("Organization"), field_name="slot__organization__name",
                                  lookup_expr="icontains")  # fmt: skip

    class Meta:
        model = Report
        fields = ["program", "state", "month", "since", "until", "late", "level", "q"]

    def filter_month(self, queryset, name, value):
        try:
            start = dt.datetime.strptime(value.strip(), "%Y-%m").date()
        except ValueError:
            return queryset.none()
        # The period's start as each report keeps it (Report.period_start, its slot's): the list's index range.
        return queryset.filter(period_start__lt=next_month(start), slot__period_end__gte=start)

    def filter_since(self, queryset, name, value):
        return queryset.filter(slot__period_end__gte=value)

    def filter_until(self, queryset, name, value):
        return queryset.filter(period_start__lt=next_month(value))


class ProgramFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ProgramKind.choices)
    q = django_filters.CharFilter(label=_("Search"), field_name="name", lookup_expr="icontains")

    class Meta:
        model = PilotProgram
        fields = ["kind", "q"]


class BriefingFilter(django_filters.FilterSet):
    program = NamedModelChoiceFilter(label=_("Program"), queryset=_programs, options=_program_options,
                                     widget=FastSelect)  # fmt: skip
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")

    class Meta:
        model = Briefing
        fields = ["program", "q"]

    def __init__(self, *args, programs: list[tuple[int, str]] | None = None, **kwargs):
        """`programs`: the (id, name) rows of the program select, when the view has read them (program_choices);
        the choice asked for is still checked against the queryset."""
        super().__init__(*args, **kwargs)
        self.programs = programs

    @property
    def form(self):
        form = super().form
        if self.programs is not None:
            form.fields["program"].name_rows = self.programs
        return form

    def filter_q(self, queryset, name, value):
        return queryset.search(value)
