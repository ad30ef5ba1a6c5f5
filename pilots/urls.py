from django.urls import path

from . import views

app_name = "pilots"
urlpatterns = [
    path("reports/<int:report_id>/", views.report_detail, name="report_detail"),
    path("briefings/<int:briefing_id>/", views.briefing_detail, name="briefing_detail"),
]
