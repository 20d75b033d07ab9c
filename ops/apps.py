from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the portal: health check, request log, login throttling hooks, audit page."""

    name = "ops"
    verbose_name = "Vận hành"

    def ready(self):
        from indicators.signals import template_version_published

        from .audit import record_publication

        template_version_published.connect(record_publication, dispatch_uid="ops-publish")
