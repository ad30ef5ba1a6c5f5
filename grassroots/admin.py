from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


@admin.register(models.ThemeDayItem)
class ThemeDayItemAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "order", "active")
    list_editable = ("order", "active")


for model in (
    models.ThemeDay, models.Lecture, models.YouthHome, models.HomeActivity, models.YouthOfficer,
    models.OfficerAssessment, models.Handover, models.ServiceProject, models.ProjectActivity,
    models.ReformMeasure, models.YouthFunding, models.CoverageGap, models.TransferRate,
):  # fmt: skip
    admin.site.register(
        model,
        SimpleHistoryAdmin,
        list_select_related=True,
        raw_id_fields=("organization",) if hasattr(model, "organization") else (),
    )
