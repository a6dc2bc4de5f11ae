from django.urls import path

from . import views, views_interests

app_name = "children"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("new/", views.child_new, name="new"),
    path("<uuid:child_id>/", views.detail, name="detail"),
    path("<uuid:child_id>/edit/", views.edit, name="edit"),
    path("<uuid:child_id>/photo/", views.photo, name="photo"),
    path("<uuid:child_id>/interests/", views_interests.interests, name="interests"),
    path("<uuid:child_id>/team/", views.team, name="team"),
    path("<uuid:child_id>/team/guardians/", views.guardian_add, name="guardian_add"),
    path(
        "<uuid:child_id>/team/guardians/<uuid:link_id>/remove/",
        views.guardian_remove,
        name="guardian_remove",
    ),
    path("<uuid:child_id>/team/therapists/", views.care_add, name="care_add"),
    path(
        "<uuid:child_id>/team/therapists/<uuid:member_id>/", views.care_update, name="care_update"
    ),
    path(
        "<uuid:child_id>/team/therapists/<uuid:member_id>/remove/",
        views.care_remove,
        name="care_remove",
    ),
]
