"""What a consent shares with a collaborator, under /consent/<child>/ (the family's side,
giving and withdrawing consent, is the consent app's, under /consent/<child>/sharing/)."""

from django.urls import path

from . import views

app_name = "collaborators"
urlpatterns = [
    path("<uuid:child_id>/", views.child, name="child"),
    path("<uuid:child_id>/notes/", views.notes, name="notes"),
    path("<uuid:child_id>/observe/", views.observe, name="observe"),
]
