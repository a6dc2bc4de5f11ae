from django.urls import path

from . import views

app_name = "consent"
urlpatterns = [
    # The family's side: /consent/<child>/sharing/… (the collaborator's side, what a
    # consent shows them, is the collaborators app's, under /consent/<child>/ too).
    path("<uuid:child_id>/sharing/", views.index, name="index"),
    path("<uuid:child_id>/sharing/new/", views.grant, name="grant"),
    path("<uuid:child_id>/sharing/<uuid:grant_id>/stop/", views.revoke, name="revoke"),
]
