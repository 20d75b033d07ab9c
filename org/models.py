"""The organisation: units over time, the people in them and their roles."""

import datetime

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Tỉnh, thành phố")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    DISTRICT = "district", _("UBND cấp huyện")
    COMMUNE = "commune", _("UBND cấp xã")


def _valid_between(start: datetime.date, end: datetime.date) -> Q:
    # The one definition of "the unit existed at some time in [start, end]": its validity
    # interval (open at either end when blank) overlaps that window.
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=end)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=start)
    )


class UnitQuerySet(models.QuerySet):
    def active_during(self, period):
        """Units that existed at some time in the period's window (anything with
        window_start and window_end)."""
        return self.filter(_valid_between(period.window_start, period.window_end))

    def active_on(self, day: datetime.date):
        return self.filter(_valid_between(day, day))

    def provinces(self):
        return self.filter(kind=UnitKind.PROVINCE)

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
        # with_shared_names looks each listed unit's name up: a scan of every unit per unit
        # without it (half a second for a province of 2,000 departments).
        indexes = [models.Index(fields=["name"], name="unit_name")]
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

    def is_active_during(self, period) -> bool:
        """In memory, the same test as UnitQuerySet.active_during: the validity overlaps the
        period's window."""
        return (self.valid_from is None or self.valid_from <= period.window_end) and (
            self.valid_to is None or period.window_start <= self.valid_to
        )

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

    def lineage(self, *, forward: bool = False) -> UnitQuerySet:
        """The unit and every unit it succeeded, however many mergers back; with forward=True,
        the unit and the chain of units that succeeded it instead. A recursive subquery, so
        using the queryset costs one query whatever the depth (every report page filters by it)."""
        chain = _SUCCESSORS if forward else _PREDECESSORS
        return Unit.objects.filter(pk__in=RawSQL(chain, [self.pk]))  # noqa: S611 - fixed SQL


# Unit.lineage: the chain of units through `successor_id`, from one unit (%s) back or forward.
_PREDECESSORS = (
    "WITH RECURSIVE chain(id) AS (SELECT id FROM org_unit WHERE id = %s UNION"
    " SELECT u.id FROM org_unit u JOIN chain c ON u.successor_id = c.id) SELECT id FROM chain"
)
_SUCCESSORS = (
    "WITH RECURSIVE chain(id) AS (SELECT id FROM org_unit WHERE id = %s UNION"
    " SELECT u.successor_id FROM org_unit u JOIN chain c ON u.id = c.id"
    " WHERE u.successor_id IS NOT NULL) SELECT id FROM chain"
)


class Role(models.TextChoices):
    STAFF = "staff", _("Chuyên viên")
    LEADER = "leader", _("Lãnh đạo đơn vị")
    REVIEWER = "reviewer", _("Chuyên viên thẩm định (Sở Nội vụ)")
    # Signs the province's own report: a leader of UBND tỉnh, or the Director of Sở Nội vụ
    # signing "TL." / "TUQ." on its behalf, as the template's signature block states.
    PROVINCE_LEADER = "province_leader", _("Lãnh đạo UBND tỉnh (ký báo cáo của tỉnh)")
    ADMIN = "admin", _("Quản trị hệ thống")
    # A system outside the portal writing through the API (api.Client): change history names it
    # as the author. It holds no permission and cannot log in.
    SYSTEM = "system", _("Hệ thống kết nối (API)")


UNIT_ROLES = (Role.STAFF, Role.LEADER, Role.REVIEWER, Role.PROVINCE_LEADER)


class User(AbstractUser):
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.STAFF)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        # Configuring the portal (units, templates, periods) is an organisation-wide right,
        # checked by indicators and reports alike.
        permissions = [("configure_portal", "Cấu hình cổng báo cáo")]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=[Role.ADMIN, Role.SYSTEM]) | Q(unit__isnull=False),
                name="user_unit_required_for_unit_roles",
            )
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def is_system(self) -> bool:
        """An account standing for a system that writes through the API, not a person."""
        return self.role == Role.SYSTEM

    def clean(self):
        super().clean()
        if self.role in UNIT_ROLES and self.unit_id is None:
            raise ValidationError({"unit": _("Vai trò này phải gắn với một đơn vị.")})
        if self.role == Role.REVIEWER and not self.unit.is_home_affairs:
            raise ValidationError({"unit": _("Chuyên viên thẩm định phải thuộc Sở Nội vụ.")})
        if self.role == Role.PROVINCE_LEADER and not (
            self.unit.kind == UnitKind.PROVINCE or self.unit.is_home_affairs
        ):
            raise ValidationError(
                {"unit": _("Lãnh đạo ký báo cáo của tỉnh phải thuộc UBND tỉnh hoặc Sở Nội vụ.")}
            )
        if self.role in (Role.STAFF, Role.LEADER) and self.unit.kind == "province":
            raise ValidationError(
                {"unit": _("Chuyên viên, lãnh đạo phải thuộc một sở, ngành hoặc UBND.")}
            )
