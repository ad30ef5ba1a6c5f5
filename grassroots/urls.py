from django.urls import path

from . import views

app_name = "grassroots"
urlpatterns = [
    path("", views.index, name="index"),
    path("orgs/<int:org_id>/", views.organization, name="organization"),
    path("orgs/<int:org_id>/theme-days/", views.theme_day_list, name="theme_day_list"),
    path("orgs/<int:org_id>/theme-days/export.xlsx", views.theme_day_export, name="theme_day_export"),
    path("orgs/<int:org_id>/theme-days/new/", views.theme_day_new, name="theme_day_new"),
    path("orgs/<int:org_id>/add/<slug:record_kind>/", views.record_new, name="record_new"),
    path("orgs/<int:org_id>/lectures/", views.record_list, {"list_kind": "lectures"}, name="lecture_list"),
    path("orgs/<int:org_id>/homes/", views.record_list, {"list_kind": "homes"}, name="home_list"),
    path("orgs/<int:org_id>/projects/", views.record_list, {"list_kind": "projects"}, name="project_list"),
    path("orgs/<int:org_id>/officers/", views.record_list, {"list_kind": "officers"}, name="officer_list"),
    path("lectures/export/", views.record_export, {"list_kind": "lectures"}, name="lecture_export"),
    path("homes/export/", views.record_export, {"list_kind": "homes"}, name="home_export"),
    path("projects/export/", views.record_export, {"list_kind": "projects"}, name="project_export"),
    path("officers/export/", views.record_export, {"list_kind": "officers"}, name="officer_export"),
    path("theme-days/<int:theme_day_id>/", views.theme_day_detail, name="theme_day"),
    path("photos/<int:theme_photo_id>/", views.photo, name="photo"),
    path("homes/<int:youth_home_id>/activities/new/", views.home_activity_new, name="home_activity_new"),
    path(
        "projects/<int:service_project_id>/activities/new/",
        views.project_activity_new,
        name="project_activity_new",
    ),
    path("officers/<int:youth_officer_id>/assess/", views.officer_assess, name="officer_assess"),
    path("measures/<int:reform_measure_id>/", views.measure_actual, name="measure_actual"),
    path("gaps/<int:coverage_gap_id>/close/", views.gap_close, name="gap_close"),
    path("handovers/<int:officer_handover_id>/", views.handover_detail, name="handover"),
    path("handovers/<int:officer_handover_id>/update/", views.handover_update, name="handover_update"),
]
