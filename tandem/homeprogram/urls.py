from django.urls import path

from . import views, views_family

app_name = "homeprogram"
urlpatterns = [
    path("family/", views_family.family_home, name="family_home"),
    path("<uuid:child_id>/home/", views.index, name="index"),
    path("<uuid:child_id>/home/adherence/", views.adherence, name="adherence"),
    path("<uuid:child_id>/home/activities/new/", views.activity_new, name="activity_new"),
    path(
        "<uuid:child_id>/home/activities/<uuid:home_activity_id>/edit/",
        views.activity_edit,
        name="activity_edit",
    ),
    path(
        "<uuid:child_id>/home/activities/<uuid:home_activity_id>/status/",
        views.activity_status,
        name="activity_status",
    ),
    path(
        "<uuid:child_id>/home/activities/<uuid:home_activity_id>/handout/",
        views.handout,
        name="handout",
    ),
    path(
        "<uuid:child_id>/home/activities/<uuid:home_activity_id>/log/",
        views_family.log_new,
        name="log_new",
    ),
    path("<uuid:child_id>/home/logs/<uuid:log_id>/", views_family.log_update, name="log_update"),
    path("<uuid:child_id>/home/logs/<uuid:log_id>/undo/", views_family.log_undo, name="log_undo"),
    path("<uuid:child_id>/home/goals/<uuid:goal_id>/", views.goal, name="goal"),
    path(
        "<uuid:child_id>/home/observations/new/",
        views_family.observation_new,
        name="observation_new",
    ),
]
