from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "tandem.records"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register the rule at start-up (see homeprogram's apps.py for why).
        from . import rules  # noqa: F401
