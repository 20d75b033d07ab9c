"""Indicator templates: the Phụ lục that administrators configure, versioned.

A template has numbered versions. A version is edited while it is a draft and frozen once
published; a report stays bound to the version it was filed against.
"""

import re

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lib.periods import PeriodKind

from .changes import DEFAULT_OUTLIER_FACTOR, MIN_OUTLIER_FACTOR
from .types import ValueType

machine_code_validator = RegexValidator(
    r"^[a-z][a-z0-9_]*$",
    _("Mã chỉ gồm chữ thường không dấu, chữ số và dấu gạch dưới, bắt đầu bằng chữ cái."),
)
template_code_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9_-]*$",
    _("Mã mẫu chỉ gồm chữ thường không dấu, chữ số, gạch ngang và gạch dưới."),
)


def default_report_kinds() -> list[str]:
    return ["cchc"]


class ReportKind(models.Model):
    """A kind of report departments file each period, e.g. the periodic CCHC report; a unit
    files one report per period and kind."""

    DEFAULT_CODE = "cchc"
    # The province's own report, compiled by Sở Nội vụ from the departments' reports.
    PROVINCE_CODE = "cchc-tinh"

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
        """The periodic CCHC report, which the data migration creates; recreated if a database was
        emptied since (a flushed test database, a restored dump without it)."""
        kind, _created = cls.objects.get_or_create(
            code=cls.DEFAULT_CODE,
            defaults={
                "name": "Báo cáo kết quả thực hiện công tác cải cách hành chính",
                "title": "Kết quả thực hiện công tác cải cách hành chính {period}",
            },
        )
        return kind

    @classmethod
    def province(cls) -> "ReportKind":
        """The province's own CCHC report (UBND tỉnh to the Ministry); created on first use."""
        kind, _created = cls.objects.get_or_create(
            code=cls.PROVINCE_CODE,
            defaults={
                "name": "Báo cáo công tác cải cách hành chính của tỉnh",
                "title": "Kết quả thực hiện công tác cải cách hành chính {period}",
                "position": 10,
            },
        )
        return kind


class IndicatorTemplate(models.Model):
    code = models.CharField(
        _("mã mẫu"), max_length=60, unique=True, validators=[template_code_validator]
    )
    title = models.CharField(_("tiêu đề"), max_length=300)
    period_kinds = models.JSONField(
        _("loại kỳ áp dụng"), default=list, help_text=_("Các mã loại kỳ: Q1…Q4, H1, M9, Y.")
    )
    report_kinds = models.JSONField(
        _("loại báo cáo áp dụng"),
        default=default_report_kinds,
        help_text=_("Mã các loại báo cáo dùng mẫu này, ví dụ cchc."),
    )
    province = models.ForeignKey(
        "org.Unit",
        verbose_name=_("tỉnh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"kind": "province"},
        help_text=_("Để trống nếu mẫu dùng chung cho mọi tỉnh."),
    )
    notes = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("mẫu phụ lục")
        verbose_name_plural = _("mẫu phụ lục")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} – {self.title}"

    @property
    def period_kind_names(self) -> list[str]:
        """The kinds by name ("năm", "6 tháng đầu năm"), not by code."""
        return [PeriodKind(k).label if k in PeriodKind.values else k for k in self.period_kinds]


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    PUBLISHED = "published", _("Đã công bố")


class TemplateVersion(models.Model):
    template = models.ForeignKey(
        IndicatorTemplate,
        verbose_name=_("mẫu phụ lục"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("phiên bản"))
    applies_from = models.DateField(_("áp dụng từ ngày"))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    outlier_factor = models.DecimalField(
        _("hệ số thay đổi bất thường"),
        max_digits=4,
        decimal_places=1,
        default=DEFAULT_OUTLIER_FACTOR,
        validators=[MinValueValidator(MIN_OUTLIER_FACTOR)],
        help_text=_(
            "Số liệu tăng hoặc giảm quá số lần này so với kỳ trước được đánh dấu để đơn vị "
            "ghi chú lý do (không phải lỗi)."
        ),
    )

    class Meta:
        verbose_name = _("phiên bản mẫu")
        verbose_name_plural = _("phiên bản mẫu")
        ordering = ["template__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="version_unique_number"),
            models.CheckConstraint(
                condition=Q(status=VersionStatus.DRAFT) | Q(published_at__isnull=False),
                name="version_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(outlier_factor__gte=MIN_OUTLIER_FACTOR),
                name="version_outlier_factor_above_one",
            ),
        ]

    def __str__(self):
        return f"{self.template.code} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT


class OutlineSection(models.Model):
    """One heading of the narrative outline (đề cương) a report follows."""

    version = models.ForeignKey(
        TemplateVersion,
        verbose_name=_("phiên bản mẫu"),
        on_delete=models.CASCADE,
        related_name="outline",
    )
    position = models.PositiveIntegerField(_("thứ tự"))
    code = models.CharField(_("mã"), max_length=60, validators=[machine_code_validator])
    stt = models.CharField(_("STT"), max_length=10, blank=True)
    title = models.CharField(_("tiêu đề"), max_length=300)
    level = models.PositiveSmallIntegerField(_("cấp"), default=1)
    help_text = models.TextField(_("hướng dẫn"), blank=True)
    required = models.BooleanField(
        _("phải viết"),
        default=False,
        help_text=_("Báo cáo chưa viết mục này (hoặc một mục con của nó) thì chưa gửi được."),
    )

    class Meta:
        verbose_name = _("mục đề cương")
        verbose_name_plural = _("mục đề cương")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="outline_unique_code"),
            models.UniqueConstraint(fields=["version", "position"], name="outline_unique_position"),
        ]

    def __str__(self):
        return f"{self.stt}. {self.title}" if self.stt else self.title


