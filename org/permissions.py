"""Who may do what, as far as the organisation decides it: role permissions, what each role
is, the units each user may see, and who reviews a unit. The apps' access modules build on
these; nothing else reads the role field (docs/architecture.md, "Access").
"""

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from lib.access import Refused

from .models import Role, Unit, User

# Model-level permissions each role holds, named by the app that owns the model. Object-level
# checks (which unit, which report) are in the functions below and in reports.access.
ROLE_PERMISSIONS = {
    Role.STAFF: {"reports.view_report", "reports.add_report", "reports.change_report"},
    Role.LEADER: {
        "reports.view_report",
        "reports.add_report",
        "reports.change_report",
        "reports.submit_report",
    },
    Role.REVIEWER: {"reports.view_report", "reports.review_report", "reports.view_dashboard"},
    Role.PROVINCE_LEADER: {"reports.view_report", "reports.sign_province_report"},
}


class RoleBackend(ModelBackend):
    """Grants permissions from the user's role; administrators hold every permission."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        if user_obj.role == Role.ADMIN or user_obj.is_superuser:
            return {"*"}
        return ROLE_PERMISSIONS.get(user_obj.role, set())

    def has_perm(self, user_obj, perm, obj=None):
        perms = self.get_all_permissions(user_obj, obj)
        return "*" in perms or perm in perms

    def get_user(self, user_id):
        """The session's user with its unit and province, which the access checks and the
        page header read on every request (two queries fewer each)."""
        try:
            user = User.objects.select_related("unit__province").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def has_module_perms(self, user_obj, app_label):
        perms = self.get_all_permissions(user_obj)
        return "*" in perms


class Operator:
    """Whoever runs a management command or loads the demo on the server. Trusted with every
    report (they hold the database anyway), but still bound by the report's state."""

    is_authenticated = True
    is_active = True
    pk = None
    unit_id = None
    role = None

    def has_perm(self, perm, obj=None) -> bool:
        return False

    def __str__(self):
        return "người vận hành máy chủ"


OPERATOR = Operator()


def is_admin(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm("org.configure_portal")


def require_admin(user) -> None:
    """For what configures the portal (templates, periods, the audit page), pages and services
    alike; the operator of a command may."""
    if user is not OPERATOR and not is_admin(user):
        raise Refused("Chỉ quản trị hệ thống được dùng trang này.")


def _has_role(user, *roles) -> bool:
    return getattr(user, "is_authenticated", False) and getattr(user, "role", None) in roles


def is_department_member(user, unit: Unit | None = None) -> bool:
    """Staff or leader of a department (of `unit`, when given)."""
    return _has_role(user, Role.STAFF, Role.LEADER) and (unit is None or user.unit_id == unit.pk)


def is_unit_leader(user) -> bool:
    return _has_role(user, Role.LEADER)


def is_reviewer(user) -> bool:
    """A Sở Nội vụ reviewer (thẩm định)."""
    return _has_role(user, Role.REVIEWER) and user.has_perm("reports.review_report")


def is_province_leader(user) -> bool:
    """A leader of UBND tỉnh (or of Sở Nội vụ on its behalf) who signs the province's report."""
    return _has_role(user, Role.PROVINCE_LEADER) and user.has_perm("reports.sign_province_report")


def reviews(user, unit: Unit) -> bool:
    """Whether `user` reviews `unit`'s reports: a reviewer of its province or of a province that
    succeeded it. The one definition; reviewers_of is its other direction."""
    return is_reviewer(user) and units_visible_to(user).filter(pk=unit.pk).exists()


def reviewers_of(unit: Unit):
    """The reviewers who review `unit` (see `reviews`)."""
    province = unit if unit.province_id is None else unit.province
    provinces = province.lineage(forward=True)
    return User.objects.filter(
        is_active=True, role=Role.REVIEWER, unit__province__in=provinces
    ).select_related("unit")


def department_people(units):
    """Active staff and leaders of the given units (a queryset or list)."""
    return User.objects.filter(is_active=True, role__in=[Role.STAFF, Role.LEADER], unit__in=units)


def units_visible_to(user):
    """Units whose reports (drafts included, for their own staff) the user may open."""
    if not user.is_authenticated:
        return Unit.objects.none()
    if is_admin(user):
        return Unit.objects.all()
    if user.role in (Role.STAFF, Role.LEADER):
        return user.unit.lineage()
    if user.role in (Role.REVIEWER, Role.PROVINCE_LEADER):
        provinces = (user.unit.province or user.unit).lineage()
        return Unit.objects.filter(Q(pk__in=provinces) | Q(province__in=provinces))
    return Unit.objects.none()
