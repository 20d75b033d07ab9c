from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "staff", _("Chuyên viên")
    LEADER = "leader", _("Lãnh đạo đơn vị")
    REVIEWER = "reviewer", _("Chuyên viên thẩm định (Sở Nội vụ)")
    ADMIN = "admin", _("Quản trị hệ thống")


UNIT_ROLES = (Role.STAFF, Role.LEADER, Role.REVIEWER)


class User(AbstractUser):
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.STAFF)
    unit = models.ForeignKey(
        "reports.Unit",
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.CheckConstraint(
                condition=Q(role=Role.ADMIN) | Q(unit__isnull=False),
                name="user_unit_required_for_unit_roles",
            )
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    def clean(self):
        super().clean()
        if self.role in UNIT_ROLES and self.unit_id is None:
            raise ValidationError({"unit": _("Vai trò này phải gắn với một đơn vị.")})
        if self.role == Role.REVIEWER and not self.unit.is_home_affairs:
            raise ValidationError({"unit": _("Chuyên viên thẩm định phải thuộc Sở Nội vụ.")})
        if self.role in (Role.STAFF, Role.LEADER) and self.unit.kind == "province":
            raise ValidationError(
                {"unit": _("Chuyên viên, lãnh đạo phải thuộc một sở, ngành hoặc UBND.")}
            )
