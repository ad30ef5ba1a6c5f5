"""List pages of grassroots records over an organization's subtree — lectures, youth homes, service projects,
youth officers — with filters, paging and an Excel export through league.exports.

One `RecordList` per kind holds the queryset (annotated, one query a page), the django-filter set and the
resource; the page view and the export source (`grassroots_<kind>`, run by the web request or the worker)
build their rows from the same three. The export takes the organization as `?org=<id>` with the filters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import django_filters
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from league import policies
from league.exports import ExportSpec, export_source

from . import resources
from .models import (
    Handover,
    HomeTier,
    Lecture,
    LectureKind,
    OfficerAssessment,
    ServiceProject,
    YouthHome,
    YouthOfficer,
)


def _search(*fields):
    def method(queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)

    return method


class LectureFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Title, speaker or place"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=LectureKind.choices)
    date_from = django_filters.DateFilter(
        label=pgettext_lazy("date range", "From"), field_name="held_on", lookup_expr="gte"
    )
    date_to = django_filters.DateFilter(label=_("To"), field_name="held_on", lookup_expr="lte")

    class Meta:
        model = Lecture
        fields: list[str] = []

    filter_q = staticmethod(_search("title", "speaker", "place"))


class YouthHomeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or address"), method="filter_q")
    tier = django_filters.ChoiceFilter(label=_("Tier"), choices=HomeTier.choices)

    class Meta:
        model = YouthHome
        fields: list[str] = []

    filter_q = staticmethod(_search("name", "address"))


class ServiceProjectFilter(django_filters.FilterSet):
    BRAND = [("yes", _("Brands only")), ("no", _("Not a brand"))]
    q = django_filters.CharFilter(label=_("Name"), method="filter_q")
    brand = django_filters.ChoiceFilter(label=_("Brand"), choices=BRAND, method="filter_brand")

    class Meta:
        model = ServiceProject
        fields: list[str] = []

    filter_q = staticmethod(_search("name", "description"))

    def filter_brand(self, queryset, name, value):
        return queryset.filter(is_brand=value == "yes")


class YouthOfficerFilter(django_filters.FilterSet):
    STATUS = [
        ("serving", _("Serving")),
        ("left", _("Left")),
        ("handover", _("Handover not yet signed")),
    ]
    q = django_filters.CharFilter(label=_("Name or post"), method="filter_q")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=STATUS, method="filter_status")

    class Meta:
        model = YouthOfficer
        fields: list[str] = []

    filter_q = staticmethod(_search("name", "post"))

    def filter_status(self, queryset, name, value):
        if value == "serving":
            return queryset.filter(left_on__isnull=True)
        if value == "left":
            return queryset.filter(left_on__isnull=False)
        if value == "handover":
            return queryset.filter(awaiting_handover=True)
        return queryset


def _lectures():
    return Lecture.objects.select_related("organization").order_by("-held_on", "-id")


def _homes():
    return (
        YouthHome.objects.select_related("organization")
        .annotate(activity_count=Count("activities"), participant_sum=Sum("activities__participants"))
        .order_by("tier", "name", "id")
    )


def _projects():
    return (
        ServiceProject.objects.select_related("organization")
        .annotate(
            activity_count=Count("activities"),
            volunteer_sum=Sum("activities__volunteers"),
            served_sum=Sum("activities__served"),
        )
        .order_by("-is_brand", "name", "id")
    )


def _officers():
    latest = OfficerAssessment.objects.filter(officer=OuterRef("pk")).order_by("-year")
    pending = Handover.objects.filter(incoming=OuterRef("pk"), signed_at__isnull=True)
    return (
        YouthOfficer.objects.select_related("organization")
        .annotate(
            assessed_year=Subquery(latest.values("year")[:1]),
            assessed_grade=Subquery(latest.values("grade")[:1]),
            assessed_award=Subquery(latest.values("award_yuan")[:1]),
            awaiting_handover=Exists(pending),
        )
        .order_by("organization__path", "post", "-started_on", "id")
    )


@dataclass(frozen=True)
class RecordList:
    key: str
    title: Any
    queryset: Any  # () -> QuerySet, annotated and ordered
    filterset: type
    resource: type
    rows: str  # the template of the table
    record_kind: str  # grassroots:record_new kind of the "add" button


LISTS = {
    "lectures": RecordList("lectures", _("Lectures (五四讲堂)"), _lectures, LectureFilter, resources.LectureResource,
                           "grassroots/_lecture_rows.html", "lecture"),
    "homes": RecordList("homes", _("Youth homes (青年之家)"), _homes, YouthHomeFilter, resources.YouthHomeResource,
                        "grassroots/_home_rows.html", "home"),
    "projects": RecordList("projects", _("Service projects and volunteering"), _projects, ServiceProjectFilter,
                           resources.ServiceProjectResource, "grassroots/_project_rows.html", "project"),
    "officers": RecordList("officers", _("Youth officers"), _officers, YouthOfficerFilter,
                           resources.YouthOfficerResource, "grassroots/_officer_rows.html", "officer"),
}  # fmt: skip


def within(queryset, organization):
    return queryset.filter(organization__path__startswith=organization.path)


def export_spec(key: str, user, params) -> ExportSpec:
    """The rows of one list as exported: the user's export scope, the organization (?org=) and the filters."""
    spec = LISTS[key]
    queryset = policies.scoped(spec.queryset(), user, "export")
    raw = params.get("org", "")
    if raw:
        if not str(raw).isdigit():
            raise Http404
        queryset = within(queryset, policies.get_organization(user, int(raw), "export"))
    return ExportSpec(spec.resource(), spec.filterset(params, queryset=queryset).qs, f"grassroots-{key}")


for _key in LISTS:
    export_source(f"grassroots_{_key}")(lambda user, params, key=_key: export_spec(key, user, params))
