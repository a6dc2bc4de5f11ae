from django.apps import AppConfig


class HomeprogramConfig(AppConfig):
    name = "tandem.homeprogram"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register the rules at start-up: the kernel's first lookup discovers rules.py
        # modules lazily, and a second thread asking meanwhile would not find them yet.
        from tandem.notifications import dispatch

        from . import rules  # noqa: F401
        from .reminders import children_practising

        # Practice reminders: the dispatcher, below this app, asks which children practise.
        dispatch.register_practice(children_practising)
