from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "tandem.ratings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register the rules at start-up (see homeprogram's apps.py for why).
        from . import rules  # noqa: F401
