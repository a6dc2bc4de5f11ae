from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "tandem.children"
    default_auto_field = "django.db.models.BigAutoField"
