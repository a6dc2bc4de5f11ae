from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "tandem.demo"
    verbose_name = "Tandem demo clinics"
    default_auto_field = "django.db.models.BigAutoField"
