from django.urls import path

from . import views_lineups as v

urlpatterns = [
    path("orgs/<int:org_id>/lineup/", v.lineup_detail, name="lineup_detail"),
    path("orgs/<int:org_id>/lineup/panel/", v.lineup_panel, name="lineup_panel"),
    path("orgs/<int:org_id>/terms/new/", v.term_create, name="term_create"),
    path("terms/<int:term_id>/seats/new/", v.seat_fill, name="seat_fill"),
    path("seats/<int:seat_id>/", v.seat_detail, name="seat_detail"),
    path("assignments/<int:assignment_id>/delete/", v.assignment_delete, name="assignment_delete"),
    path("talks/<int:talk_id>/conclude/", v.talk_conclude, name="talk_conclude"),
    path(
        "recommendations/<int:recommendation_id>/decide/",
        v.recommendation_decide,
        name="recommendation_decide",
    ),
    path("reviews/<int:review_id>/", v.review_detail, name="review_detail"),
    path("lineups/stats/", v.lineup_stats, name="lineup_stats"),
    path("lineups/stats/export.xlsx", v.lineup_stats_export, name="lineup_stats_export"),
    path("lineups/expiring/", v.term_expiry, name="term_expiry"),
    path("lineups/export.xlsx", v.lineup_export, name="lineup_export"),
    path("lineups/import/", v.lineup_import, name="lineup_import"),
    path("lineups/import/template.xlsx", v.lineup_import_template, name="lineup_import_template"),
    path("people/", v.person_list, name="person_list"),
    path("people/export.xlsx", v.person_export, name="person_export"),
    path("people/new/", v.person_create, name="person_create"),
    path("people/<int:person_id>/", v.person_detail, name="person_detail"),
]
