from django.apps import AppConfig


class HomeprogramConfig(AppConfig):
    name = "tandem.homeprogram"
    default_auto_field = "django.db.models.BigAutoField"
