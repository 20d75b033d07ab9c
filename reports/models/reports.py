from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from indicators.types import NUMBER_DECIMAL_PLACES, NUMBER_MAX_DIGITS

from ..values import CellsDecoder, CellsEncoder


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Nháp")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Trả lại")
    RESUBMITTED = "resubmitted", _("Đã gửi lại")
    APPROVED = "approved", _("Đã duyệt")
    # The province's own report ends here: signed by its leader and sent to the Ministry.
    SIGNED = "signed", _("Đã ký, đã gửi")


EDITABLE_STATES = (ReportState.DRAFT, ReportState.RETURNED)
SUBMITTED_STATES = (ReportState.SUBMITTED, ReportState.RESUBMITTED, ReportState.APPROVED)
UNDER_REVIEW = [ReportState.SUBMITTED, ReportState.RESUBMITTED]


class Report(models.Model):
    """A department's CCHC report for one period: an official document (báo cáo) with its
    narrative sections and appendix values, bound to the template version it was filed on."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="reports"
    )
    period = models.ForeignKey(
        "reports.Period", verbose_name=_("kỳ"), on_delete=models.PROTECT, related_name="reports"
    )
    kind = models.ForeignKey(
        "indicators.ReportKind",
        verbose_name=_("loại báo cáo"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    template_version = models.ForeignKey(
        "indicators.TemplateVersion",
        verbose_name=_("mẫu phụ lục"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    revision = models.PositiveSmallIntegerField(_("lần lập"), default=1)
    state = FSMField(_("trạng thái"), default=ReportState.DRAFT, choices=ReportState.choices)

    # Header of the official document.
    parent_body = models.CharField(_("cơ quan chủ quản"), max_length=200, blank=True)
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=200)
    number = models.CharField(_("số"), max_length=20, blank=True)
    symbol = models.CharField(_("ký hiệu"), max_length=60, blank=True)
    place = models.CharField(_("địa danh"), max_length=100)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    title = models.CharField(_("trích yếu"), max_length=500)
    basis = models.TextField(_("căn cứ"), blank=True, help_text=_("Mỗi đoạn căn cứ một dòng."))
    recipients = models.TextField(_("nơi nhận"), blank=True, help_text=_("Mỗi nơi nhận một dòng."))
    signer_authority = models.CharField(_("quyền hạn ký"), max_length=100, blank=True)
    signer_position = models.CharField(_("chức vụ người ký"), max_length=100, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=100, blank=True)

    # Optimistic locking: one counter per part ("header", "section:<code>", "appendix:<code>").
    part_versions = models.JSONField(_("phiên bản các phần"), default=dict, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    # Set by every submission, refused or not: from then on the entry pages show blank required
    # values as errors, not as quiet "chưa nhập".
    submission_tried_at = models.DateTimeField(_("thử gửi lúc"), null=True, blank=True)

    history = HistoricalRecords(
        excluded_fields=["part_versions", "updated_at", "submission_tried_at"]
    )

    # The fields of the official document's header and signature, edited together.
    HEADER_FIELDS = (
        "parent_body",
        "issuing_body",
        "number",
        "symbol",
        "place",
        "issued_on",
        "title",
        "basis",
        "recipients",
        "signer_authority",
        "signer_position",
        "signer_name",
    )

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        ordering = ["-period__year", "unit__name", "-revision"]
        permissions = [
            ("submit_report", "Gửi báo cáo"),
            ("review_report", "Thẩm định báo cáo"),
            ("view_dashboard", "Xem bảng theo dõi"),
            ("sign_province_report", "Ký, gửi báo cáo của tỉnh"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period", "kind", "revision"],
                name="report_unique_unit_period_kind_revision",
                violation_error_message=_("Đơn vị đã có báo cáo loại này cho kỳ này."),
            ),
            models.CheckConstraint(
                condition=~Q(state=ReportState.APPROVED) | Q(approved_at__isnull=False),
                name="report_approved_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.title} – {self.unit.name}"

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def blanks_are_errors(self) -> bool:
        """Blank required values read as errors once someone has tried to submit the report."""
        return self.submission_tried_at is not None

    @property
    def number_and_symbol(self) -> str:
        """ "136/BC-SKHCN", or "/BC-SKHCN" while the number is not issued yet."""
        return f"{self.number}/{self.symbol}" if self.symbol else self.number

    # Workflow. The services in reports.services.workflow call these after checking who may
    # (reports.access.require) and can_proceed, inside a transaction that logs the change.

    @transition(field=state, source=ReportState.DRAFT, target=ReportState.SUBMITTED)
    def submit(self):
        pass

    @transition(field=state, source=ReportState.RETURNED, target=ReportState.RESUBMITTED)
    def resubmit(self):
        pass

    @transition(field=state, source=UNDER_REVIEW, target=ReportState.RETURNED)
    def send_back(self):
        pass

    @transition(field=state, source=UNDER_REVIEW, target=ReportState.APPROVED)
    def approve(self):
        pass

    @transition(field=state, source=ReportState.DRAFT, target=ReportState.SIGNED)
    def sign_and_send(self):
        pass

    def basis_paragraphs(self) -> list[str]:
        return [line.strip() for line in self.basis.splitlines() if line.strip()]

    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]


class NarrativeSection(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    outline = models.ForeignKey(
        "indicators.OutlineSection", on_delete=models.PROTECT, related_name="+"
    )
    content = models.TextField(_("nội dung"), blank=True, help_text=_("HTML đã làm sạch."))

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "outline__position"]
        constraints = [
            models.UniqueConstraint(fields=["report", "outline"], name="section_unique_outline")
        ]

    def __str__(self):
        return str(self.outline)


class IndicatorValue(models.Model):
    """One indicator's value in a report, stored by kind so that roll-ups can sum numbers in
    SQL. reports.values converts between these columns and canonical values."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(
        "indicators.Indicator", on_delete=models.PROTECT, related_name="+"
    )
    number = models.DecimalField(
        max_digits=NUMBER_MAX_DIGITS, decimal_places=NUMBER_DECIMAL_PLACES, null=True, blank=True
    )
    text = models.TextField(blank=True)
    date = models.DateField(null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    note = models.TextField(_("ghi chú"), blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="value_unique_indicator")
        ]

    def __str__(self):
        return f"{self.indicator.code} = {self.text or self.number or self.date or ''}"


class TableRow(models.Model):
    """A row of a repeating-row table; cells hold each column's canonical value in the typed
    JSON form of reports.values (numbers as JSON numbers, "/" for not applicable, blanks left
    out), formatted only on output."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="table_rows")
    appendix = models.ForeignKey("indicators.Appendix", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField()
    is_total = models.BooleanField(default=False)
    cells = models.JSONField(default=dict, encoder=CellsEncoder, decoder=CellsDecoder)

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "appendix", "is_total", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "appendix", "is_total", "position"], name="row_unique_position"
            )
        ]

    def __str__(self):
        return "Tổng cộng" if self.is_total else f"dòng {self.position + 1}"
