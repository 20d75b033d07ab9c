"""Reaching the dashboard's province (the refusal table of lib/access.py): Sở Nội vụ's
reviewers see their own province and the ones it succeeded, administrators any province."""

from django.db.models import F

from lib.access import READ, Need, NotFound, Refused
from org.models import Unit, UnitKind
from org.permissions import is_admin, units_visible_to


def require_dashboard(user) -> None:
    if not user.has_perm("reports.view_dashboard"):
        raise Refused("Chỉ Sở Nội vụ và quản trị hệ thống xem bảng theo dõi.")


def province_scope_for_user(user, code: str = "", need: Need = READ) -> Unit:
    """The province whose dashboard, roll-up and reminders the user works on: `code`, or by
    default their own (administrators: the first current province)."""
    if need != READ:
        raise ValueError(need)
    require_dashboard(user)
    provinces = units_visible_to(user).filter(kind=UnitKind.PROVINCE)
    if code:
        province = provinces.filter(code=code).first()
    elif is_admin(user):
        province = provinces.order_by(F("valid_to").desc(nulls_first=True), "name").first()
    else:
        province = user.unit.province or user.unit
    if province is None:
        raise NotFound("Không có tỉnh, thành phố này.")
    return province


def indicator_for_user(user, code: str, need: Need = READ) -> str:
    """An indicator code of the dashboard's drill-down (its province comes from the query)."""
    require_dashboard(user)
    if need != READ:
        raise ValueError(need)
    return code
