from django.urls import path

from . import views

urlpatterns = [
    path("guidance/", views.guidance_home, name="guidance_home"),
    path("programs/<int:program_id>/guidance/", views.program_guidance, name="program_guidance"),
    path("programs/<int:program_id>/guidance/assign/", views.assignment_create, name="assignment_create"),
    path("programs/<int:program_id>/guidance/visits.xlsx", views.visit_export, name="visit_export"),
    path(
        "guidance/assignments/<int:instructor_assignment_id>/end/",
        views.assignment_end,
        name="assignment_end",
    ),
    path("guidance/units/<int:unit_id>/", views.unit_guidance, name="unit_guidance"),
    path("guidance/units/<int:unit_id>/visits/new/", views.visit_create, name="visit_create"),
    path("guidance/visits/<int:visit_id>/", views.visit_detail, name="visit_detail"),
    path("guidance/files/<int:visit_file_id>/", views.visit_file, name="visit_file"),
    path("programs/<int:program_id>/pairs/", views.pair_list, name="pair_list"),
    path("pairs/<int:pair_id>/", views.pair_detail, name="pair_detail"),
    path("pairs/<int:pair_id>/meetings/", views.pair_meeting_add, name="pair_meeting_add"),
    path("pairs/<int:pair_id>/agreements/", views.pair_agreement_add, name="pair_agreement_add"),
    path("pairs/<int:pair_id>/activities/", views.pair_activity_add, name="pair_activity_add"),
    path("pairs/agreements/<int:pair_agreement_id>/status/", views.agreement_status, name="agreement_status"),
]
