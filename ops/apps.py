from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the portal: health check, request log, login throttling hooks, audit page."""

    name = "ops"
    verbose_name = "Vận hành"

    def ready(self):
        from django.db.models.signals import post_save

        from indicators.models import TemplateVersion

        from . import checks  # noqa: F401  (registers the deploy checks)
        from .audit import record_publication

        post_save.connect(record_publication, sender=TemplateVersion, dispatch_uid="ops-publish")
