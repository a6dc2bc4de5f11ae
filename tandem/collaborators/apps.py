from django.apps import AppConfig


class CollaboratorsConfig(AppConfig):
    """What a guardian's consent shows an outside professional (a teacher, a doctor …)."""

    name = "tandem.collaborators"
    default_auto_field = "django.db.models.BigAutoField"
