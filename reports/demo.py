"""Demo data: the provinces of the seed reports, their successors since 1 July 2025, periods
and one user for every role. Loaded by `manage.py load_demo`, never in production."""

import datetime

from django.db import transaction

from .models import Period, Role, Unit, UnitKind, User
from .services import period_create

DEMO_PASSWORD = "demo12345"
MERGER_DAY = datetime.date(2025, 7, 1)
BEFORE_MERGER = MERGER_DAY - datetime.timedelta(days=1)

# (code, name, header name, successor code): the four seed provinces, closed by the 2025 merger.
SEED_PROVINCES = [
    ("soc-trang", "tỉnh Sóc Trăng", "can-tho"),
    ("quang-tri", "tỉnh Quảng Trị", "quang-tri-moi"),
    ("ba-ria-vung-tau", "tỉnh Bà Rịa - Vũng Tàu", "ho-chi-minh"),
    ("binh-dinh", "tỉnh Bình Định", "gia-lai"),
]
CURRENT_PROVINCES = [
    ("can-tho", "thành phố Cần Thơ"),
    ("quang-tri-moi", "tỉnh Quảng Trị"),
    ("ho-chi-minh", "Thành phố Hồ Chí Minh"),
    ("gia-lai", "tỉnh Gia Lai"),
]
# (code suffix, name, short name, is_home_affairs)
DEPARTMENTS = [
    ("snv", "Sở Nội vụ", "SNV", True),
    ("skhcn", "Sở Khoa học và Công nghệ", "SKHCN", False),
    ("stp", "Sở Tư pháp", "STP", False),
    ("stc", "Sở Tài chính", "STC", False),
    ("syt", "Sở Y tế", "SYT", False),
]
# A commune-level unit for each province (before the merger under a district).
COMMUNES = {
    "soc-trang": ("huyen-my-tu", "huyện Mỹ Tú", "xa-my-huong", "xã Mỹ Hương"),
    "quang-tri": ("huyen-hai-lang", "huyện Hải Lăng", "xa-hai-phu", "xã Hải Phú"),
    "ba-ria-vung-tau": ("huyen-chau-duc", "huyện Châu Đức", "xa-nghia-thanh", "xã Nghĩa Thành"),
    "binh-dinh": ("huyen-tuy-phuoc", "huyện Tuy Phước", "xa-phuoc-loc", "xã Phước Lộc"),
    "can-tho": (None, None, "phuong-ninh-kieu", "phường Ninh Kiều"),
    "quang-tri-moi": (None, None, "phuong-dong-ha", "phường Đông Hà"),
    "ho-chi-minh": (None, None, "phuong-ben-thanh", "phường Bến Thành"),
    "gia-lai": (None, None, "phuong-quy-nhon", "phường Quy Nhơn"),
}


def _unit(code, **fields) -> Unit:
    unit, _created = Unit.objects.update_or_create(code=code, defaults=fields)
    return unit


def _province(code, name, *, valid_from=None, valid_to=None, successor=None) -> Unit:
    return _unit(
        code,
        name=f"Ủy ban nhân dân {name}",
        short_name=f"UBND {name}",
        header_name=f"UBND {name.upper()}",
        kind=UnitKind.PROVINCE,
        valid_from=valid_from,
        valid_to=valid_to,
        successor=successor,
    )


def _province_units(province: Unit, *, valid_to=None, successor_code=None):
    for suffix, name, short, home_affairs in DEPARTMENTS:
        successor = Unit.objects.filter(code=f"{successor_code}-{suffix}").first()
        _unit(
            f"{province.code}-{suffix}",
            name=f"{name} {province.short_name.removeprefix('UBND ')}",
            short_name=short,
            kind=UnitKind.DEPARTMENT,
            parent=province,
            province=province,
            is_home_affairs=home_affairs,
            header_name=name.upper(),
            valid_from=province.valid_from,
            valid_to=valid_to,
            successor=successor,
        )
    district_code, district_name, commune_code, commune_name = COMMUNES[province.code]
    parent = province
    if district_code:
        parent = _unit(
            f"{province.code}-{district_code}",
            name=f"Ủy ban nhân dân {district_name}",
            short_name=f"UBND {district_name}",
            kind=UnitKind.DISTRICT,
            parent=province,
            province=province,
            header_name=f"UBND {district_name.upper()}",
            valid_to=valid_to,
        )
    _unit(
        f"{province.code}-{commune_code}",
        name=f"Ủy ban nhân dân {commune_name}",
        short_name=f"UBND {commune_name}",
        kind=UnitKind.COMMUNE,
        parent=parent,
        province=province,
        header_name=f"UBND {commune_name.upper()}",
        valid_from=province.valid_from,
        valid_to=valid_to,
    )


def load_units():
    for code, name in CURRENT_PROVINCES:
        province = _province(code, name, valid_from=MERGER_DAY)
        _province_units(province)
    for code, name, successor_code in SEED_PROVINCES:
        successor = Unit.objects.get(code=successor_code)
        province = _province(code, name, valid_to=BEFORE_MERGER, successor=successor)
        _province_units(province, valid_to=BEFORE_MERGER, successor_code=successor_code)


def load_periods(today: datetime.date):
    seeds = [("Y", 2019), ("Y", 2020), ("Y", 2021), ("H1", 2022)]
    current = [("Q1", today.year), ("H1", today.year), ("Q3", today.year), ("Y", today.year)]
    for kind, year in seeds + current:
        if not Period.objects.filter(kind=kind, year=year).exists():
            period_create(kind=kind, year=year)
    # The year's report is the one departments are working on.
    Period.objects.filter(kind="Y", year=today.year).update(is_open=True)


def _user(username, *, role, unit=None, first_name="", last_name="") -> User:
    user, _created = User.objects.update_or_create(
        username=username,
        defaults={
            "role": role,
            "unit": unit,
            "first_name": first_name,
            "last_name": last_name,
            "is_staff": role == Role.ADMIN,
            "email": f"{username}@demo.invalid",
        },
    )
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    return user


DEMO_PEOPLE = {
    Role.STAFF: ("Nguyễn Văn", "An"),
    Role.LEADER: ("Trần Thị", "Bình"),
    Role.REVIEWER: ("Lê Văn", "Cường"),
}


def load_users() -> list[tuple[str, str, str]]:
    """Create the demo users; returns (username, role, unit) for the login list."""
    created = [_user("quantri", role=Role.ADMIN, first_name="Quản trị", last_name="viên")]
    for code, _name in CURRENT_PROVINCES:
        prefix = code.replace("-", "")
        for role, suffix, unit_suffix in [
            (Role.STAFF, "chuyenvien", "skhcn"),
            (Role.LEADER, "lanhdao", "skhcn"),
            (Role.REVIEWER, "thamdinh", "snv"),
            (Role.STAFF, "tuphap", "stp"),
        ]:
            first, last = DEMO_PEOPLE[role]
            unit = Unit.objects.get(code=f"{code}-{unit_suffix}")
            created.append(
                _user(f"{prefix}.{suffix}", role=role, unit=unit, first_name=first, last_name=last)
            )
    return [(u.username, u.get_role_display(), str(u.unit or "")) for u in created]


@transaction.atomic
def load_demo(today: datetime.date) -> list[tuple[str, str, str]]:
    load_units()
    load_periods(today)
    return load_users()
