from django.urls import path

from . import views

app_name = "timeline"
urlpatterns = [
    path("<uuid:child_id>/timeline/", views.timeline, name="index"),
]
