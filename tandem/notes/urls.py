from django.urls import path

from . import views, views_cosign, views_pdf

app_name = "notes"
urlpatterns = [
    path("<uuid:child_id>/sessions/", views.index, name="index"),
    path("<uuid:child_id>/sessions/new/", views.new, name="new"),
    path("<uuid:child_id>/sessions/<uuid:note_id>/", views.detail, name="detail"),
    path("<uuid:child_id>/sessions/<uuid:note_id>/edit/", views.edit, name="edit"),
    path("<uuid:child_id>/sessions/<uuid:note_id>/sign/", views.sign, name="sign"),
    path("<uuid:child_id>/sessions/<uuid:note_id>/cosign/", views.cosign, name="cosign"),
    path("<uuid:child_id>/sessions/<uuid:note_id>/addenda/", views.addendum, name="addendum"),
    path("<uuid:child_id>/sessions/<uuid:note_id>/pdf/", views_pdf.note_pdf, name="note_pdf"),
    path(
        "<uuid:child_id>/sessions/<uuid:note_id>/send-back/",
        views_cosign.send_back,
        name="send_back",
    ),
    path(
        "<uuid:child_id>/sessions/<uuid:note_id>/resubmit/",
        views_cosign.resubmit,
        name="resubmit",
    ),
    path("sessions/co-signatures/", views_cosign.queue, name="cosign_queue"),
    path("sessions/co-signatures/co-sign/", views_cosign.cosign_bulk, name="cosign_bulk"),
]
