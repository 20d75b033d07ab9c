"""Who may do what with a report. Role permissions and unit scopes are the organisation's
(org.permissions); these add the report's own unit and state."""

from org.models import Role
from org.permissions import is_admin, units_visible_to


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
