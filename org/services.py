"""Changes to the organisation. Services write; they check who asks (`by`) themselves."""

import datetime
from collections.abc import Iterable

from django.db import transaction

from .models import Role, Unit, User
from .permissions import is_admin


class OrgError(Exception):
    """A change to the organisation was refused; the message is for the user, in Vietnamese."""


@transaction.atomic
def unit_succeed(*, units: Iterable[Unit], successor: Unit, on: datetime.date, by: User) -> int:
    """Close `units` on the day before `on` and make `successor` (in force from `on`) their
    successor, as the 2025 mergers did; their people move to the successor. All or nothing.
    Returns how many people moved."""
    if not is_admin(by):
        raise OrgError("Chỉ quản trị hệ thống được sáp nhập đơn vị.")
    pks = {unit.pk for unit in units}
    if not pks:
        raise OrgError("Chưa chọn đơn vị nào để sáp nhập.")
    if successor.pk in pks:
        raise OrgError(f"{successor.name} không thể kế thừa chính mình.")
    closing = on - datetime.timedelta(days=1)
    successor = Unit.objects.select_for_update().get(pk=successor.pk)
    if (successor.valid_from and successor.valid_from > on) or (
        successor.valid_to and successor.valid_to < on
    ):
        raise OrgError(f"{successor.name} không có hiệu lực vào ngày {on:%d/%m/%Y}.")
    closed = list(Unit.objects.select_for_update().filter(pk__in=pks).order_by("pk"))
    for unit in closed:
        if unit.kind != successor.kind:
            raise OrgError(f"{unit.name} và {successor.name} không cùng loại đơn vị.")
        if unit.valid_to is not None:
            raise OrgError(f"{unit.name} đã hết hiệu lực từ ngày {unit.valid_to:%d/%m/%Y}.")
        if unit.valid_from and unit.valid_from > closing:
            raise OrgError(f"{unit.name} bắt đầu hiệu lực sau ngày {closing:%d/%m/%Y}.")
    people = User.objects.filter(unit__in=closed)
    if not successor.is_home_affairs and people.filter(role=Role.REVIEWER).exists():
        raise OrgError(
            f"{successor.name} không phải Sở Nội vụ, không nhận chuyên viên thẩm định được."
        )
    for unit in closed:
        unit.valid_to = closing
        unit.successor = successor
        unit.full_clean()
        unit.save(update_fields=["valid_to", "successor"])
    return people.update(unit=successor)
