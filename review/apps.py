from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = "Theo dõi và tổng hợp"

    def ready(self):
        from . import receivers  # noqa: F401 - connects to reports.signals
