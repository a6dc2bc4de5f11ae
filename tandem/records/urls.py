from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("<uuid:child_id>/record/", views.record, name="record"),
    path(
        "<uuid:child_id>/record/<uuid:family_record_id>/download/",
        views.download,
        name="download",
    ),
]
