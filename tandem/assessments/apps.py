from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "tandem.assessments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The worker makes the summary's PDF: register its renderer at start-up.
        from . import summary_document  # noqa: F401
