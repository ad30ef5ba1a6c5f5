"""Public pages (no login): mounted at /public/elections/ in league/urls.py."""

from django.urls import path

from . import public_views

app_name = "elections_public"
urlpatterns = [
    path("", public_views.notices, name="notices"),
    path("vote/", public_views.vote, name="vote"),
    path("<int:publicity_id>/", public_views.notice, name="notice"),
    path("nominate/<int:nomination_id>/", public_views.nominate, name="nominate"),
]
