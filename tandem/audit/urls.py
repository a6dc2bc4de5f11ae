from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.index, name="index"),
    path("children/<uuid:child_id>/", views.child_trail, name="child"),
    path("people/<uuid:membership_id>/", views.person_trail, name="person"),
]
