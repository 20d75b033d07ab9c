import datetime

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Tỉnh, thành phố")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    DISTRICT = "district", _("UBND cấp huyện")
    COMMUNE = "commune", _("UBND cấp xã")


class UnitQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def reporting(self):
        return self.exclude(kind=UnitKind.PROVINCE)

    def with_shared_names(self):
        """Tells each unit whether another bears its name, so that a list prints display_name
        without a query per unit."""
        others = Unit.objects.filter(name=OuterRef("name")).exclude(pk=OuterRef("pk"))
        return self.annotate(name_is_shared=Exists(others))


class Unit(models.Model):
    """An organisational unit as it existed over one interval of time.

    A unit is never renamed or moved in place: a merger or rename closes it (valid_to) and
    points to its successor, so old reports keep printing the names valid on their date and the
    successor reaches its predecessors' history.
    """

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    province = models.ForeignKey(
        "self",
        verbose_name=_("tỉnh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="province_units",
        help_text=_("Tỉnh mà đơn vị thuộc về; để trống với chính tỉnh."),
    )
    header_name = models.CharField(
        _("tên in trên văn bản"),
        max_length=200,
        blank=True,
        help_text=_("Tên viết hoa in ở góc trái văn bản, ví dụ “UBND TỈNH SÓC TRĂNG”."),
    )
    is_home_affairs = models.BooleanField(
        _("là Sở Nội vụ"), default=False, help_text=_("Cơ quan thẩm định báo cáo CCHC của tỉnh.")
    )
    staff_may_submit = models.BooleanField(
        _("chuyên viên được gửi báo cáo"),
        default=False,
        help_text=_("Cho phép chuyên viên tự gửi báo cáo, không cần lãnh đạo."),
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_validity_ordered",
            ),
            models.CheckConstraint(
                condition=Q(kind=UnitKind.PROVINCE, province__isnull=True)
                | (~Q(kind=UnitKind.PROVINCE) & Q(province__isnull=False)),
                name="unit_province_set_below_province",
            ),
        ]

    def __str__(self):
        # Every choice and list (admin autocomplete included) tells same-named units apart.
        return self.display_name

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def reports_for(self, period) -> bool:
        """Whether the unit existed during some of the period's window, and so files for it."""
        return self.is_valid_on(period.window_start) or self.is_valid_on(period.window_end)

    @cached_property
    def name_is_shared(self) -> bool:
        # Lists set this through UnitQuerySet.with_shared_names(); one query otherwise.
        return Unit.objects.filter(name=self.name).exclude(pk=self.pk).exists()

    @property
    def display_name(self) -> str:
        """The name, followed by the unit's dates when another unit bears the same name:
        "Ủy ban nhân dân tỉnh Quảng Trị (đến 30/06/2025)", "… (từ 01/07/2025)"."""
        if not self.name_is_shared:
            return self.name
        if self.valid_to:
            return f"{self.name} (đến {self.valid_to:%d/%m/%Y})"
        if self.valid_from:
            return f"{self.name} (từ {self.valid_from:%d/%m/%Y})"
        return self.name
