from django.apps import AppConfig


class BreakglassConfig(AppConfig):
    name = "tandem.breakglass"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Emergency access sits below notifications (the kernel reads its grants): every
        # grant it gives is announced from here.
        from tandem.emergency.signals import access_opened

        from .alerts import announce

        access_opened.connect(announce, dispatch_uid="breakglass.announce")
