"""Exported columns of elections and candidates (django-import-export), shared by the admin and pages."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from import_export import fields, resources

from .models import Candidate, Election


class _Headers:
    def get_export_headers(self, selected_fields=None):
        return [str(h) for h in super().get_export_headers(selected_fields)]


class ElectionResource(_Headers, resources.ModelResource):
    organization = fields.Field(attribute="organization__name", column_name=_("Organization"))
    title = fields.Field(attribute="title", column_name=_("Title"))
    term = fields.Field(attribute="term_label", column_name=_("Committee term"))
    state = fields.Field(attribute="get_state_display", column_name=_("State"))
    seats = fields.Field(attribute="committee_seats", column_name=_("Seats"))
    candidates = fields.Field(attribute="candidate_count", column_name=_("Candidates"))
    formal = fields.Field(attribute="formal_count", column_name=_("Formal candidates"))
    meeting = fields.Field(attribute="meeting_date", column_name=_("Meeting date"))

    class Meta:
        model = Election
        fields = ("organization", "title", "term", "state", "seats", "candidates", "formal", "meeting")
        export_order = fields


class CandidateResource(_Headers, resources.ModelResource):
    name = fields.Field(attribute="name", column_name=pgettext_lazy("person", "Name"))
    gender = fields.Field(attribute="get_gender_display", column_name=_("Gender"))
    unit = fields.Field(attribute="unit", column_name=_("Work unit"))
    sector = fields.Field(attribute="sector", column_name=_("Sector"))
    source = fields.Field(attribute="get_source_display", column_name=_("Nominated by"))
    written = fields.Field(attribute="written_score", column_name=_("Written test"))
    interview = fields.Field(attribute="interview_score", column_name=_("Interview"))
    vetting = fields.Field(attribute="get_vetting_display", column_name=_("Vetting"))
    formal = fields.Field(attribute="is_formal", column_name=_("Formal candidate"))
    post = fields.Field(attribute="get_post_display", column_name=_("Post"))

    class Meta:
        model = Candidate
        fields = (
            "name",
            "gender",
            "unit",
            "sector",
            "source",
            "written",
            "interview",
            "vetting",
            "formal",
            "post",
        )
        export_order = fields
