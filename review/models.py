from django.db import models
from django.utils.translation import gettext_lazy as _

from indicators.types import NUMBER_DECIMAL_PLACES, NUMBER_MAX_DIGITS
from reports.models import Period

# Sums of many values below 10^14 each fit in 30 digits; a median may be the mean of two
# values, one more decimal place.
_SUM_DIGITS = 30


class PeriodAggregate(models.Model):
    """The indicator aggregates of a province's counted reports for a period, stored so the
    dashboard reads one row per indicator instead of every department's value.
    `fingerprint` names the set of counted reports they were computed from (review.aggregates);
    when the reports say otherwise, the rows are stale and computed again."""

    province = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField(max_length=100)
    report_count = models.PositiveIntegerField(_("số báo cáo được tính"))
    primary_version = models.ForeignKey(
        "indicators.TemplateVersion",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    version_ids = models.JSONField(default=list)  # the counted reports' template versions
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "reports_periodaggregate"  # made before the split (ADR 0009)
        verbose_name = _("tổng hợp chỉ tiêu đã tính")
        verbose_name_plural = _("tổng hợp chỉ tiêu đã tính")
        constraints = [
            models.UniqueConstraint(fields=["province", "period"], name="one_aggregate_per_scope")
        ]

    def __str__(self):
        return f"{self.province_id}/{self.period_id}"


class IndicatorAggregate(models.Model):
    """One indicator code across the counted reports: how many reported it (and "/"), and the
    sum, spread and chosen codes of its numbers."""

    set = models.ForeignKey(PeriodAggregate, on_delete=models.CASCADE, related_name="rows")
    code = models.CharField(max_length=60)
    value_type = models.CharField(max_length=10)
    reported = models.PositiveIntegerField()
    not_applicable = models.PositiveIntegerField()
    number_count = models.PositiveIntegerField()
    total = models.DecimalField(
        max_digits=_SUM_DIGITS, decimal_places=NUMBER_DECIMAL_PLACES, null=True, blank=True
    )
    minimum = models.DecimalField(
        max_digits=NUMBER_MAX_DIGITS, decimal_places=NUMBER_DECIMAL_PLACES, null=True, blank=True
    )
    maximum = models.DecimalField(
        max_digits=NUMBER_MAX_DIGITS, decimal_places=NUMBER_DECIMAL_PLACES, null=True, blank=True
    )
    median = models.DecimalField(
        max_digits=NUMBER_MAX_DIGITS + 1,
        decimal_places=NUMBER_DECIMAL_PLACES + 1,
        null=True,
        blank=True,
    )
    choice_counts = models.JSONField(default=dict)  # {number as text: how many}

    class Meta:
        db_table = "reports_indicatoraggregate"  # made before the split (ADR 0009)
        constraints = [
            models.UniqueConstraint(fields=["set", "code"], name="one_aggregate_per_code")
        ]

    def __str__(self):
        return self.code
