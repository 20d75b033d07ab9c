"""Client systems, their tokens and the log of their calls."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Client(models.Model):
    """A system outside the portal (the national reporting system, a province's one-stop-shop
    system) registered by an administrator: what it may reach and do, until when.

    It reaches the reporting units of its provinces (and of the provinces they succeeded), or
    only the units listed. Every client reads approved reports; `reads_submitted` adds the
    ones under review; `writes` lets it put values into the drafts of the units it reaches.
    `user` is the account change history names as the author of its writes."""

    name = models.CharField(_("tên hệ thống"), max_length=150, unique=True)
    purpose = models.TextField(_("mục đích kết nối"))
    national = models.BooleanField(
        _("toàn quốc"),
        default=False,
        help_text=_("Hệ thống báo cáo quốc gia: đọc báo cáo của mọi tỉnh."),
    )
    provinces = models.ManyToManyField(
        "org.Unit",
        verbose_name=_("tỉnh"),
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "province"},
    )
    units = models.ManyToManyField(
        "org.Unit",
        verbose_name=_("đơn vị"),
        blank=True,
        related_name="+",
        help_text=_("Để trống: mọi đơn vị của các tỉnh đã chọn."),
    )
    reads_submitted = models.BooleanField(_("đọc cả báo cáo đã gửi, chưa duyệt"), default=False)
    writes = models.BooleanField(
        _("ghi số liệu"),
        default=False,
        help_text=_("Ghi số liệu vào báo cáo đang soạn hoặc bị trả lại của các đơn vị trên."),
    )
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    rate_per_minute = models.PositiveIntegerField(
        _("số lượt gọi mỗi phút"),
        null=True,
        blank=True,
        help_text=_("Để trống: theo mức chung của cổng (API_RATE_PER_MINUTE)."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_client",
        verbose_name=_("tài khoản ghi lịch sử"),
    )
    created_at = models.DateTimeField(_("đăng ký lúc"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người đăng ký"),
    )
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("hệ thống kết nối")
        verbose_name_plural = _("hệ thống kết nối")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def scopes(self) -> list[str]:
        return ["read"] + ["submitted"] * self.reads_submitted + ["write"] * self.writes


class Token(models.Model):
    """A bearer token of a client. Only its SHA-256 is stored; the token itself is shown once,
    when it is issued. `prefix` (its first characters) names it in lists and logs."""

    PREFIX_LENGTH = 12

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="tokens", verbose_name=_("hệ thống")
    )
    prefix = models.CharField(_("đầu mã"), max_length=PREFIX_LENGTH)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("cấp lúc"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã truy cập")
        verbose_name_plural = _("mã truy cập")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.prefix}…"


class Call(models.Model):
    """One call to the API: who (client and token, or none when the token was refused), what,
    and the answer. The administrators' audit page lists these with the other events."""

    at = models.DateTimeField(_("lúc"), default=timezone.now, db_index=True)
    client = models.ForeignKey(
        Client,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("hệ thống"),
    )
    token_prefix = models.CharField(_("đầu mã"), max_length=Token.PREFIX_LENGTH, blank=True)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    status = models.PositiveSmallIntegerField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    report_id = models.PositiveBigIntegerField(null=True, blank=True)
    detail = models.CharField(_("chi tiết"), max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("lượt gọi API")
        verbose_name_plural = _("lượt gọi API")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["client", "-at"], name="api_call_client_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__gte=100) & Q(status__lt=600), name="api_call_status_http"
            )
        ]

    def __str__(self):
        return f"{self.method} {self.path} {self.status}"
