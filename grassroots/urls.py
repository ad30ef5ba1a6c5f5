from django.urls import path

from . import views

app_name = "grassroots"
urlpatterns = [
    path("", views.index, name="index"),
    path("orgs/<int:org_id>/", views.organization, name="organization"),
    path("orgs/<int:org_id>/theme-days/", views.theme_day_list, name="theme_day_list"),
    path("orgs/<int:org_id>/theme-days/export.xlsx", views.theme_day_export, name="theme_day_export"),
    path("orgs/<int:org_id>/theme-days/new/", views.theme_day_new, name="theme_day_new"),
    path("orgs/<int:org_id>/add/<slug:kind>/", views.record_new, name="record_new"),
    path("theme-days/<int:theme_day_id>/", views.theme_day_detail, name="theme_day"),
    path("photos/<int:photo_id>/", views.photo, name="photo"),
    path("homes/<int:home_id>/activities/new/", views.home_activity_new, name="home_activity_new"),
    path(
        "projects/<int:project_id>/activities/new/", views.project_activity_new, name="project_activity_new"
    ),
    path("officers/<int:officer_id>/assess/", views.officer_assess, name="officer_assess"),
    path("measures/<int:measure_id>/", views.measure_actual, name="measure_actual"),
    path("gaps/<int:gap_id>/close/", views.gap_close, name="gap_close"),
    path("handovers/<int:handover_id>/", views.handover_detail, name="handover"),
    path("handovers/<int:handover_id>/update/", views.handover_update, name="handover_update"),
]
