from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "tandem.progress"
    default_auto_field = "django.db.models.BigAutoField"
