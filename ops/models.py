from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult


class AuditEvent(models.Model):
    """What no other table records: downloads of another unit's report, who published a
    template version, and password-reset requests (counted by ops.forms' throttle).

    Logins, failed logins and lockouts live in django-axes' logs, state changes in StateChange;
    the audit page reads them all.
    """

    class Kind(models.TextChoices):
        EXPORT = "export", _("Tải báo cáo của đơn vị khác")
        PUBLISH = "publish", _("Công bố mẫu")
        UPGRADE = "upgrade", _("Chuyển báo cáo sang phiên bản mẫu mới")
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


# The admin pages of django-axes' and django-tasks' records, in Vietnamese: proxies (no tables of
# their own) that name each record in Vietnamese; ops/admin.py registers them in place of the
# libraries' own admin classes. Their field labels are translated in locale/vi.


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


class FailedLoginCount(AccessAttempt):
    """django-axes' running count of wrong passwords for a username from an address."""

    class Meta:
        proxy = True
        verbose_name = _("lượt đăng nhập sai đang tính")
        verbose_name_plural = _("lượt đăng nhập sai đang tính")

    def __str__(self):
        return f"{self.username} ({self.ip_address}): {self.failures_since_start} lần sai"


class FailedLogin(AccessFailureLog):
    class Meta:
        proxy = True
        verbose_name = _("lần đăng nhập sai")
        verbose_name_plural = _("lần đăng nhập sai")

    def __str__(self):
        return f"{self.username} ({self.ip_address}), {_local(self.attempt_time)}"


class Login(AccessLog):
    class Meta:
        proxy = True
        verbose_name = _("lần đăng nhập")
        verbose_name_plural = _("lần đăng nhập")

    def __str__(self):
        return f"{self.username} ({self.ip_address}), {_local(self.attempt_time)}"


class BackgroundTask(DBTaskResult):
    """A background task (e-mail, render, aggregate refresh) run by a db_worker."""

    class Meta:
        proxy = True
        verbose_name = _("tác vụ nền")
        verbose_name_plural = _("tác vụ nền")

    def __str__(self):
        return f"{self.task_name} – {self.get_status_display()}, {_local(self.enqueued_at)}"
