from django.urls import path

from . import views

app_name = "assessments"
E = "<uuid:child_id>/assessments/<uuid:evaluation_id>"
urlpatterns = [
    path("<uuid:child_id>/assessments/", views.index, name="index"),
    path("<uuid:child_id>/assessments/new/", views.evaluation_new, name="new"),
    path(f"{E}/", views.evaluation, name="evaluation"),
    path(f"{E}/pdf/", views.evaluation_pdf, name="evaluation_pdf"),
    path(f"{E}/edit/", views.evaluation_edit, name="edit"),
]
