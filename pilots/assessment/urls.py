from django.urls import path

from . import views, views_manage

urlpatterns = [
    path("programs/<int:program_id>/assessment/", views.program_assessment, name="program_assessment"),
    path(
        "programs/<int:program_id>/assessment/criteria/", views_manage.scheme_criteria, name="scheme_criteria"
    ),
    path("reviews/<int:stage_review_id>/", views.review_detail, name="review_detail"),
    path("reviews/<int:stage_review_id>/units/<int:unit_id>/", views.unit_score, name="unit_score"),
    path("reviews/<int:stage_review_id>/publish/", views.review_publish, name="review_publish"),
    path("reviews/<int:stage_review_id>/correct/", views.review_correct, name="review_correct"),
    path("units/<int:unit_id>/award/", views.award_apply, name="award_apply"),
    path("awards/<int:award_application_id>/", views.award_detail, name="award_detail"),
    path("ratings/", views.rating_rounds, name="rating_rounds"),
    path("ratings/<int:rating_round_id>/", views.rating_round, name="rating_round"),
    path("ratings/branch/<int:branch_rating_id>/", views.rating_detail, name="rating_detail"),
    path("rectification/", views.rectification_list, name="rectification_list"),
    path(
        "rectification/<int:rectification_target_id>/",
        views.rectification_detail,
        name="rectification_detail",
    ),
    path("rectification/items/<int:rectification_item_id>/close/", views.item_close, name="item_close"),
    path(
        "rectification/items/<int:rectification_item_id>/evidence/", views.item_evidence, name="item_evidence"
    ),
    path("inspections/", views.inspection_list, name="inspection_list"),
    path("inspections/new/", views_manage.inspection_new, name="inspection_new"),
    path("inspections/<int:inspection_id>/edit/", views_manage.inspection_edit, name="inspection_edit"),
    path("inspections/<int:inspection_id>/findings/", views_manage.finding_add, name="finding_add"),
    path("inspections/<int:inspection_id>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:inspection_id>/quarter/", views.inspection_report, name="inspection_report"),
    path("escalation/", views_manage.escalation_index, name="escalation_index"),
    path("escalation/<int:org_id>/", views.escalation, name="escalation"),
    path("escalation/<int:org_id>/ranking/", views_manage.ranking_edit, name="ranking_edit"),
    path("hearings/", views.hearing_list, name="hearing_list"),
    path("hearings/new/", views_manage.hearing_new, name="hearing_new"),
    path("hearings/<int:hearing_id>/", views.hearing_detail, name="hearing_detail"),
    path("hearings/reports/<int:hearing_report_id>/", views.hearing_report, name="hearing_report"),
    path(
        "hearings/reports/<int:hearing_report_id>/comment/",
        views_manage.hearing_comment,
        name="hearing_comment",
    ),
]
