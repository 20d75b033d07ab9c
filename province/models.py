"""The province's own report: what was compiled into it from its departments' reports, and the
compiled values the Sở Nội vụ reviewers corrected by hand."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reports.models import Report


class Compilation(models.Model):
    """The last compilation of a province report: when, by whom, from which department reports
    (`sources`: one entry per unit with its counted report, state, revision, lateness, closure
    and note) and the values it computed (`values`: code -> {"value": stored text, "problem",
    "reads": department codes, "reports": the report ids that made it, "overrides": the
    overridden province figures it used}; compilation.Computed.as_json)."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="compilation")
    compiled_at = models.DateTimeField(_("tổng hợp lúc"))
    compiled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    include_submitted = models.BooleanField(_("gồm cả báo cáo chưa duyệt"), default=False)
    sources = models.JSONField(default=list)
    # Every department report of the period as [id, revision, state] when compiled; a
    # difference now means a report was reopened, submitted or approved since (stale).
    sources_fingerprint = models.JSONField(default=list)
    values = models.JSONField(default=dict)

    class Meta:
        db_table = "reports_compilation"  # made before the split (ADR 0009)
        verbose_name = _("lần tổng hợp")
        verbose_name_plural = _("lần tổng hợp")

    def __str__(self):
        return f"Tổng hợp {self.report}"


class ValueOverride(models.Model):
    """A compiled value replaced by hand, with the reason; kept across recompilations."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="overrides")
    code = models.CharField(_("mã chỉ tiêu"), max_length=60)
    note = models.TextField(_("lý do điều chỉnh"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "reports_valueoverride"  # made before the split (ADR 0009)
        verbose_name = _("điều chỉnh số liệu tổng hợp")
        verbose_name_plural = _("điều chỉnh số liệu tổng hợp")
        constraints = [
            models.UniqueConstraint(fields=["report", "code"], name="override_unique_code")
        ]

    def __str__(self):
        return self.code
