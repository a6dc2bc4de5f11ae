from django.urls import path

from . import views

app_name = "groups"
urlpatterns = [
    path("groups/", views.index, name="index"),
    path("groups/new/", views.new, name="new"),
    path("groups/<uuid:program_id>/", views.detail, name="detail"),
    path("groups/sessions/<uuid:encounter_id>/", views.session, name="session"),
    path("children/<uuid:child_id>/groups/", views.family, name="family"),
]
