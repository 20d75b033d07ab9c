from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """What no other table records: downloads of another unit's report, who published a
    template version, and password-reset requests (counted by ops.forms' throttle).

    Logins, failed logins and lockouts live in django-axes' logs, state changes in StateChange;
    the audit page reads them all.
    """

    class Kind(models.TextChoices):
        EXPORT = "export", _("Tải báo cáo của đơn vị khác")
        PUBLISH = "publish", _("Công bố mẫu")
        PASSWORD_RESET = "password_reset", _("Yêu cầu đặt lại mật khẩu")

    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("lúc"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    ip_address = models.GenericIPAddressField(null=True)
    object_id = models.PositiveBigIntegerField(null=True)
    detail = models.CharField(_("chi tiết"), max_length=300)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("sự kiện kiểm tra")
        verbose_name_plural = _("sự kiện kiểm tra")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.detail}"


class WorkerHeartbeat(models.Model):
    """A task worker's latest sign of life, written every WORKER_HEARTBEAT_SECONDS by the
    worker (ops.workers); /healthz reads the newest."""

    worker_id = models.CharField(_("mã tiến trình"), max_length=64, unique=True)
    host = models.CharField(_("máy"), max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(_("chạy từ"))
    beat_at = models.DateTimeField(_("tín hiệu gần nhất"), db_index=True)

    class Meta:
        ordering = ["-beat_at"]
        verbose_name = _("tiến trình xử lý nền")
        verbose_name_plural = _("tiến trình xử lý nền")

    def __str__(self):
        return f"{self.worker_id} ({self.host}, {self.pid})"
