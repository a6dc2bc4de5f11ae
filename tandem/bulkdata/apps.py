from django.apps import AppConfig


class BulkdataConfig(AppConfig):
    name = "tandem.bulkdata"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The FHIR endpoint serves $export and declares it; it does not import this app.
        from tandem.fhir.extensions import extend

        from .capability import declare_bulk
        from .urls import FHIR_PATTERNS

        extend(patterns=FHIR_PATTERNS, declare=declare_bulk)
