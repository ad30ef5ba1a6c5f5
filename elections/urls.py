from django.urls import path

from . import views

app_name = "elections"
urlpatterns = [
    path("", views.election_list, name="list"),
    path("new/", views.election_create, name="create"),
    path("<int:election_id>/", views.election_detail, name="detail"),
    path("<int:election_id>/step/", views.election_step, name="step"),
    path("<int:election_id>/rules/", views.election_rules, name="rules"),
    path("<int:election_id>/candidates/", views.candidate_list, name="candidates"),
    path("<int:election_id>/formal/", views.formal, name="formal"),
    path("<int:election_id>/roll/", views.roll, name="roll"),
    path("<int:election_id>/congress/", views.congress, name="congress"),
    path("<int:election_id>/officers/", views.officer_round, name="officer_round"),
    path("<int:election_id>/report/", views.report, name="report"),
    path("<int:election_id>/publicity/", views.publicity, name="publicity"),
    path("candidates/<int:candidate_id>/", views.candidate_detail, name="candidate"),
    path("voters/<int:voter_id>/", views.voter_update, name="voter_update"),
    path("rounds/<int:round_id>/", views.round_detail, name="round"),
    path("rounds/<int:round_id>/action/", views.round_action, name="round_action"),
    path("rounds/<int:round_id>/print/", views.round_print, name="round_print"),
    path("objections/<int:objection_id>/resolve/", views.objection_resolve, name="objection_resolve"),
]
