from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "tandem.progress"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The worker makes the report's PDF: register its renderer at start-up.
        from . import discharge, report_document, school_summary  # noqa: F401
