"""Admin for funds, instructors and pairs. The ledger is read-only here: entries are written by the services
(and reversed, never edited); five-ones targets are data an admin may set per program."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ..guidance.models import FiveOnesTarget, InstructorAssignment, Pair, Visit
from .models import Fund, LedgerEntry, ProjectApplication


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "fund",
        "seq",
        "entry_date",
        "kind",
        "amount",
        "balance_after",
        "organization",
        "created_by",
    ]
    list_filter = ["kind", "fund"]


@admin.register(Fund)
class FundAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organization", "program"]
    readonly_fields = ["created_by", "created_at"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProjectApplication)
class ProjectApplicationAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["title", "organization", "fund", "amount_requested", "status", "amount_approved"]
    list_filter = ["status", "fund"]


@admin.register(FiveOnesTarget)
class FiveOnesTargetAdmin(SimpleHistoryAdmin):
    list_display = [
        "program",
        "plans",
        "activities",
        "funding_solved",
        "visits",
        "visit_period",
        "difficulties_solved",
    ]


@admin.register(InstructorAssignment)
class InstructorAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "instructor", "starts_on", "ends_on"]
    list_filter = ["unit__program"]


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["unit", "instructor", "visited_on", "kind", "funds_amount"]
    list_filter = ["kind", "unit__program"]


admin.site.register(Pair, SimpleHistoryAdmin)
