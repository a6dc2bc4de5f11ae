from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "tandem.appointments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tandem.notifications import dispatch

        from .reminders import send_appointment_reminders

        # Session reminders: the dispatcher, below this app, sends them with the rest.
        dispatch.register_appointments(send_appointment_reminders)
