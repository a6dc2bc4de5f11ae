from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "tandem.messaging"
    default_auto_field = "django.db.models.BigAutoField"
