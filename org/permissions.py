"""Who may do what, as far as the organisation decides it: role permissions and the units each
user may see. Report-level checks build on these in the reports app.

Views ask these functions (never the role field directly), so every page, export and command
applies the same rules.
"""

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

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


def is_admin(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm("org.configure_portal")


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


def reviewed_province(user) -> Unit | None:
    """The province whose departments the user follows up (Sở Nội vụ's reviewers: reminding
    late units); None for everyone else, administrators included."""
    if not (user.is_authenticated and user.is_active) or user.role != Role.REVIEWER:
        return None
    if not user.has_perm("reports.review_report") or user.unit is None:
        return None
    return user.unit.province or user.unit


def report_preparers(units):
    """The active people who prepare the units' reports (staff and leaders): whom a reminder
    to send a report goes to."""
    return User.objects.filter(
        is_active=True, role__in=[Role.STAFF, Role.LEADER], unit__in=units
    ).order_by("pk")
