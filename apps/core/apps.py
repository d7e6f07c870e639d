from django.apps import AppConfig
from django.urls import register_converter


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"

    def ready(self) -> None:
        from .converters import DatabaseIdConverter

        # Before any URLconf is imported: every app's urls.py may use <id:...>.
        register_converter(DatabaseIdConverter, "id")
