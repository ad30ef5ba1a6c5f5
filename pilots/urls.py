from django.urls import path

from . import views
from .assessment.urls import urlpatterns as assessment_urls

app_name = "pilots"
urlpatterns = [
    path("", views.program_list, name="program_list"),
    path("programs/<int:program_id>/", views.program_detail, name="program_detail"),
    path("programs/<int:program_id>/briefings/new/", views.briefing_create, name="briefing_create"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit_detail"),
    path("milestones/<int:milestone_id>/done/", views.milestone_complete, name="milestone_complete"),
    path("my-reports/", views.my_reports, name="my_reports"),
    path("slots/<int:slot_id>/file/", views.slot_file, name="slot_file"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/export.xlsx", views.report_export, name="report_export"),
    path("reports/review/", views.review_queue, name="review_queue"),
    path("reports/<int:report_id>/", views.report_detail, name="report_detail"),
    path("reports/<int:report_id>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:report_id>/compare/", views.report_compare, name="report_compare"),
    path("reports/<int:report_id>/review/", views.report_review, name="report_review"),
    path("reports/<int:report_id>/excerpts/", views.excerpt_add, name="excerpt_add"),
    path("attachments/<int:attachment_id>/", views.attachment_download, name="attachment_download"),
    path("attachments/<int:attachment_id>/remove/", views.attachment_remove, name="attachment_remove"),
    path("briefings/", views.briefing_list, name="briefing_list"),
    path("briefings/<int:briefing_id>/", views.briefing_detail, name="briefing_detail"),
    path("briefings/<int:briefing_id>/print/", views.briefing_print, name="briefing_print"),
    path("briefings/<int:briefing_id>/publish/", views.briefing_publish, name="briefing_publish"),
    path("reminders/", views.my_reminders, name="my_reminders"),
    path("programs/<int:program_id>/reminders/", views.program_reminders, name="program_reminders"),
    path(
        "programs/<int:program_id>/reminders/send/",
        views.program_reminders_send,
        name="program_reminders_send",
    ),
    path("dashboard/", views.dashboard, name="dashboard"),
]

# Instructors, pairs and funds (issue 7) keep their routes in their own modules.
from .funds.urls import urlpatterns as funds_urls  # noqa: E402
from .guidance.urls import urlpatterns as guidance_urls  # noqa: E402

urlpatterns += guidance_urls + funds_urls

urlpatterns += assessment_urls
