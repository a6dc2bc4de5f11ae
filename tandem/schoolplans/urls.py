from django.urls import path

from . import views

app_name = "schoolplans"
urlpatterns = [
    path("<uuid:child_id>/school-plans/", views.index, name="index"),
    path("<uuid:child_id>/school-plans/new/", views.plan_new, name="new"),
    path("<uuid:child_id>/school-plans/<uuid:school_plan_id>/edit/", views.plan_edit, name="edit"),
    path("<uuid:child_id>/school-plans/<uuid:school_plan_id>/end/", views.plan_end, name="end"),
    path(
        "<uuid:child_id>/school-plans/<uuid:school_plan_id>/goals/new/",
        views.goal_new,
        name="goal_new",
    ),
    path(
        "<uuid:child_id>/school-goals/<uuid:school_goal_id>/edit/",
        views.goal_edit,
        name="goal_edit",
    ),
]
