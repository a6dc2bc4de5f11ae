from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "tandem.audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The children's and consent's pages sit below audit: they log through this hook.
        from tandem.children import access_log

        from .actions import log_access

        access_log.register(log_access)
