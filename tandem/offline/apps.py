from django.apps import AppConfig


class OfflineConfig(AppConfig):
    name = "tandem.offline"
    verbose_name = "Works without a connection"
