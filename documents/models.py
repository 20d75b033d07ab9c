from django.db import models
from django.utils.translation import gettext_lazy as _

from reports.models import Report, ReportState


class StoredDocument(models.Model):
    """A rendered PDF or Word file of a report as it stood at `frozen_from` (its updated_at):
    submissions and approvals are rendered once and served from storage thereafter; drafts are
    rendered in the background on request and served until the report changes."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="documents")
    revision = models.PositiveSmallIntegerField(_("lần lập"))
    state = models.CharField(_("trạng thái"), max_length=20, choices=ReportState.choices)
    format = models.CharField(_("định dạng"), max_length=4, choices=Format.choices)
    frozen_from = models.DateTimeField(_("nội dung lúc"))
    file = models.FileField(_("tệp"), upload_to="documents/", max_length=300)
    sha256 = models.CharField(_("mã kiểm tra SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        db_table = "reports_storeddocument"  # made before the split (ADR 0009)
        verbose_name = _("tệp báo cáo đã tạo")
        verbose_name_plural = _("tệp báo cáo đã tạo")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "format", "frozen_from"], name="one_document_per_content"
            )
        ]

    def __str__(self):
        return f"{self.report} ({self.format}, {self.frozen_from:%d/%m/%Y %H:%M})"
