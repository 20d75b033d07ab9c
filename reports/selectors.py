"""Reads that cross relations. Pages, exports and commands share these."""

from .models import Period, Unit, UnitKind
from .permissions import lineage_ids, units_visible_to


def open_periods():
    return Period.objects.filter(is_open=True).order_by("deadline")


def province_units(province: Unit):
    """The reporting units of a province and of every province it succeeded."""
    return (
        Unit.objects.filter(province_id__in=lineage_ids(province))
        .exclude(kind=UnitKind.PROVINCE)
        .select_related("province", "successor")
        .order_by("province__name", "kind", "name")
    )


def unit_for_user(user, code: str) -> Unit | None:
    return units_visible_to(user).select_related("province", "successor").filter(code=code).first()


def unit_lineage(unit: Unit) -> list[Unit]:
    """Predecessors (oldest first) of a unit, for its history page."""
    ids = lineage_ids(unit) - {unit.pk}
    return list(Unit.objects.filter(pk__in=ids).order_by("valid_to", "name"))
