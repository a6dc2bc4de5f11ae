from django.urls import path

from . import queue_views, token_views, views

app_name = "accounts"
urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/invite/", views.invite, name="invite"),
    path("people/<uuid:membership_id>/", views.person, name="person"),
    path(
        "people/invitations/<uuid:invitation_id>/revoke/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
    path("people/tasks/", queue_views.task_queue, name="task_queue"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("preferences/", views.preferences, name="preferences"),
    path("language/", views.switch_language, name="language"),
    path("clinic/", views.switch_clinic, name="switch_clinic"),
    path("tokens/", token_views.token_list, name="tokens"),
    path("tokens/<uuid:token_id>/revoke/", token_views.revoke_token, name="revoke_token"),
]
