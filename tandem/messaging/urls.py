from django.urls import path

from . import views

app_name = "messaging"
urlpatterns = [
    path("<uuid:child_id>/messages/", views.index, name="index"),
    path("<uuid:child_id>/messages/post/", views.post, name="post"),
    path(
        "<uuid:child_id>/messages/files/<uuid:message_file_id>/",
        views.attachment,
        name="attachment",
    ),
    path("<uuid:child_id>/messages/handoffs/new/", views.handoff_new, name="handoff_new"),
    path(
        "<uuid:child_id>/messages/check-ins/schedule/",
        views.checkin_schedule,
        name="checkin_schedule",
    ),
    path("<uuid:child_id>/messages/check-in/", views.checkin, name="checkin"),
    path("<uuid:child_id>/messages/check-in/thanks/", views.checkin_thanks, name="checkin_thanks"),
]
