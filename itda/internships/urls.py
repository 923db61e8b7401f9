from django.urls import path

from itda.internships import (
    agreement_views,
    ending_views,
    hiring_views,
    ojt_views,
    pbl_views,
    views,
)

app_name = "internships"

urlpatterns = [
    path("company/positions/", views.my_positions, name="my_positions"),
    path("company/positions/new/", views.position_edit, name="position_new"),
    path("company/positions/<int:pk>/edit/", views.position_edit, name="position_edit"),
    path("positions/review/", views.review_queue, name="review_queue"),
    path("positions/<int:pk>/", views.position_detail, name="position_detail"),
    path("positions/<int:pk>/<str:action>/", views.position_move, name="position_move"),
    # agreements (협약)
    path("internships/", agreement_views.internship_list, name="internship_list"),
    path("internships/<int:pk>/", agreement_views.internship_detail, name="internship_detail"),
    path(
        "internships/<int:pk>/accept/", agreement_views.internship_accept, name="internship_accept"
    ),
    path(
        "internships/<int:pk>/decline/",
        agreement_views.internship_decline,
        name="internship_decline",
    ),
    path(
        "internships/<int:pk>/cancel/", agreement_views.internship_cancel, name="internship_cancel"
    ),
    path(
        "internships/<int:pk>/mentor/", agreement_views.internship_mentor, name="internship_mentor"
    ),
    path("internships/<int:pk>/terms/", agreement_views.internship_terms, name="internship_terms"),
    path(
        "internships/placements/",
        agreement_views.placements_to_propose,
        name="placements_to_propose",
    ),
    path(
        "internships/placements/<int:pk>/propose/",
        agreement_views.internship_propose,
        name="internship_propose",
    ),
    path("me/internship/", agreement_views.my_internship, name="my_internship"),
    path("company/mentors/", agreement_views.company_mentors, name="company_mentors"),
    path(
        "company/mentors/<int:pk>/deactivate/",
        agreement_views.mentor_deactivate,
        name="mentor_deactivate",
    ),
    path("company/interns/", agreement_views.company_interns, name="company_interns"),
    path("internships/waves/", agreement_views.start_waves, name="start_waves"),
    path(
        "internships/programmes/<int:pk>/mentor-max/",
        agreement_views.mentor_ceiling,
        name="mentor_ceiling",
    ),
    # Track 2 (PBL): problem, milestones, deliverables, reviews
    path("internships/<int:pk>/pbl/", pbl_views.pbl_page, name="pbl_page"),
    path("internships/<int:pk>/pbl/problem/", pbl_views.problem_edit, name="pbl_problem"),
    path(
        "internships/<int:pk>/pbl/milestones/new/",
        pbl_views.milestone_new,
        name="pbl_milestone_new",
    ),
    path("internships/<int:pk>/pbl/final-review/", pbl_views.final_review, name="pbl_final_review"),
    path(
        "internships/pbl/milestones/<int:pk>/edit/",
        pbl_views.milestone_edit,
        name="pbl_milestone_edit",
    ),
    path(
        "internships/pbl/milestones/<int:pk>/cancel/",
        pbl_views.milestone_cancel,
        name="pbl_milestone_cancel",
    ),
    path(
        "internships/pbl/milestones/<int:pk>/review/",
        pbl_views.milestone_review,
        name="pbl_milestone_review",
    ),
    path(
        "internships/pbl/deliverables/<int:pk>/",
        pbl_views.deliverable_download,
        name="pbl_deliverable_download",
    ),
    path("me/internship/pbl/", pbl_views.my_pbl, name="my_pbl"),
    path(
        "me/internship/pbl/milestones/<int:pk>/upload/",
        pbl_views.deliverable_upload,
        name="pbl_deliverable_upload",
    ),
    # Track 1 (OJT) monthly reports
    path(
        "internships/<int:pk>/ojt/<int:year>-<int:month>/<str:kind>/",
        ojt_views.report_edit,
        name="ojt_report_edit",
    ),
    path("internships/ojt/review/", ojt_views.review_queue, name="ojt_review_queue"),
    path("internships/ojt/reports/<int:pk>/", ojt_views.report_detail, name="ojt_report_detail"),
    path(
        "internships/ojt/reports/<int:pk>/review/",
        ojt_views.report_review,
        name="ojt_report_review",
    ),
    path("mentor/interns/", ojt_views.mentor_interns, name="mentor_interns"),
    # the end (종료) and the replacement chain
    path("internships/<int:pk>/ending/", ending_views.internship_ending, name="internship_ending"),
    path(
        "internships/<int:pk>/complete/",
        ending_views.internship_complete,
        name="internship_complete",
    ),
    path(
        "internships/<int:pk>/ending/evidence/",
        ending_views.ending_evidence,
        name="ending_evidence",
    ),
    path("internships/replacements/", ending_views.replacements, name="replacements"),
    # the hiring outcome (채용)
    path("internships/<int:pk>/outcome/", hiring_views.outcome_record, name="outcome_record"),
    path("internships/outcomes/", hiring_views.outcome_queue, name="outcome_queue"),
    path(
        "internships/outcomes/<int:pk>/verify/",
        hiring_views.outcome_verify,
        name="outcome_verify",
    ),
    path(
        "internships/outcomes/<int:pk>/return/",
        hiring_views.outcome_return,
        name="outcome_return",
    ),
    path(
        "internships/outcomes/<int:pk>/contract/",
        hiring_views.outcome_contract,
        name="outcome_contract",
    ),
    path("company/hires/", hiring_views.company_hires, name="company_hires"),
    path("company/hires/<int:pk>/", hiring_views.company_hire, name="company_hire"),
    path("me/internship/outcome/", hiring_views.my_outcome, name="my_outcome"),
]
