from django.apps import AppConfig


class ChildmodeConfig(AppConfig):
    name = "tandem.childmode"
    default_auto_field = "django.db.models.BigAutoField"
