"""django-filter filter sets of the league pages."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Person, PoliticalStatus


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    political_status = django_filters.ChoiceFilter(
        label=_("political status"), choices=PoliticalStatus.choices
    )
    holds_seat = django_filters.BooleanFilter(label=_("holds a seat now"), method="filter_holds_seat")

    class Meta:
        model = Person
        fields = ["q", "political_status", "holds_seat"]

    def search(self, queryset, name, value):
        return queryset.search(value)

    def filter_holds_seat(self, queryset, name, value):
        condition = Q(seats__end__isnull=True)
        return (queryset.filter(condition) if value else queryset.exclude(condition)).distinct()
