from django.urls import path

from . import views

app_name = "consent"
urlpatterns = [
    # The family's side: /consent/<child>/sharing/…
    path("<uuid:child_id>/sharing/", views.index, name="index"),
    path("<uuid:child_id>/sharing/new/", views.grant, name="grant"),
    path("<uuid:child_id>/sharing/<uuid:grant_id>/stop/", views.revoke, name="revoke"),
    # The collaborator's side: what a consent shares with them.
    path("<uuid:child_id>/", views.child, name="child"),
    path("<uuid:child_id>/notes/", views.notes, name="notes"),
    path("<uuid:child_id>/observe/", views.observe, name="observe"),
]
