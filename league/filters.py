"""django-filter sets of the league lists; the same set filters the page and its export."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from .models import Domain, Kind, Level, Organization, Person, PoliticalStatus


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
        # A seat held today (Seat.objects.active()); "no" includes people who never held one.
        from .models import Seat

        holds = Exists(Seat.objects.active().filter(person=OuterRef("pk")))
        return queryset.filter(holds if value else ~holds)


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search by name or code"))
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("Level"), empty_label=_("All levels"))
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label=_("Kind"), empty_label=_("All kinds"))
    domain = django_filters.ChoiceFilter(
        choices=Domain.choices, label=_("Domain"), empty_label=_("All domains")
    )

    class Meta:
        model = Organization
        fields = ["q", "level", "kind", "domain"]

    def search(self, queryset, name, value):
        return queryset.search(value)

    @property
    def active(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.filters)
