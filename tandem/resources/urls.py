"""The resource library and workshops under /resources/; library objects by ``?id=``."""

from django.urls import path

from . import views, views_workshops

app_name = "resources"
urlpatterns = [
    path("", views.index, name="index"),
    path("item/", views.detail, name="detail"),
    path("item/file/", views.file, name="file"),
    path("item/edit/", views.edit, name="edit"),
    path("item/archive/", views.archive, name="archive"),
    path("children/<uuid:child_id>/", views.child, name="child"),
    path("children/<uuid:child_id>/share/", views.share, name="share"),
    path("children/<uuid:child_id>/unshare/", views.unshare, name="unshare"),
    path("workshops/", views_workshops.workshops, name="workshops"),
    path("workshops/edit/", views_workshops.workshop_edit, name="workshop_edit"),
    path("workshops/roster/", views_workshops.workshop_roster, name="workshop_roster"),
    path("workshops/call-off/", views_workshops.workshop_call_off, name="workshop_call_off"),
    path("workshops/register/", views_workshops.register, name="register"),
    path("workshops/unregister/", views_workshops.unregister, name="unregister"),
]
