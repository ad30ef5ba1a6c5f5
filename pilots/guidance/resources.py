"""Excel columns of visits (django-import-export)."""

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from .models import Visit


class VisitResource(resources.ModelResource):
    program = fields.Field(attribute="unit__program__name", column_name=_("Program"))
    unit = fields.Field(attribute="unit__organization__name", column_name=_("Pilot unit"))
    instructor = fields.Field(column_name=_("Instructor"))
    visited_on = fields.Field(attribute="visited_on", column_name=_("Date"))
    kind = fields.Field(attribute="get_kind_display", column_name=_("Kind"))
    summary = fields.Field(attribute="summary", column_name=_("What was done"))
    activity_designed = fields.Field(attribute="activity_designed", column_name=_("Activity designed"))
    funds_amount = fields.Field(
        attribute="funds_amount",
        widget=widgets.DecimalWidget(coerce_to_string=False),
        column_name=_("Funds coordinated (yuan)"),
    )
    funds_source = fields.Field(attribute="funds_source", column_name=_("Funds source"))

    class Meta:
        model = Visit
        fields = ("program", "unit", "instructor", "visited_on", "kind", "summary", "activity_designed",
                  "funds_amount", "funds_source")  # fmt: skip

    def dehydrate_instructor(self, visit):
        return visit.instructor.get_full_name() or visit.instructor.username
