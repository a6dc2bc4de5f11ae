from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.index, name="index"),
    path("export.csv", views.export, name="export"),
    path("children/<uuid:child_id>/", views.child_trail, name="child"),
    path("children/<uuid:child_id>/seen/", views.seen, name="seen"),
    path("people/<uuid:membership_id>/", views.person_trail, name="person"),
]
