"""Exported columns of grassroots lists (django-import-export), shared by the admin and the list pages."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from import_export import fields, resources

from .models import Lecture, OfficerAssessment, ServiceProject, ThemeDay, YouthHome, YouthOfficer


class ThemeDayResource(resources.ModelResource):
    branch = fields.Field(attribute="organization__name", column_name=_("Branch"))
    parent = fields.Field(attribute="organization__parent__name", column_name=_("Under"))
    month = fields.Field(column_name=_("Month"))
    held_on = fields.Field(attribute="held_on", column_name=_("Held on"))
    topic = fields.Field(attribute="topic", column_name=_("Topic"))
    members_present = fields.Field(attribute="members_present", column_name=_("Members present"))
    members_total = fields.Field(attribute="members_total", column_name=_("Members in the branch"))
    items = fields.Field(column_name=_("Fixed items done"))
    all_items_done = fields.Field(column_name=_("All fixed items done"))
    own_items = fields.Field(attribute="own_items", column_name=_("Own items (自选动作)"))

    class Meta:
        model = ThemeDay
        fields = ("branch", "parent", "month", "held_on", "topic", "members_present", "members_total", "items",
                  "all_items_done", "own_items")  # fmt: skip
        export_order = fields

    def dehydrate_month(self, obj):
        return f"{obj.month:%Y-%m}"

    def dehydrate_items(self, obj):
        return "、".join(item.name for item in obj.items.all())

    def dehydrate_all_items_done(self, obj):
        return str(_("Yes") if obj.all_items_done else _("No"))


def _yes_no(value) -> str:
    return str(_("Yes") if value else _("No"))


class LectureResource(resources.ModelResource):
    held_on = fields.Field(attribute="held_on", column_name=_("Date"))
    kind = fields.Field(attribute="get_kind_display", column_name=_("Kind"))
    title = fields.Field(attribute="title", column_name=_("Title"))
    speaker = fields.Field(attribute="speaker", column_name=_("Speaker"))
    place = fields.Field(attribute="place", column_name=_("Place"))
    audience = fields.Field(attribute="audience", column_name=_("Audience"))
    organizer = fields.Field(attribute="organization__name", column_name=_("Organizer"))
    summary = fields.Field(attribute="summary", column_name=pgettext_lazy("lecture", "Summary"))

    class Meta:
        model = Lecture
        fields = ("held_on", "kind", "title", "speaker", "place", "audience", "organizer", "summary")
        export_order = fields


class YouthHomeResource(resources.ModelResource):
    name = fields.Field(attribute="name", column_name=_("Name"))
    tier = fields.Field(attribute="get_tier_display", column_name=_("Tier"))
    address = fields.Field(attribute="address", column_name=_("Address"))
    opening_hours = fields.Field(attribute="opening_hours", column_name=_("Opening hours"))
    run_by = fields.Field(attribute="organization__name", column_name=_("Run by"))
    activity_count = fields.Field(
        attribute="activity_count", column_name=pgettext_lazy("count", "Activities")
    )
    participant_sum = fields.Field(column_name=pgettext_lazy("count", "Participants"))

    class Meta:
        model = YouthHome
        fields = ("name", "tier", "address", "opening_hours", "run_by", "activity_count", "participant_sum")
        export_order = fields

    def dehydrate_participant_sum(self, obj):
        return obj.participant_sum or 0


class ServiceProjectResource(resources.ModelResource):
    name = fields.Field(attribute="name", column_name=_("Name"))
    is_brand = fields.Field(column_name=_("Brand"))
    organization = fields.Field(attribute="organization__name", column_name=_("Organization"))
    activity_count = fields.Field(
        attribute="activity_count", column_name=pgettext_lazy("count", "Activities")
    )
    volunteer_sum = fields.Field(column_name=_("Volunteers"))
    served_sum = fields.Field(column_name=_("People served"))
    description = fields.Field(attribute="description", column_name=pgettext_lazy("project", "Description"))

    class Meta:
        model = ServiceProject
        fields = ("name", "is_brand", "organization", "activity_count", "volunteer_sum", "served_sum",
                  "description")  # fmt: skip
        export_order = fields

    def dehydrate_is_brand(self, obj):
        return _yes_no(obj.is_brand)

    def dehydrate_volunteer_sum(self, obj):
        return obj.volunteer_sum or 0

    def dehydrate_served_sum(self, obj):
        return obj.served_sum or 0


class YouthOfficerResource(resources.ModelResource):
    organization = fields.Field(attribute="organization__name", column_name=_("Organization"))
    post = fields.Field(attribute="post", column_name=_("Post"))
    name = fields.Field(attribute="name", column_name=pgettext_lazy("person", "Name"))
    full_time = fields.Field(column_name=_("Full-time"))
    started_on = fields.Field(attribute="started_on", column_name=_("Since"))
    left_on = fields.Field(attribute="left_on", column_name=_("Left on"))
    assessed_year = fields.Field(attribute="assessed_year", column_name=_("Last assessed"))
    assessed_grade = fields.Field(column_name=_("Grade"))
    assessed_award = fields.Field(attribute="assessed_award", column_name=_("Award (yuan)"))
    awaiting_handover = fields.Field(column_name=_("Handover not yet signed"))

    class Meta:
        model = YouthOfficer
        fields = ("organization", "post", "name", "full_time", "started_on", "left_on", "assessed_year",
                  "assessed_grade", "assessed_award", "awaiting_handover")  # fmt: skip
        export_order = fields

    def dehydrate_full_time(self, obj):
        return _yes_no(obj.full_time)

    def dehydrate_assessed_grade(self, obj):
        labels = dict(OfficerAssessment.Grade.choices)
        return str(labels.get(obj.assessed_grade, "")) if obj.assessed_grade else ""

    def dehydrate_awaiting_handover(self, obj):
        return _yes_no(obj.awaiting_handover)
