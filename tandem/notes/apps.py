from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "tandem.notes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate, pre_migrate

        from . import note_document, triggers  # noqa: F401 (registers the PDF)

        connection_created.connect(triggers.register_sqlite_function)
        pre_migrate.connect(triggers.drop_sqlite_triggers_before_migrate, sender=self)
        post_migrate.connect(triggers.install_after_migrate, sender=self)
