"""django-import-export resources: the single definition of exported columns (admin and list pages)."""

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources

from .models import Organization


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
