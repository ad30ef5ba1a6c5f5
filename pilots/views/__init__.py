"""Pages of the pilots app, split by use case. Every view starts from a scoped queryset (selectors.py)."""

from .briefings import (
    briefing_create,
    briefing_detail,
    briefing_list,
    briefing_print,
    briefing_publish,
    excerpt_add,
)
from .dashboard import dashboard
from .programs import milestone_complete, program_detail, program_list, unit_detail
from .reminders import my_reminders, program_reminders, program_reminders_send
from .reports import (
    attachment_download,
    attachment_remove,
    my_reports,
    report_compare,
    report_detail,
    report_edit,
    report_export,
    report_list,
    report_review,
    review_queue,
    slot_file,
)

__all__ = [
    "my_reminders", "program_reminders", "program_reminders_send",
    "attachment_download", "attachment_remove", "briefing_create", "briefing_detail", "briefing_list",
    "briefing_print", "briefing_publish", "dashboard", "excerpt_add", "milestone_complete", "my_reports",
    "program_detail", "program_list", "report_compare", "report_detail", "report_edit", "report_export",
    "report_list", "report_review", "review_queue", "slot_file", "unit_detail",
]  # fmt: skip
