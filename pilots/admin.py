"""Admin for platform admins: set up programs (phases, schedules, units); slots are generated on save."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import (
    Briefing,
    Excerpt,
    LeadingGroupMember,
    Milestone,
    Phase,
    PilotProgram,
    PilotUnit,
    Report,
    ReportingSchedule,
    ReportVersion,
)
from .resources import ReportResource


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


class ScheduleInline(admin.TabularInline):
    model = ReportingSchedule
    extra = 0


def _generate(program: PilotProgram) -> int:
    return sum(services.generate_slots(schedule=s) for s in program.schedules.all())


@admin.register(PilotProgram)
class PilotProgramAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organization", "kind", "starts_on", "ends_on", "lineup_rule"]
    list_filter = ["kind"]
    search_fields = ["name", "organization__name"]
    autocomplete_fields = ["organization"]
    inlines = [PhaseInline, ScheduleInline]
    actions = ["generate_slots"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        _generate(form.instance)  # the expected report slots follow the schedules and units

    @admin.action(description=_("Generate the expected report slots"))
    def generate_slots(self, request, queryset):
        created = sum(_generate(p) for p in queryset)
        self.message_user(request, _("%(n)s report slots created.") % {"n": created})


class LeadingGroupInline(admin.TabularInline):
    model = LeadingGroupMember
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(PilotUnit)
class PilotUnitAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "program", "joined_on"]
    list_filter = ["program"]
    search_fields = ["organization__name", "program__name"]
    autocomplete_fields = ["organization"]
    inlines = [LeadingGroupInline, MilestoneInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _generate(obj.program)


class VersionInline(admin.TabularInline):
    model = ReportVersion
    extra = 0
    can_delete = False
    readonly_fields = ["number", "submitted_at", "submitted_by", "late", "return_reason", "return_comment"]
    fields = readonly_fields


@admin.register(Report)
class ReportAdmin(ExportMixin, SimpleHistoryAdmin):
    """Reports change through the site's review pages; here they are read and exported."""

    resource_classes = [ReportResource]
    list_display = ["slot", "state", "late", "version", "submitted_at"]
    list_filter = ["state", "late", "slot__program"]
    search_fields = ["slot__organization__name"]
    readonly_fields = [f.name for f in Report._meta.fields]
    inlines = [VersionInline]

    def has_add_permission(self, request):
        return False


@admin.register(Briefing)
class BriefingAdmin(SimpleHistoryAdmin):
    list_display = ["title", "program", "year", "number", "total_number", "published_at"]
    list_filter = ["program", "year"]
    readonly_fields = ["year", "number", "total_number", "published_at"]


admin.site.register(Excerpt, SimpleHistoryAdmin)
from . import admin_reminders  # noqa: E402, F401
from .funds import admin as _funds_admin  # noqa: E402, F401  (funds, instructors and pairs, issue 7)
