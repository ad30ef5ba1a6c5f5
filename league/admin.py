from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from . import policies, twofactor
from .models import Membership, Notice, Organization, Region, WorkerHeartbeat
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
