from django.apps import AppConfig


class ProvinceConfig(AppConfig):
    name = "province"
    verbose_name = "Báo cáo của tỉnh"

    def ready(self):
        from . import slots  # noqa: F401 - shows the province's parts on the core's pages
