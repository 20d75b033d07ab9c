from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """What no other table records: downloads of another unit's report, and who published a
    template version.

    Logins, failed logins and lockouts live in django-axes' logs, state changes in StateChange;
    the audit page reads them all.
    """

    class Kind(models.TextChoices):
        EXPORT = "export", _("Tải báo cáo của đơn vị khác")
        PUBLISH = "publish", _("Công bố mẫu")

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
