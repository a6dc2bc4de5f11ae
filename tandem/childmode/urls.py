"""Child mode under /children/: the adult's start and choices pages name the child;
the child's own pages (under child-mode/) read the child from the locked session."""

from django.urls import path

from . import views, views_faces

app_name = "childmode"
urlpatterns = [
    path("child-mode/", views.home, name="home"),
    path("child-mode/enter/", views.enter, name="enter"),
    path("child-mode/choose/", views.choose, name="choose"),
    path("child-mode/picture/", views.picture, name="picture"),
    path("child-mode/exit/", views.leave, name="exit"),
    path("child-mode/faces/", views_faces.faces, name="faces"),
    path("<uuid:child_id>/child-mode/", views.start, name="start"),
    path("<uuid:child_id>/child-mode/choices/", views.choices, name="choices"),
]
