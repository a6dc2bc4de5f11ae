from django.apps import AppConfig


class EmergencyConfig(AppConfig):
    name = "tandem.emergency"
    default_auto_field = "django.db.models.BigAutoField"
