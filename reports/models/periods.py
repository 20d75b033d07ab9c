from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lib.periods import PeriodKind, period_code, period_label


class Period(models.Model):
    """A reporting period (kỳ báo cáo) shared by every unit of every province."""

    kind = models.CharField(_("loại kỳ"), max_length=2, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    window_start = models.DateField(_("số liệu từ ngày"))
    window_end = models.DateField(_("số liệu đến ngày"))
    deadline = models.DateField(_("hạn gửi báo cáo"))
    is_open = models.BooleanField(
        _("đang mở"), default=False, help_text=_("Chỉ kỳ đang mở mới cho phép lập báo cáo mới.")
    )

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ["-year", "-window_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year"],
                name="period_unique_kind_year",
                violation_error_message=_("Kỳ báo cáo này đã có."),
            ),
            models.CheckConstraint(
                condition=Q(window_end__gte=F("window_start")),
                name="period_window_ordered",
                violation_error_message=_("Ngày chốt số liệu phải sau ngày bắt đầu."),
            ),
            models.CheckConstraint(
                condition=Q(deadline__gt=F("window_end")),
                name="period_deadline_after_window",
                violation_error_message=_("Hạn gửi báo cáo phải sau ngày chốt số liệu."),
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return period_label(self.kind, self.year)

    @property
    def code(self) -> str:
        return period_code(self.kind, self.year)
