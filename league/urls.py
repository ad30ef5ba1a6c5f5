from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import twofactor, views

urlpatterns = [
    path("", views.home, name="home"),
    path("orgs/", views.organization_tree, name="organization_tree"),
    path("orgs/export.xlsx", views.organization_export, name="organization_export"),
    path("orgs/import/", views.organization_import, name="organization_import"),
    path(
        "orgs/import/template.xlsx", views.organization_import_template, name="organization_import_template"
    ),
    path("orgs/<int:org_id>/", views.organization_detail, name="organization_detail"),
    path("orgs/<int:org_id>/children/", views.organization_children, name="organization_children"),
    path("", include("league.urls_lineups")),
    path("exports/", views.export_job_list, name="export_job_list"),
    path("exports/<int:job_id>/", views.export_job_detail, name="export_job_detail"),
    path("exports/<int:job_id>/progress/", views.export_job_progress, name="export_job_progress"),
    path("exports/<int:job_id>/download/", views.export_job_download, name="export_job_download"),
    path("orgs/<int:org_id>/edit/", views.organization_edit, name="organization_edit"),
    path("orgs/<int:org_id>/audit/", views.organization_audit, name="organization_audit"),
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/read-all/", views.notice_read_all, name="notice_read_all"),
    path("notices/<int:notice_id>/read/", views.notice_read, name="notice_read"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/otp/", twofactor.otp_verify, name="otp_verify"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("public/", views.public_index, name="public_index"),
    path("healthz", views.healthz, name="healthz"),
    path("ping/", views.ping, name="ping"),
    path("pilots/", include("pilots.urls")),
    path("elections/", include("elections.urls")),
    path("ops/", include("ops.urls")),
    path("public/elections/", include("elections.public_urls")),
    path("grassroots/", include("grassroots.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "league.errors.server_error"
