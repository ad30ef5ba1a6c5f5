"""django-import-export resources: exported columns of pilot lists (list pages and admin)."""

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources

from .models import Report


class ReportResource(resources.ModelResource):
    program = fields.Field(attribute="slot__program__name", column_name=_("Program"))
    organization = fields.Field(attribute="slot__organization__name", column_name=_("Organization"))
    code = fields.Field(attribute="slot__organization__code", column_name=_("Code"))
    period_start = fields.Field(attribute="slot__period_start", column_name=_("Period start"))
    period_end = fields.Field(attribute="slot__period_end", column_name=_("Period end"))
    deadline = fields.Field(attribute="slot__deadline", column_name=_("Deadline"))
    state = fields.Field(attribute="get_state_display", column_name=_("State"))
    submitted_at = fields.Field(attribute="submitted_at", column_name=_("Submitted"))
    late = fields.Field(column_name=_("Late"))
    version = fields.Field(attribute="version", column_name=_("Version"))
    progress = fields.Field(attribute="progress", column_name=_("Progress"))
    innovations = fields.Field(attribute="innovations", column_name=_("Innovative measures"))
    problems = fields.Field(attribute="problems", column_name=_("Problems met"))
    suggestions = fields.Field(attribute="suggestions", column_name=_("Suggestions"))
    figures = fields.Field(column_name=_("Figures"))

    class Meta:
        model = Report
        fields = ("program", "organization", "code", "period_start", "period_end", "deadline", "state",
                  "submitted_at", "late", "version", "progress", "innovations", "problems", "suggestions",
                  "figures")  # fmt: skip
        export_order = fields

    def dehydrate_late(self, report):
        return _("yes") if report.late else ""

    def dehydrate_figures(self, report):
        labels = {f["key"]: f["label"] for f in report.slot.program.figure_fields or []}
        return "；".join(f"{labels.get(k, k)}: {v}" for k, v in (report.figures or {}).items())

    def dehydrate_submitted_at(self, report):
        from django.utils import timezone

        return (
            timezone.localtime(report.submitted_at).strftime("%Y-%m-%d %H:%M") if report.submitted_at else ""
        )

    def get_export_headers(self, selected_fields=None):
        return [str(h) for h in super().get_export_headers(selected_fields)]
