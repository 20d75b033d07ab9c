from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.Model):
    """A kind of report departments file each period, e.g. the periodic CCHC report; a unit
    files one report per period and kind."""

    DEFAULT_CODE = "cchc"

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    title = models.CharField(
        _("trích yếu mặc định"),
        max_length=300,
        help_text=_("“{period}” được thay bằng kỳ báo cáo, ví dụ “6 tháng đầu năm 2022”."),
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("loại báo cáo")
        verbose_name_plural = _("loại báo cáo")
        ordering = ["position", "code"]

    def __str__(self):
        return self.name

    def title_for(self, period) -> str:
        return self.title.replace("{period}", period.label)

    @classmethod
    def default(cls) -> "ReportKind":
        """The periodic CCHC report, which migration 0002 creates; recreated if a database was
        emptied since (a flushed test database, a restored dump without it)."""
        kind, _created = cls.objects.get_or_create(
            code=cls.DEFAULT_CODE,
            defaults={
                "name": "Báo cáo kết quả thực hiện công tác cải cách hành chính",
                "title": "Kết quả thực hiện công tác cải cách hành chính {period}",
            },
        )
        return kind
