from django.urls import path

from . import views, views_calendar, views_hours, views_offers, views_reply

app_name = "appointments"
A = "children/<uuid:child_id>/<uuid:appointment_id>"
urlpatterns = [
    path("family/", views.family, name="family"),
    path("schedule/", views.schedule, name="schedule"),
    path("rooms/", views.rooms, name="rooms"),
    path("hours/", views_hours.hours, name="hours"),
    path("children/<uuid:child_id>/", views.child, name="child"),
    path("children/<uuid:child_id>/new/", views.new, name="new"),
    path("children/<uuid:child_id>/offer/", views_offers.offer_times, name="offer_times"),
    path("children/<uuid:child_id>/choose/", views_offers.take_time, name="take_time"),
    path(f"{A}/edit/", views.edit, name="edit"),
    path(f"{A}/status/", views.status, name="status"),
    path(f"{A}/ics/", views_calendar.appointment_file, name="ics"),
    path("calendar/", views_calendar.feed_settings, name="calendar"),
    path("calendar/<str:token>.ics", views_calendar.feed, name="feed"),
    path("reply/<str:token>/", views_reply.reply, name="reply"),
]
