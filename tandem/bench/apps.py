from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Performance tooling; an app only so that ``manage.py generate_clinic`` lives here."""

    name = "tandem.bench"
    verbose_name = "Tandem bench"
    default_auto_field = "django.db.models.BigAutoField"
