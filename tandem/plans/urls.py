from django.urls import path

from . import views, views_goal_bank

app_name = "plans"
urlpatterns = [
    path("<uuid:child_id>/plans/", views.index, name="index"),
    path("<uuid:child_id>/plans/new/", views.plan_new, name="new"),
    path("<uuid:child_id>/plans/<uuid:plan_id>/", views.detail, name="detail"),
    path("<uuid:child_id>/plans/<uuid:plan_id>/edit/", views.plan_edit, name="edit"),
    path("<uuid:child_id>/plans/<uuid:plan_id>/status/", views.plan_status, name="status"),
    path("<uuid:child_id>/plans/<uuid:plan_id>/sign/", views.sign, name="sign"),
    path("<uuid:child_id>/plans/<uuid:plan_id>/goals/new/", views.goal_new, name="goal_new"),
    path(
        "<uuid:child_id>/plans/<uuid:plan_id>/goals/bank/",
        views_goal_bank.goal_bank_pick,
        name="goal_bank_pick",
    ),
    path("<uuid:child_id>/plans/<uuid:plan_id>/copm/new/", views.copm_new, name="copm_new"),
    path("<uuid:child_id>/goals/<uuid:goal_id>/edit/", views.goal_edit, name="goal_edit"),
    path("<uuid:child_id>/goals/<uuid:goal_id>/status/", views.goal_status, name="goal_status"),
    path("<uuid:child_id>/copm/<uuid:activity_id>/edit/", views.copm_edit, name="copm_edit"),
    path("goal-bank/", views_goal_bank.goal_bank, name="goal_bank"),
    path("goal-bank/entry/", views_goal_bank.goal_bank_entry, name="goal_bank_entry"),
]
