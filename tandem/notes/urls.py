from django.urls import path

from . import views

app_name = "notes"
urlpatterns = [
    path("<uuid:child_id>/sessions/", views.index, name="index"),
    path("<uuid:child_id>/sessions/new/", views.new, name="new"),
    path("<uuid:child_id>/sessions/<uuid:note_id>/", views.detail, name="detail"),
    path("<uuid:child_id>/sessions/<uuid:note_id>/edit/", views.edit, name="edit"),
    path("<uuid:child_id>/sessions/<uuid:note_id>/sign/", views.sign, name="sign"),
    path("<uuid:child_id>/sessions/<uuid:note_id>/cosign/", views.cosign, name="cosign"),
    path("<uuid:child_id>/sessions/<uuid:note_id>/addenda/", views.addendum, name="addendum"),
]
