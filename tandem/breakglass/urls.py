from django.urls import path

from . import views

app_name = "breakglass"
urlpatterns = [
    # Not under /children/<id>/: the record is not there for a clinician until they break
    # the glass (404), so the search is a page of its own.
    path("", views.open_record, name="open"),
    path("end/", views.end, name="end"),
    path("review/", views.queue, name="queue"),
    path("review/<uuid:access_id>/", views.review, name="review"),
]
