from django.urls import path

from . import views

app_name = "progress"
urlpatterns = [
    path("<uuid:child_id>/progress/", views.index, name="index"),
    path(
        "<uuid:child_id>/progress/goals/<uuid:goal_id>/sessions/",
        views.goal_sessions,
        name="goal_sessions",
    ),
    path("<uuid:child_id>/progress/reports/", views.reports, name="reports"),
    path("<uuid:child_id>/progress/report/", views.report, name="report"),
    path("<uuid:child_id>/progress/report.pdf", views.report_pdf, name="report_pdf"),
    path(
        "<uuid:child_id>/progress/plans/<uuid:plan_id>/discharge/",
        views.discharge_summary,
        name="discharge",
    ),
    path(
        "<uuid:child_id>/progress/plans/<uuid:plan_id>/discharge.pdf",
        views.discharge_pdf,
        name="discharge_pdf",
    ),
    path("<uuid:child_id>/progress/school/", views.school, name="school_summary"),
    path("<uuid:child_id>/progress/school.pdf", views.school_pdf, name="school_summary_pdf"),
]
