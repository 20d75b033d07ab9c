"""Demo data: the provinces of the seed reports, their successors since 1 July 2025, periods
and one user for every role. Loaded by `manage.py load_demo`, never in production."""

import datetime
import json

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from indicators.models import TemplateVersion, VersionStatus
from indicators.services import version_import, version_publish
from indicators.types import ValueType
from indicators.values import parse_value
from indicators.workbook import read_template_workbook
from lib.periods import parse_period_code
from org.models import Role, Unit, UnitKind, User

from .access import OPERATOR
from .models import Period, Report, ReportState
from .selectors import report_appendices
from .services import (
    period_create,
    report_create,
    report_save_section,
    report_save_table,
    report_save_values,
)

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


FIXTURES = settings.BASE_DIR / "fixtures"
# The seed reports as they stand in the demo: history is approved; Bình Định's awaits review.
SEED_STATES = {"2022-H1": ReportState.SUBMITTED}


def load_templates():
    """Import and publish every template workbook under fixtures/templates/."""
    for path in sorted((FIXTURES / "templates").glob("*.xlsx")):
        spec = read_template_workbook(path)
        published = TemplateVersion.objects.filter(
            template__code=spec.code, status=VersionStatus.PUBLISHED
        )
        if not published.exists():
            version_publish(version=version_import(spec=spec))


def _parse_row(columns, cells: dict) -> dict:
    return {
        code: parse_value(columns[code].value_type, text, choices=columns[code].choices)
        for code, text in cells.items()
        if code in columns
    }


def load_seed_report(data: dict) -> Report:
    """A seed report (fixtures/demo_reports/*.json) with its text and values as printed."""
    kind, year = parse_period_code(data["period"])
    period = Period.objects.get(kind=kind, year=year)
    unit = Unit.objects.get(code=data["department"])
    header = dict(data["header"])
    issued = header.pop("date", None)
    header["issued_on"] = datetime.date.fromisoformat(issued) if issued else None
    header["basis"] = "\n".join(header.pop("basis", []))
    header["recipients"] = "\n".join(data.get("recipients", []))
    signature = data.get("signature", {})
    header["signer_authority"] = signature.get("authority", "")
    header["signer_position"] = signature.get("position", "")
    header["signer_name"] = signature.get("signer", "")
    report = report_create(unit=unit, period=period, by=OPERATOR, header=header, historical=True)
    outline = {s.code: s for s in report.template_version.outline.all()}
    for code, html in data.get("sections", {}).items():
        report_save_section(
            report=report, by=OPERATOR, outline=outline[code], html=html, expected=None
        )
    notes = data.get("notes", {})
    for appendix in report_appendices(report):
        if appendix.is_table:
            table = data.get("tables", {}).get(appendix.code)
            if table is None:
                continue
            rows, total = (
                (table, None) if isinstance(table, list) else (table["rows"], table.get("total"))
            )
            columns = {c.code: c for c in appendix.columns.all()}
            report_save_table(
                report=report,
                by=OPERATOR,
                appendix=appendix,
                rows=[_parse_row(columns, row) for row in rows],
                total=_parse_row(columns, total) if total else None,
                expected=None,
            )
            continue
        values = {}
        for row in appendix.indicators.all():
            if row.value_type == ValueType.HEADING:
                continue
            text = data.get("values", {}).get(row.code)
            value = parse_value(row.value_type, text, choices=row.choices) if text else None
            if value is not None or notes.get(row.code):
                values[row.code] = (value, notes.get(row.code, ""))
        report_save_values(
            report=report, by=OPERATOR, appendix=appendix, values=values, expected=None
        )
    state = SEED_STATES.get(data["period"], ReportState.APPROVED)
    submitted = timezone.make_aware(
        datetime.datetime.combine(header["issued_on"] or period.deadline, datetime.time(9))
    )
    # Paper reports filed before the portal: their state is recorded, not replayed.
    Report.objects.filter(pk=report.pk).update(
        state=state,
        submitted_at=submitted,
        approved_at=submitted if state == ReportState.APPROVED else None,
    )
    report.refresh_from_db()
    return report


def load_seed_reports():
    for path in sorted((FIXTURES / "demo_reports").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        kind, year = parse_period_code(data["period"])
        exists = Report.objects.filter(
            unit__code=data["department"], period__kind=kind, period__year=year
        ).exists()
        if not exists:
            load_seed_report(data)


@transaction.atomic
def load_demo(today: datetime.date) -> list[tuple[str, str, str]]:
    load_units()
    load_periods(today)
    users = load_users()
    load_templates()
    load_seed_reports()
    return users
