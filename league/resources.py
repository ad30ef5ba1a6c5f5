"""django-import-export resources: the single definition of exported columns (admin and list pages)."""

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources

from .models import Organization, Person, Seat


class OrganizationResource(resources.ModelResource):
    code = fields.Field(attribute="code", column_name=_("Code"))
    name = fields.Field(attribute="name", column_name=_("Name"))
    parent_code = fields.Field(attribute="parent__code", column_name=_("Parent code"))
    parent_name = fields.Field(attribute="parent__name", column_name=_("Parent"))
    level = fields.Field(attribute="get_level_display", column_name=_("Level"))
    kind = fields.Field(attribute="get_kind_display", column_name=_("Kind"))
    domain = fields.Field(attribute="get_domain_display", column_name=_("Domain"))
    region = fields.Field(attribute="region__name", column_name=_("Region"))

    class Meta:
        model = Organization
        fields = ("code", "name", "parent_code", "parent_name", "level", "kind", "domain", "region")
        export_order = fields

    def get_export_headers(self, selected_fields=None):
        return [str(h) for h in super().get_export_headers(selected_fields)]


class PersonResource(resources.ModelResource):
    name = fields.Field(attribute="name", column_name=_("Full name"))
    gender = fields.Field(attribute="get_gender_display", column_name=_("Gender"))
    birth_date = fields.Field(attribute="birth_date", column_name=_("Birth date"))
    id_number = fields.Field(attribute="id_number", column_name=_("ID number"))
    phone = fields.Field(attribute="phone", column_name=_("Phone"))
    employer = fields.Field(attribute="employer", column_name=_("Employer/unit"))
    political_status = fields.Field(
        attribute="get_political_status_display", column_name=_("Political status")
    )
    youth_group = fields.Field(attribute="youth_group", column_name=_("Youth category"))
    organization = fields.Field(attribute="organization__name", column_name=_("Kept by"))

    class Meta:
        model = Person
        fields = ("name", "gender", "birth_date", "id_number", "phone", "employer", "political_status",
                  "youth_group", "organization")  # fmt: skip
        export_order = fields

    def get_export_headers(self, selected_fields=None):
        return [str(h) for h in super().get_export_headers(selected_fields)]


class SeatResource(resources.ModelResource):
    committee_code = fields.Field(attribute="term__organization__code", column_name=_("Committee code"))
    committee = fields.Field(attribute="term__organization__name", column_name=_("Committee"))
    term = fields.Field(attribute="term__number", column_name=_("Term"))
    role = fields.Field(attribute="get_role_display", column_name=_("Post"))
    name = fields.Field(attribute="person__name", column_name=_("Full name"))
    establishment = fields.Field(attribute="get_establishment_display", column_name=_("Establishment"))
    employment = fields.Field(attribute="get_employment_display", column_name=_("Employment"))
    category = fields.Field(attribute="category__name", column_name=_("Category"))
    start = fields.Field(attribute="start", column_name=_("Start"))
    end = fields.Field(attribute="end", column_name=_("End"))
    how_obtained = fields.Field(attribute="get_how_obtained_display", column_name=_("How obtained"))

    class Meta:
        model = Seat
        fields = ("committee_code", "committee", "term", "role", "name", "establishment", "employment", "category",
                  "start", "end", "how_obtained")  # fmt: skip
        export_order = fields

    def get_export_headers(self, selected_fields=None):
        return [str(h) for h in super().get_export_headers(selected_fields)]
