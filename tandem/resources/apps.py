from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "tandem.resources"
    default_auto_field = "django.db.models.BigAutoField"