class AppendixKind(models.TextChoices):
    INDICATORS = "indicators", _("Bảng chỉ tiêu")
    TABLE = "table", _("Bảng nhiều dòng")


class Appendix(models.Model):
    """A Phụ lục of a version: an indicator table or a repeating-row table."""

    version = models.ForeignKey(
        TemplateVersion,
        verbose_name=_("phiên bản mẫu"),
        on_delete=models.CASCADE,
        related_name="appendices",
    )
    position = models.PositiveIntegerField(_("thứ tự"))
    code = models.CharField(_("mã bảng"), max_length=60, validators=[machine_code_validator])
    name = models.CharField(_("tên phụ lục"), max_length=60, help_text=_("Ví dụ “Phụ lục 2”."))
    title = models.CharField(_("tiêu đề"), max_length=500)
    kind = models.CharField(_("loại"), max_length=12, choices=AppendixKind.choices)
    landscape = models.BooleanField(_("khổ ngang"), default=False)
    has_total_row = models.BooleanField(_("có dòng tổng cộng"), default=False)
    fixed_rows = models.JSONField(
        _("dòng cố định"),
        default=list,
        blank=True,
        help_text=_("Các dòng mọi báo cáo bắt đầu cùng: danh sách {mã cột: giá trị}."),
    )

    class Meta:
        verbose_name = _("phụ lục")
        verbose_name_plural = _("phụ lục")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="appendix_unique_code"),
            models.UniqueConstraint(
                fields=["version", "position"], name="appendix_unique_position"
            ),
        ]

    def __str__(self):
        return f"{self.name}: {self.title}"

    @property
    def is_table(self) -> bool:
        return self.kind == AppendixKind.TABLE


class Timing(models.TextChoices):
    """Whether a compiled figure is a stock read at a moment (biên chế, số đơn vị: the unit in
    force at the period's end counts) or a flow over the period (hồ sơ, văn bản: every unit
    that reported adds up). Blank: by the unit of measure (STOCK_UNITS)."""

    DEFAULT = "", _("theo đơn vị tính")
    POINT = "point", _("thời điểm")
    PERIOD = "period", _("thời kỳ")


# Units of measure whose figures are stocks unless the indicator says otherwise.
STOCK_UNITS = frozenset({"người", "biên chế", "cơ quan, đơn vị", "đơn vị", "phòng"})


def timing_by_unit(unit: str) -> str:
    return Timing.POINT if unit.strip().lower() in STOCK_UNITS else Timing.PERIOD


