from django.urls import path

from . import views

app_name = "ratings"
urlpatterns = [
    path("<uuid:child_id>/progress/rate/", views.rate, name="rate"),
]
