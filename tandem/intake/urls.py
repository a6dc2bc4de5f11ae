from django.urls import path

from . import views, views_public

app_name = "intake"
urlpatterns = [
    path("refer/<str:clinic>/", views_public.refer, name="refer"),
    path("status/<str:token>/", views_public.status, name="status"),
    path("", views.index, name="index"),
    path("<uuid:referral_id>/", views.detail, name="detail"),
]
