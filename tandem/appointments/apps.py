from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "tandem.appointments"
    default_auto_field = "django.db.models.BigAutoField"