class Indicator(models.Model):
    """A printed row of an indicator table. Heading rows carry no value and may have no code."""

    appendix = models.ForeignKey(
        Appendix, verbose_name=_("phụ lục"), on_delete=models.CASCADE, related_name="indicators"
    )
    position = models.PositiveIntegerField(_("thứ tự"))
    level = models.PositiveSmallIntegerField(_("cấp"), default=1)
    stt = models.CharField(_("STT"), max_length=20, blank=True)
    label = models.TextField(_("chỉ tiêu"))
    unit = models.CharField(_("đơn vị tính"), max_length=200, blank=True)
    code = models.CharField(
        _("mã chỉ tiêu"), max_length=60, blank=True, validators=[machine_code_validator]
    )
    value_type = models.CharField(_("kiểu"), max_length=10, choices=ValueType.choices)
    choices = models.JSONField(_("danh sách mã"), default=list, blank=True)
    required = models.BooleanField(_("bắt buộc"), default=False)
    # None: the default, "/" allowed unless the indicator is required.
    not_applicable = models.BooleanField(
        _("cho phép “/”"),
        null=True,
        blank=True,
        help_text=_(
            "Được ghi “/” (không áp dụng) thay cho số liệu. Để trống: chỉ tiêu bắt buộc "
            "không được ghi “/”, chỉ tiêu không bắt buộc thì được."
        ),
    )
    help_text = models.TextField(_("hướng dẫn"), blank=True)
    aggregate = models.TextField(
        _("tổng hợp"),
        blank=True,
        help_text=_(
            "Mẫu báo cáo của tỉnh: biểu thức tổng hợp từ báo cáo các sở, ngành, ví dụ "
            "sum(tthc_cong_bo_moi); để trống là nhập tay."
        ),
    )
    timing = models.CharField(
        _("thời điểm / thời kỳ"),
        max_length=6,
        choices=Timing.choices,
        blank=True,
        default=Timing.DEFAULT,
        help_text=_(
            "Số liệu thời điểm (biên chế, số đơn vị) chỉ lấy đơn vị còn hoạt động cuối kỳ; số "
            "liệu thời kỳ (hồ sơ, văn bản) cộng mọi đơn vị đã báo cáo. Để trống: theo đơn vị tính."
        ),
    )

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["appendix", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["appendix", "position"], name="indicator_unique_position"
            ),
            models.CheckConstraint(
                condition=Q(value_type=ValueType.HEADING) | ~Q(code=""),
                name="indicator_value_row_has_code",
            ),
        ]

    def __str__(self):
        return f"{self.stt} {self.label}".strip()

    @property
    def is_heading(self) -> bool:
        return self.value_type == ValueType.HEADING

    @property
    def effective_timing(self) -> str:
        return self.timing or timing_by_unit(self.unit)

    @property
    def is_stock(self) -> bool:
        return self.effective_timing == Timing.POINT

    @property
    def allows_not_applicable(self) -> bool:
        return not_applicable_allowed(self.not_applicable, self.required)


def not_applicable_allowed(setting: bool | None, required: bool) -> bool:
    """Whether "/" may stand for a value: as the template says, else only when optional."""
    return (not required) if setting is None else setting


ORDINAL_HEADER = re.compile(r"^(STT|TT|Số TT)\b", re.I)


class Column(models.Model):
    """A column of a repeating-row table."""

    appendix = models.ForeignKey(
        Appendix, verbose_name=_("phụ lục"), on_delete=models.CASCADE, related_name="columns"
    )
    position = models.PositiveIntegerField(_("thứ tự"))
    code = models.CharField(_("mã cột"), max_length=60, validators=[machine_code_validator])
    header = models.CharField(_("tiêu đề cột"), max_length=300)
    group = models.CharField(
        _("nhóm tiêu đề"),
        max_length=300,
        blank=True,
        help_text=_("Ô tiêu đề phía trên, gộp các cột liền nhau cùng nhóm."),
    )
    number = models.CharField(_("số cột"), max_length=10, blank=True, help_text="(1), (2), …")
    value_type = models.CharField(_("kiểu"), max_length=10, choices=ValueType.choices)
    choices = models.JSONField(_("danh sách mã"), default=list, blank=True)
    required = models.BooleanField(_("bắt buộc"), default=False)

    class Meta:
        verbose_name = _("cột")
        verbose_name_plural = _("cột")
        ordering = ["appendix", "position"]
        constraints = [
            models.UniqueConstraint(fields=["appendix", "code"], name="column_unique_code"),
            models.UniqueConstraint(fields=["appendix", "position"], name="column_unique_position"),
            models.CheckConstraint(
                condition=~Q(value_type=ValueType.HEADING), name="column_not_heading"
            ),
        ]

    def __str__(self):
        return self.header

    @property
    def is_ordinal(self) -> bool:
        """The row-number column ("STT"): printed narrow, renumbered when rows move."""
        return self.code in ("stt", "tt") or bool(ORDINAL_HEADER.match(self.header))


class Severity(models.TextChoices):
    ERROR = "error", _("Lỗi")
    WARNING = "warning", _("Cảnh báo")


class MissingPolicy(models.TextChoices):
    SKIP = "skip", _("Bỏ qua quy tắc")
    ZERO = "zero", _("Tính là 0")


class Rule(models.Model):
    """A validation rule across related values, written in the language of docs/rules.md."""

    version = models.ForeignKey(
        TemplateVersion,
        verbose_name=_("phiên bản mẫu"),
        on_delete=models.CASCADE,
        related_name="rules",
    )
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    code = models.CharField(_("mã quy tắc"), max_length=60, validators=[machine_code_validator])
    severity = models.CharField(
        _("mức độ"), max_length=10, choices=Severity.choices, default=Severity.ERROR
    )
    expression = models.TextField(_("biểu thức"))
    message = models.CharField(_("thông báo"), max_length=500)
    missing = models.CharField(
        _("khi thiếu số liệu"),
        max_length=10,
        choices=MissingPolicy.choices,
        default=MissingPolicy.SKIP,
    )

    class Meta:
        verbose_name = _("quy tắc kiểm tra")
        verbose_name_plural = _("quy tắc kiểm tra")
        ordering = ["version", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="rule_unique_code"),
        ]

    def __str__(self):
        return self.code
