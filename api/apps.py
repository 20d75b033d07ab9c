from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The JSON API for systems around the portal: clients and their tokens, reads, writes
    through the report services, the national export (docs/api.md)."""

    name = "api"
    verbose_name = "Kết nối API"

    def ready(self):
        from . import schema  # noqa: F401  (registers the token scheme with drf-spectacular)
