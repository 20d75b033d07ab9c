from django.apps import AppConfig


class HomeConfig(AppConfig):
    """Each person's home page: "Việc cần làm", what waits for them across periods."""

    name = "home"
    verbose_name = "Trang chính"

    def ready(self):
        from . import receivers  # noqa: F401
