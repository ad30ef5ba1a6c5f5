"""Exported columns of assessment lists."""

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources

from .models import RectificationTarget, Result


class ResultResource(resources.ModelResource):
    review = fields.Field(attribute="review__title", column_name=_("Review"))
    rank = fields.Field(attribute="rank", column_name=_("Rank"))
    unit = fields.Field(attribute="unit__organization__name", column_name=_("Unit"))
    code = fields.Field(attribute="unit__organization__code", column_name=_("Code"))
    total = fields.Field(attribute="total", column_name=_("Total"))
    vetoed = fields.Field(attribute="vetoed", column_name=_("Vetoed"))

    class Meta:
        model = Result
        fields = ("review", "rank", "unit", "code", "total", "vetoed")


class TargetResource(resources.ModelResource):
    year = fields.Field(attribute="year", column_name=_("Year"))
    branch = fields.Field(attribute="branch__name", column_name=_("Branch"))
    code = fields.Field(attribute="branch__code", column_name=_("Code"))
    round_number = fields.Field(attribute="round_number", column_name=_("Round"))
    state = fields.Field(attribute="get_state_display", column_name=_("State"))
    n_items = fields.Field(attribute="n_items", column_name=_("Items"))
    n_open = fields.Field(attribute="n_open", column_name=_("Open items"))

    class Meta:
        model = RectificationTarget
        fields = ("year", "branch", "code", "round_number", "state", "n_items", "n_open")
