from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the portal: health check, request log, login throttling hooks, audit page."""

    name = "ops"
    verbose_name = "Vận hành"
