from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "tandem.notes"
    default_auto_field = "django.db.models.BigAutoField"
