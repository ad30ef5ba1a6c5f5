"""Exported columns of grassroots lists (django-import-export), shared by the admin and the list pages."""

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources

from .models import ThemeDay


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
