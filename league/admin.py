from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from . import policies, twofactor
from .models import ExportJob, Membership, Notice, Organization, Region, WorkerHeartbeat
from .resources import OrganizationResource

admin.site.site_header = _("League pilot platform administration")
admin.site.site_title = _("League pilot platform")


def _platform_admin_only(request) -> bool:
    """The admin is for platform admins only; league staff work through the site's own pages."""
    user = request.user
    return (
        user.is_active
        and user.is_staff
        and policies.is_platform_admin(user)
        and not twofactor.needs_verification(request)  # an enrolled TOTP device must be passed first
    )


admin.site.has_permission = _platform_admin_only
admin.site.login = twofactor.admin_login(admin.site.login)


class RegionInline(admin.TabularInline):
    model = Region
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(ExportMixin, SimpleHistoryAdmin):
    resource_classes = [OrganizationResource]
    list_display = ["name", "code", "level", "kind", "domain", "parent"]
    list_filter = ["level", "kind", "domain"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent", "region"]
    readonly_fields = ["path", "depth", "created_at"]
    inlines = [RegionInline, MembershipInline]
    list_select_related = ["parent"]


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organization", "order"]
    search_fields = ["name", "organization__name"]
    autocomplete_fields = ["organization"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organization", "role", "title"]
    list_filter = ["role"]
    search_fields = ["user__username", "organization__name"]
    autocomplete_fields = ["user", "organization"]
    list_select_related = ["user", "organization"]


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "recipient__username"]
    raw_id_fields = ["recipient"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "seen_at"]


# --- lineups ------------------------------------------------------------------------------------------------

from .models import (  # noqa: E402
    Assignment,
    LineupRule,
    MemberCategory,
    Person,
    Recommendation,
    Review,
    ReviewScore,
    Seat,
    Talk,
    Term,
)
from .resources import PersonResource, SeatResource  # noqa: E402


@admin.register(MemberCategory)
class MemberCategoryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "order", "active"]
    list_editable = ["order", "active"]
    search_fields = ["name"]


@admin.register(LineupRule)
class LineupRuleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organization", "is_default", "secretaries", "deputies_min", "deputies_max",
                    "deputies_outside_min", "members_min", "size_min", "size_max"]  # fmt: skip
    autocomplete_fields = ["organization"]


@admin.register(Person)
class PersonAdmin(ExportMixin, SimpleHistoryAdmin):
    resource_classes = [PersonResource]
    list_display = ["name", "organization", "employer", "political_status"]
    search_fields = ["name", "employer", "id_number"]
    autocomplete_fields = ["organization"]
    list_select_related = ["organization"]


class SeatInline(admin.TabularInline):
    model = Seat
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Term)
class TermAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "number", "start", "end", "rule"]
    search_fields = ["organization__name"]
    autocomplete_fields = ["organization"]
    inlines = [SeatInline]
    list_select_related = ["organization", "rule"]


@admin.register(Seat)
class SeatAdmin(ExportMixin, SimpleHistoryAdmin):
    resource_classes = [SeatResource]
    list_display = ["person", "role", "term", "establishment", "employment", "start", "end"]
    list_filter = ["role", "establishment", "employment"]
    search_fields = ["person__name", "term__organization__name"]
    autocomplete_fields = ["person", "term"]
    list_select_related = ["person", "term__organization"]


for _model in (Assignment, Review, ReviewScore, Recommendation, Talk):
    admin.site.register(_model, SimpleHistoryAdmin)


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    """Jobs are visible to platform admins for support; the files download only by their owner's page."""

    list_display = ["filename", "owner", "status", "done_rows", "total_rows", "created_at", "expires_at"]
    list_filter = ["status", "source"]
    search_fields = ["filename", "owner__username"]
    raw_id_fields = ["owner"]
    exclude = ["file"]
    readonly_fields = ["owner", "source", "params", "filename", "status", "total_rows", "done_rows", "error",
                       "created_at", "finished_at", "expires_at"]  # fmt: skip
