from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "tandem.billing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tandem.notes.signals import note_signed

        from . import charging

        note_signed.connect(charging.on_note_signed, dispatch_uid="billing.charges")
        # The worker prints the superbill, statement and Good Faith Estimate: register them.
        from . import documents  # noqa: F401
