from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """Backups and restores (``manage.py backup`` / ``restore``) and the full-record digest
    that proves a restore gave back every record; an app only so that its commands live here."""

    name = "tandem.backups"
    verbose_name = "Tandem backups"
    default_auto_field = "django.db.models.BigAutoField"
