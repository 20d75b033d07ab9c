"""Plain constructors for test data, and a named cast of people and units."""

from dataclasses import dataclass

from org.models import Role, Unit, UnitKind, User
from org.permissions import OPERATOR
from reports.models import Period
from reports.services import period_create

PASSWORD = "mat-khau-thu-nghiem"


def make_province(code: str, name: str, **fields) -> Unit:
    return Unit.objects.create(
        code=code,
        name=f"Ủy ban nhân dân {name}",
        short_name=f"UBND {name}",
        header_name=f"UBND {name.upper()}",
        kind=UnitKind.PROVINCE,
        **fields,
    )


def make_department(province: Unit, suffix: str, name: str, **fields) -> Unit:
    return Unit.objects.create(
        code=f"{province.code}-{suffix}",
        name=f"{name} {province.short_name.removeprefix('UBND ')}",
        short_name=suffix.upper(),
        header_name=name.upper(),
        kind=UnitKind.DEPARTMENT,
        parent=province,
        province=province,
        **fields,
    )


def make_user(username: str, role: str, unit: Unit | None = None) -> User:
    user = User(
        username=username,
        role=role,
        unit=unit,
        is_staff=role == Role.ADMIN,
        email=f"{username}@example.vn",
    )
    user.set_password(PASSWORD)
    user.full_clean()
    user.save()
    return user


def make_period(kind: str = "Y", year: int = 2026, **fields) -> Period:
    return period_create(by=OPERATOR, kind=kind, year=year, **fields)


@dataclass
class Cast:
    """Two provinces; in the first, two departments with staff and a leader, and a reviewer."""

    province: Unit
    other_province: Unit
    department: Unit
    colleague_department: Unit
    home_affairs: Unit
    other_department: Unit
    staff: User
    leader: User
    colleague: User
    reviewer: User
    outsider_reviewer: User
    outsider_staff: User
    admin: User
    period: Period

    @classmethod
    def create(cls) -> "Cast":
        province = make_province("tinh-a", "tỉnh An Giang")
        other = make_province("tinh-b", "tỉnh Bắc Ninh")
        department = make_department(province, "skhcn", "Sở Khoa học và Công nghệ")
        colleague_department = make_department(province, "stp", "Sở Tư pháp")
        home_affairs = make_department(province, "snv", "Sở Nội vụ", is_home_affairs=True)
        other_department = make_department(other, "skhcn", "Sở Khoa học và Công nghệ")
        other_home_affairs = make_department(other, "snv", "Sở Nội vụ", is_home_affairs=True)
        return cls(
            province=province,
            other_province=other,
            department=department,
            colleague_department=colleague_department,
            home_affairs=home_affairs,
            other_department=other_department,
            staff=make_user("chuyenvien", Role.STAFF, department),
            leader=make_user("lanhdao", Role.LEADER, department),
            colleague=make_user("tuphap", Role.STAFF, colleague_department),
            reviewer=make_user("thamdinh", Role.REVIEWER, home_affairs),
            outsider_reviewer=make_user("thamdinh-b", Role.REVIEWER, other_home_affairs),
            outsider_staff=make_user("chuyenvien-b", Role.STAFF, other_department),
            admin=make_user("quantri", Role.ADMIN),
            period=make_period(is_open=True),
        )


def write_sections(report, *, by=OPERATOR, html: str = "<p>Đã thực hiện theo kế hoạch.</p>"):
    """Write every section of the report's outline that is still empty, as a department does
    before submitting (the template's required sections must be written)."""
    from reports.services import report_save_section

    written = set(report.sections.exclude(content="").values_list("outline_id", flat=True))
    for outline in report.template_version.outline.all():
        if outline.pk not in written:
            report_save_section(report=report, by=by, outline=outline, html=html, expected=None)


def explain_warnings(report, *, by, text: str = "Số liệu các đơn vị gộp cả năm trước."):
    """Explain every warning of the report, as its writers do before it is sent or signed."""
    from reports.services.workflow import explanations_save
    from reports.validation import WARNING, explanation_key, validate_report

    keys = {explanation_key(v) for v in validate_report(report) if v.severity == WARNING}
    explanations_save(report=report, by=by, explanations=dict.fromkeys(keys, text))


def record_approved(report):
    """Mark a past report approved without replaying the workflow (as the demo records the
    paper reports filed before the portal): what prev() and last() read."""
    import datetime

    from reports.models import Report, ReportState

    moment = datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)
    Report.objects.filter(pk=report.pk).update(
        state=ReportState.APPROVED, submitted_at=moment, approved_at=moment
    )
    report.refresh_from_db()
    return report
