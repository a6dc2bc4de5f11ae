from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "tandem.timeline"
    default_auto_field = "django.db.models.BigAutoField"
