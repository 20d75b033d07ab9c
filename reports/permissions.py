"""Who may do what: role permissions and the units each user may see.

Views ask these functions (never the role field directly), so every page, export and command
applies the same rules.
"""

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from .models import Role, Unit

# Model-level permissions each role holds. Object-level checks (which unit, which report) are
# in the functions below.
ROLE_PERMISSIONS = {
    Role.STAFF: {"reports.view_report", "reports.add_report", "reports.change_report"},
    Role.LEADER: {
        "reports.view_report",
        "reports.add_report",
        "reports.change_report",
        "reports.submit_report",
    },
    Role.REVIEWER: {"reports.view_report", "reports.review_report", "reports.view_dashboard"},
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

    def has_module_perms(self, user_obj, app_label):
        perms = self.get_all_permissions(user_obj)
        return "*" in perms


def is_admin(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm("reports.configure_portal")


def lineage_ids(unit: Unit) -> set[int]:
    """The unit and every unit it succeeded, however many mergers back."""
    ids, frontier = {unit.pk}, [unit.pk]
    while frontier:
        frontier = list(
            Unit.objects.filter(successor_id__in=frontier)
            .exclude(pk__in=ids)
            .values_list("pk", flat=True)
        )
        ids.update(frontier)
    return ids


def units_visible_to(user):
    """Units whose reports (drafts included, for their own staff) the user may open."""
    if not user.is_authenticated:
        return Unit.objects.none()
    if is_admin(user):
        return Unit.objects.all()
    if user.role in (Role.STAFF, Role.LEADER):
        return Unit.objects.filter(pk__in=lineage_ids(user.unit))
    if user.role == Role.REVIEWER:
        provinces = lineage_ids(user.unit.province or user.unit)
        return Unit.objects.filter(Q(pk__in=provinces) | Q(province_id__in=provinces))
    return Unit.objects.none()


def can_create_report(user, unit: Unit) -> bool:
    return (
        user.has_perm("reports.add_report")
        and user.role in (Role.STAFF, Role.LEADER)
        and user.unit_id == unit.pk
    )


def can_edit_report(user, report) -> bool:
    """Staff and leaders of the report's own unit, while it is a draft or returned."""
    return (
        report.is_editable
        and user.has_perm("reports.change_report")
        and user.role in (Role.STAFF, Role.LEADER)
        and user.unit_id == report.unit_id
    )


def can_submit_report(user, report) -> bool:
    """The unit's leader signs and submits; staff too where the unit allows it."""
    if user.unit_id != report.unit_id:
        return False
    if user.role == Role.LEADER:
        return user.has_perm("reports.submit_report")
    return user.role == Role.STAFF and report.unit.staff_may_submit


def can_review_report(user, report) -> bool:
    """Reviewers of the report's province (or of the province that succeeded it)."""
    if user.role != Role.REVIEWER or not user.has_perm("reports.review_report"):
        return False
    return units_visible_to(user).filter(pk=report.unit_id).exists()


def can_reopen_report(user, report) -> bool:
    return is_admin(user)
