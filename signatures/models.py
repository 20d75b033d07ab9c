from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .verify import Revocation


class SigningRule(models.Model):
    """Whether a province requires its reports of one kind to carry the leader's signature
    before they may be approved (ADR 0013). No rule: not required."""

    province = models.ForeignKey(
        "org.Unit",
        verbose_name=_("tỉnh"),
        on_delete=models.CASCADE,
        limit_choices_to={"kind": "province"},
        related_name="+",
    )
    kind = models.ForeignKey(
        "indicators.ReportKind",
        verbose_name=_("loại báo cáo"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    required = models.BooleanField(_("bắt buộc ký số"), default=True)

    class Meta:
        verbose_name = _("quy định ký số")
        verbose_name_plural = _("quy định ký số")
        constraints = [
            models.UniqueConstraint(fields=["province", "kind"], name="one_signing_rule")
        ]

    def __str__(self):
        verb = "bắt buộc" if self.required else "không bắt buộc"
        return f"{self.province.name} – {self.kind}: {verb} ký số"


class SignerCertificate(models.Model):
    """A certificate the administrator registered for a leader: uploads signed with it are
    theirs. The portal keeps the certificate only, never a key."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký"),
        on_delete=models.CASCADE,
        related_name="signer_certificates",
    )
    certificate = models.BinaryField(_("chứng thư số (DER)"))
    fingerprint = models.CharField(_("dấu vân tay SHA-256"), max_length=64)
    subject = models.CharField(_("chủ thể"), max_length=500)
    issuer = models.CharField(_("tổ chức cấp"), max_length=500)
    serial = models.CharField(_("số hiệu"), max_length=80)
    valid_from = models.DateTimeField(_("hiệu lực từ"))
    valid_until = models.DateTimeField(_("hiệu lực đến"))
    active = models.BooleanField(_("đang dùng"), default=True)
    registered_at = models.DateTimeField(_("đăng ký lúc"), auto_now_add=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đăng ký"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,  # the demo loader and commands register as the server's operator
        related_name="+",
    )

    class Meta:
        verbose_name = _("chứng thư số người ký")
        verbose_name_plural = _("chứng thư số người ký")
        ordering = ["user__username", "-valid_until"]
        constraints = [
            models.UniqueConstraint(fields=["user", "fingerprint"], name="one_registration")
        ]

    def __str__(self):
        return f"{self.user} – {self.subject}"


class SubjectAttribute(models.TextChoices):
    COMMON_NAME = "common_name", "CN (tên)"
    ORGANIZATION = "organization_name", "O (tổ chức)"
    UNIT = "organizational_unit_name", "OU (đơn vị)"
    SERIAL_NUMBER = "serial_number", "serialNumber (số định danh)"
    USER_ID = "user_id", "UID"
    EMAIL = "email_address", "E (thư điện tử)"


class SubjectRule(models.Model):
    """What a leader's certificate subject must carry, instead of registering each
    certificate: all of a leader's rules must match (case and spacing ignored)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký"),
        on_delete=models.CASCADE,
        related_name="subject_rules",
    )
    attribute = models.CharField(_("thuộc tính"), max_length=30, choices=SubjectAttribute.choices)
    value = models.CharField(_("giá trị"), max_length=300)

    class Meta:
        verbose_name = _("quy tắc chủ thể chứng thư")
        verbose_name_plural = _("quy tắc chủ thể chứng thư")
        constraints = [
            models.UniqueConstraint(fields=["user", "attribute"], name="one_rule_per_attribute")
        ]

    def __str__(self):
        return f"{self.user}: {self.get_attribute_display()} = {self.value}"


class SealConfig(models.Model):
    """A unit's seal (chữ ký số của cơ quan), used on the server: the key stays in a PKCS#12
    file or on a PKCS#11 token; the database only names them. Files are under
    SIGNATURE_SEAL_DIR."""

    class Backend(models.TextChoices):
        PKCS12 = "pkcs12", "Tệp PKCS#12"
        PKCS11 = "pkcs11", "Thiết bị PKCS#11 (token, HSM)"

    unit = models.OneToOneField(
        "org.Unit", verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="seal"
    )
    backend = models.CharField(
        _("nơi giữ khóa"), max_length=10, choices=Backend.choices, default=Backend.PKCS12
    )
    key_file = models.CharField(
        _("tệp PKCS#12"), max_length=200, blank=True, help_text=_("Tên tệp trong thư mục con dấu.")
    )
    secret_file = models.CharField(
        _("tệp mật khẩu hoặc mã PIN"),
        max_length=200,
        help_text=_("Tên tệp trong thư mục con dấu, một dòng."),
    )
    pkcs11_module = models.CharField(_("thư viện PKCS#11"), max_length=300, blank=True)
    pkcs11_token = models.CharField(_("nhãn token"), max_length=100, blank=True)
    pkcs11_key = models.CharField(_("nhãn khóa"), max_length=100, blank=True)
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("con dấu số của đơn vị")
        verbose_name_plural = _("con dấu số của đơn vị")

    def __str__(self):
        return f"Con dấu số: {self.unit.name}"


class SigningCopy(models.Model):
    """What the leader downloads to sign: the frozen PDF with empty signature fields at its
    signature block, appended as one incremental update. Kept (with its SHA-256) because a
    signature over it is a signature over the frozen document."""

    frozen = models.OneToOneField(
        "documents.StoredDocument", on_delete=models.CASCADE, related_name="signing_copy"
    )
    file = models.FileField(upload_to="signing/", max_length=300)
    sha256 = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Bản để ký: {self.frozen}"


class SignedDocument(models.Model):
    """The signed PDF of one frozen document: the record of the report from the leader's
    accepted upload on. Seals and the receipt are appended to the same file (incremental
    updates), so the uploaded bytes stay at its start."""

    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, related_name="signed_documents"
    )
    frozen = models.OneToOneField(
        "documents.StoredDocument",
        verbose_name=_("bản đã chốt"),
        on_delete=models.PROTECT,
        related_name="signed",
    )
    file = models.FileField(_("tệp đã ký"), upload_to="signed/", max_length=300)
    sha256 = models.CharField(_("mã kiểm tra SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("nhận lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("báo cáo đã ký số")
        verbose_name_plural = _("báo cáo đã ký số")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.report} (đã ký số)"


class Signature(models.Model):
    """One signature in a signed document, as verified when it was added."""

    class Role(models.TextChoices):
        LEADER = "leader", _("Lãnh đạo ký")
        SEAL = "seal", _("Cơ quan ký (con dấu số)")
        RECEIPT = "receipt", _("Sở Nội vụ xác nhận tiếp nhận")

    document = models.ForeignKey(
        SignedDocument, on_delete=models.CASCADE, related_name="signatures"
    )
    role = models.CharField(_("vai trò"), max_length=10, choices=Role.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, related_name="+")
    field_name = models.CharField(max_length=100)
    signer = models.CharField(_("người ký"), max_length=300)
    subject = models.CharField(_("chủ thể"), max_length=500)
    issuer = models.CharField(_("tổ chức cấp"), max_length=500)
    serial = models.CharField(_("số hiệu"), max_length=80)
    fingerprint = models.CharField(max_length=64)
    signed_at = models.DateTimeField(_("ký lúc"), null=True)
    timestamped = models.BooleanField(default=False)
    valid_from = models.DateTimeField(_("hiệu lực từ"))
    valid_until = models.DateTimeField(_("hiệu lực đến"))
    revocation = models.CharField(
        _("tình trạng thu hồi"),
        max_length=12,
        choices=[(key, label) for key, label in Revocation.LABELS.items()],
    )
    verified_at = models.DateTimeField(_("kiểm tra lúc"), auto_now_add=True)

    class Meta:
        ordering = ["document", "signed_at", "pk"]

    def __str__(self):
        return f"{self.get_role_display()}: {self.signer}"


class SignatureEvent(models.Model):
    """The report's signing history: each upload (accepted or refused with its reasons), each
    seal and receipt, and each seal that failed."""

    class Action(models.TextChoices):
        ACCEPTED = "accepted", _("Nhận bản đã ký")
        REFUSED = "refused", _("Từ chối bản tải lên")
        SEALED = "sealed", _("Đóng dấu số của cơ quan")
        RECEIPT = "receipt", _("Ký xác nhận tiếp nhận")
        SEAL_FAILED = "seal_failed", _("Không đóng được dấu số")

    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, related_name="signature_events"
    )
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(max_length=12, choices=Action.choices)
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    reasons = models.JSONField(_("lý do"), default=list, blank=True)

    class Meta:
        ordering = ["report", "at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} ({self.at:%d/%m/%Y %H:%M})"
