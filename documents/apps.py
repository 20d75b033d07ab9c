from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Tệp báo cáo"

    def ready(self):
        from . import receivers  # noqa: F401 - connects to reports.signals
