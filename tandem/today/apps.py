from django.apps import AppConfig


class TodayConfig(AppConfig):
    name = "tandem.today"
    default_auto_field = "django.db.models.BigAutoField"
