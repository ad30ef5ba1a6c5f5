from django.urls import path

from . import views

urlpatterns = [
    path("funds/", views.fund_list, name="fund_list"),
    path("funds/new/", views.fund_create, name="fund_create"),
    path("funds/<int:fund_id>/", views.fund_detail, name="fund_detail"),
    path("funds/<int:fund_id>/entries/", views.entry_create, name="entry_create"),
    path("funds/<int:fund_id>/apply/", views.application_create, name="application_create"),
    path("funds/<int:fund_id>/ledger.xlsx", views.ledger_export, name="ledger_export"),
    path("funds/<int:fund_id>/applications.xlsx", views.application_export, name="application_export"),
    path(
        "funds/applications/<int:fund_application_id>/", views.application_detail, name="application_detail"
    ),
    path(
        "funds/applications/<int:fund_application_id>/decide/",
        views.application_decide,
        name="application_decide",
    ),
    path(
        "funds/applications/<int:fund_application_id>/disburse/",
        views.application_disburse,
        name="application_disburse",
    ),
    path("funds/ledger/<int:ledger_entry_id>/reverse/", views.entry_reverse, name="entry_reverse"),
]
