from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "tandem.intake"
    default_auto_field = "django.db.models.BigAutoField"
