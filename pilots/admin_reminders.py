"""Admin for reminders: per-program settings with pause, a dry run of the sweep and a real run, history."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from . import reminders
from .models import Delivery, OrganizationWebhook, Reminder, ReminderMessage, ReminderPolicy, ReportSlot


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(SimpleHistoryAdmin):
    list_display = ["program", "due_soon_days", "overdue_every_days", "escalate_after_reminders",
                    "escalate_after_days", "paused"]  # fmt: skip
    list_filter = ["paused"]
    actions = ["dry_run", "run_now", "pause", "resume"]

    def _program_ids(self, queryset):
        return list(queryset.values_list("program_id", flat=True))

    @admin.action(description=gettext_lazy("Dry run: show who would be reminded now"))
    def dry_run(self, request, queryset):
        candidates = reminders.sweep(program_ids=self._program_ids(queryset), dry_run=True)
        existing = set(
            Reminder.objects.filter(slot_id__in=[c.slot_id for c in candidates])
            .values_list("slot_id", "kind", "deadline", "sequence")
        )  # fmt: skip
        slots = ReportSlot.objects.in_bulk([c.slot_id for c in candidates])
        rows = [
            {
                "candidate": c,
                "slot": slots[c.slot_id],
                "new": (c.slot_id, c.kind, c.deadline, c.sequence) not in existing,
            }
            for c in candidates
        ]
        return TemplateResponse(request, "admin/pilots/reminder_dry_run.html", {
            **self.admin_site.each_context(request), "title": _("Dry run of the reminder sweep"), "rows": rows,
            "new_count": sum(r["new"] for r in rows), "queryset": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME, "opts": self.model._meta,
        })  # fmt: skip

    @admin.action(description=gettext_lazy("Run the reminder sweep now"))
    def run_now(self, request, queryset):
        found = reminders.sweep(program_ids=self._program_ids(queryset))
        sent = reminders.dispatch()
        self.message_user(request, _("%(found)s due, %(sent)s messages sent.") % {"found": len(found), "sent": sent},
                          messages.SUCCESS)  # fmt: skip

    @admin.action(description=gettext_lazy("Pause reminders"))
    def pause(self, request, queryset):
        for policy in queryset:
            policy.paused = True
            policy.save(update_fields=["paused"])

    @admin.action(description=gettext_lazy("Resume reminders"))
    def resume(self, request, queryset):
        for policy in queryset:
            policy.paused = False
            policy.save(update_fields=["paused"])


@admin.register(OrganizationWebhook)
class OrganizationWebhookAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "kind", "enabled"]
    autocomplete_fields = ["organization"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["organization", "slot", "kind", "sequence", "deadline", "state", "skip_reason", "sent_at"]
    list_filter = ["kind", "state", "program"]
    list_select_related = ["organization", "slot__organization"]
    raw_id_fields = ["organization", "slot", "message"]
    readonly_fields = ["sent_at", "created_at"]


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    fields = ["channel", "recipient", "target", "state", "attempts", "last_error", "sent_at"]
    readonly_fields = fields


@admin.register(ReminderMessage)
class ReminderMessageAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "kind", "created_at"]
    list_filter = ["kind"]
    raw_id_fields = ["organization"]
    inlines = [DeliveryInline]
