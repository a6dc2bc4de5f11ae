from django.apps import AppConfig


class SchoolPlansConfig(AppConfig):
    name = "tandem.schoolplans"
    label = "schoolplans"
    default_auto_field = "django.db.models.BigAutoField"
