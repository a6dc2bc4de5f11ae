from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "tandem.messaging"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tandem.notifications import dispatch

        from .checkins import remind_due_checkins

        # Check-in reminders: the dispatcher, below this app, sends them with the rest.
        dispatch.register_checkins(remind_due_checkins)
