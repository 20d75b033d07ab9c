"""Demo data: the provinces of the seed reports, their successors since 1 July 2025, periods
and one user for every role. Loaded by `manage.py load_demo`, never in production."""

import datetime
import json
from functools import partial

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
from parindex.sample import load_index_demo
from reports.access import OPERATOR
from reports.models import Period, Report, ReportState
from reports.selectors import report_appendices
from reports.services import (
    period_create,
    period_set_open,
    report_create,
    report_save_header,
    report_save_section,
    report_save_table,
    report_save_values,
)
from reports.services.workflow import (
    comment_add,
    comment_mark_addressed,
    explanations_save,
    report_approve,
    report_reopen,
    report_return,
    report_submit,
)
from reports.validation import ERROR, WARNING, explanation_key, validate_report

from .signing import load_signatures

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
# Provinces whose departments have 2026 reports in every state (load_state_reports).
STATE_PROVINCES = ["can-tho", "gia-lai"]
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


PERIOD_KINDS = ["Q1", "H1", "Q3", "Y"]


def load_periods(today: datetime.date):
    seeds = [("Y", 2019), ("Y", 2020), ("Y", 2021), ("H1", 2022)]
    current = [(kind, today.year) for kind in PERIOD_KINDS]
    for kind, year in seeds + current:
        if not Period.objects.filter(kind=kind, year=year).exists():
            period_create(by=OPERATOR, kind=kind, year=year)
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
    Role.PROVINCE_LEADER: ("Phạm Văn", "Dũng"),
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
            (Role.PROVINCE_LEADER, "lanhdaotinh", ""),
        ]:
            first, last = DEMO_PEOPLE[role]
            unit = Unit.objects.get(code=f"{code}-{unit_suffix}" if unit_suffix else code)
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
            version_publish(by=OPERATOR, version=version_import(by=OPERATOR, spec=spec))


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


# Values of the 2026 demo reports that the template's rules tie together; every other number is
# a small one derived from its position, which no rule compares.
DEMO_VALUES = {
    "so_nv_ke_hoach": "24",
    "so_nv_hoan_thanh": "22",
    "kt_van_de_phat_hien": "8",
    "kt_van_de_da_xu_ly": "7",
    "nv_ubnd_giao": "30",
    "nv_ubnd_dung_han": "25",
    "nv_ubnd_qua_han": "3",
    "vbqppl_tham_muu": "6",
    "vbqppl_dung_tien_do": "6",
    "vbqppl_dung_quy_trinh": "5",
    "vbqppl_phai_ra_soat": "40",
    "vbqppl_da_ra_soat": "40",
    "vbqppl_kien_nghi": "5",
    "vbqppl_da_xu_ly": "4",
    "tthc_hieu_luc": "150",
    "tthc_tai_co_quan": "120",
    "tthc_tai_truc_thuoc": "30",
    "tthc_mot_cua_cong_khai": "150",
    "tthc_mot_cua_md34": "90",
    "pakn_tiep_nhan": "12",
    "pakn_da_giai_quyet": "12",
    # More files returned than received (carried over from last year): a warning, explained.
    "hs_tiep_nhan": "2.986",
    "hs_tra_ket_qua": "3.012",
    "tthc_cong_dvc": "150",
    "tthc_dvc_md34": "90",
    "bien_che_giao": "80",
    "bien_che_co_mat": "76",
    "pc_van_de_phat_hien": "3",
    "pc_van_de_da_xu_ly": "3",
    "sncl_tu_chu": "4",
    "sncl_tu_chu_tx_dt": "1",
    "sncl_tu_chu_tx": "1",
    "sncl_tu_chu_mot_phan": "1",
    "sncl_nn_dam_bao": "1",
    "iso_dung_quy_dinh": "9",
    "iso_dung_qd_tinh": "5",
    "iso_dung_qd_huyen": "3",
    "iso_dung_qd_xa": "1",
}
# Last year's report of the Cần Thơ science office, approved: what the year's draft compares
# with. Most values a little lower; the dossiers far fewer (online services grew), so the entry
# page flags the change and asks for a note.
LAST_YEAR_VALUES = {
    **DEMO_VALUES,
    "so_nv_ke_hoach": "20",
    "so_nv_hoan_thanh": "17",
    "tthc_hieu_luc": "142",
    "tthc_tai_co_quan": "115",
    "tthc_tai_truc_thuoc": "27",
    "hs_tiep_nhan": "812",
    "hs_tra_ket_qua": "790",
    "bien_che_giao": "82",
    "bien_che_co_mat": "79",
}
SAMPLE_TEXT = {
    ValueType.INTEGER: lambda i: str(3 + i % 17),
    ValueType.DECIMAL: lambda i: f"{i % 9},5",
    ValueType.PERCENT: lambda i: f"{40 + i % 9},5%",
    ValueType.TEXT: lambda i: "Triển khai theo kế hoạch của UBND tỉnh",
    ValueType.DOCREF: lambda i: f"Kế hoạch số {i:02d}/KH-SKHCN ngày 07/01/2026",
    ValueType.DATE: lambda i: "15/03/2026",
    ValueType.MARK: lambda i: "x",
}
DEMO_SECTION = (
    "<p>Trong kỳ, đơn vị đã ban hành kế hoạch cải cách hành chính, "
    "<strong>hoàn thành 22/24 nhiệm vụ</strong> đề ra.</p>"
    "<ul><li>Rà soát 40 văn bản quy phạm pháp luật.</li><li>Công khai 150 TTHC.</li></ul>"
)
# Who signs the justice department's reports (its staff may submit; the director signs).
JUSTICE_DIRECTOR = "Võ Minh Tuấn"
DEMO_CONTACTS = [
    ("Phạm Minh Đức", "Phó Giám đốc", "duc.pm@demo.invalid - 0292 3820 001"),
    ("Võ Thị Hạnh", "Chuyên viên Văn phòng", "hanh.vt@demo.invalid - 0292 3820 002"),
    ("Huỳnh Văn Tâm", "Trưởng phòng Tổ chức", "tam.hv@demo.invalid"),
    ("Đặng Ngọc Lan", "Chuyên viên Phòng Tổ chức", "lan.dn@demo.invalid"),
]


def _fill_report(report: Report, *, number: int, signer: str = "", last_year: bool = False) -> None:
    """Header, every section, every indicator and several rows of every table, as a department
    would type them; warnings explained so that the report can be submitted. `last_year`: the
    values of the year before (LAST_YEAR_VALUES, other whole numbers a little lower)."""
    report_save_header(
        report=report,
        by=report.created_by,
        data={"number": str(number), "issued_on": report.period.deadline, "signer_name": signer},
        expected=None,
    )
    for outline in report.template_version.outline.all():
        report_save_section(
            report=report, by=report.created_by, outline=outline, html=DEMO_SECTION, expected=None
        )
    for appendix in report_appendices(report):
        if appendix.is_table:
            columns = {c.code: c for c in appendix.columns.all()}
            rows = []
            for i, (name, position, contact) in enumerate(DEMO_CONTACTS, start=1):
                fixed = appendix.fixed_rows[i - 1] if i <= len(appendix.fixed_rows) else {}
                texts = {code: name for code, c in columns.items() if c.value_type == "text"}
                texts.update({"stt": str(i), "ho_ten": name, "chuc_vu": position})
                texts.update({"email_dien_thoai": contact, **fixed})
                if "noi_dung" in columns and not fixed:
                    texts["noi_dung"] = "Công chức phối hợp thực hiện cải cách hành chính"
                for code, column in columns.items():
                    if column.value_type != "text":
                        texts[code] = SAMPLE_TEXT.get(column.value_type, lambda i: "")(i)
                rows.append(_parse_row(columns, texts))
            report_save_table(
                report=report, by=report.created_by, appendix=appendix, rows=rows, expected=None
            )
            continue
        values = {}
        for i, row in enumerate(appendix.indicators.all()):
            if row.value_type == ValueType.HEADING:
                continue
            if row.value_type == ValueType.CHOICE:
                text = str(row.choices[0][0])
            elif last_year:
                text = LAST_YEAR_VALUES.get(row.code) or _last_year_sample(row.value_type, i)
            else:
                text = DEMO_VALUES.get(row.code) or SAMPLE_TEXT[row.value_type](i)
            values[row.code] = (parse_value(row.value_type, text, choices=row.choices), "")
        report_save_values(
            report=report, by=report.created_by, appendix=appendix, values=values, expected=None
        )
    violations = validate_report(report)
    errors = [v.message for v in violations if v.severity == ERROR]
    if errors:  # the demo must be submittable: a rule added to the template needs a value here
        raise ValueError(f"Demo report {report} breaks its rules: {errors}")
    explanations = {
        explanation_key(v): "Hồ sơ năm trước chuyển sang được trả kết quả trong kỳ này."
        for v in violations
        if v.severity == WARNING
    }
    if explanations:
        explanations_save(report=report, by=report.created_by, explanations=explanations)


def _last_year_sample(value_type, i: int) -> str:
    if value_type == ValueType.INTEGER:
        return str(3 + i % 17 - i % 3)  # never more than 3 times lower: no flag
    return SAMPLE_TEXT[value_type](i).replace("2026", "2025")


def _demo_report(
    unit: Unit,
    period: Period,
    staff: User,
    *,
    number: int,
    signer: str = "",
    last_year: bool = False,
) -> Report:
    """A filled report (signed by `signer`: the header names the director who signs; without
    one the PDF leaves a line to write the name by hand); a closed period is opened for the
    time it takes to create it."""
    was_open = period.is_open
    if not was_open:
        period_set_open(by=OPERATOR, period=period, is_open=True)
    report = report_create(unit=unit, period=period, by=staff)
    if not was_open:
        period_set_open(by=OPERATOR, period=period, is_open=False)
    _fill_report(report, number=number, signer=signer, last_year=last_year)
    return report


def _review(report: Report, reviewer: User, reason: str) -> list:
    """A reviewer's comments on the whole report, an indicator and a table row, then a return."""
    first_row = report.table_rows.filter(is_total=False).order_by("appendix", "position").first()
    targets = [
        ("report", "", "Đề nghị bổ sung số liệu kỳ trước để so sánh."),
        ("indicator", "so_nv_hoan_thanh", "Nêu rõ 2 nhiệm vụ chưa hoàn thành và lý do."),
    ]
    if first_row is not None:
        code = first_row.appendix.code
        targets.append(("row", f"{code}:{first_row.position + 1}", "Ghi đủ số điện thoại."))
    comments = [
        comment_add(report=report, by=reviewer, target=target, target_code=code, text=text)
        for target, code, text in targets
    ]
    report_return(report=report, by=reviewer, reason=reason)
    report.refresh_from_db()
    return comments


def load_state_reports(today: datetime.date):
    """In Cần Thơ and Gia Lai, reports of the year in every state, made through the services
    with the users who would do each step: the department's science office (staff and leader)
    files a draft, a submitted, a returned and an approved-then-reopened report; the justice
    office, whose staff may submit, a resubmitted and an approved one."""
    periods = {kind: Period.objects.get(kind=kind, year=today.year) for kind in PERIOD_KINDS}
    admin = User.objects.get(username="quantri")
    for code in STATE_PROVINCES:
        prefix = code.replace("-", "")
        staff = User.objects.get(username=f"{prefix}.chuyenvien")
        leader = User.objects.get(username=f"{prefix}.lanhdao")
        reviewer = User.objects.get(username=f"{prefix}.thamdinh")
        justice = User.objects.get(username=f"{prefix}.tuphap")
        Unit.objects.filter(pk=justice.unit_id).update(staff_may_submit=True)
        justice.unit.refresh_from_db()
        if Report.objects.filter(unit__in=[staff.unit, justice.unit], period__year=today.year):
            continue
        director = leader.get_full_name()
        _demo_report(staff.unit, periods["Y"], staff, number=101)  # draft, nobody named yet
        submitted = _demo_report(staff.unit, periods["Q3"], staff, number=87, signer=director)
        report_submit(report=submitted, by=leader)
        returned = _demo_report(staff.unit, periods["H1"], staff, number=54, signer=director)
        returned = report_submit(report=returned, by=leader)
        _review(
            returned, reviewer, "Số liệu Phụ lục II chưa khớp báo cáo 6 tháng; đề nghị rà soát."
        )
        reopened = _demo_report(staff.unit, periods["Q1"], staff, number=21, signer=director)
        reopened = report_submit(report=reopened, by=leader)
        reopened = report_approve(report=reopened, by=reviewer, comment="Đạt yêu cầu.")
        report_reopen(
            report=reopened, by=admin, reason="Đơn vị đề nghị điều chỉnh số hồ sơ tiếp nhận."
        )
        resubmitted = _demo_report(
            justice.unit, periods["Y"], justice, number=212, signer=JUSTICE_DIRECTOR
        )
        resubmitted = report_submit(report=resubmitted, by=justice)
        comments = _review(resubmitted, reviewer, "Thiếu số liệu so sánh với kỳ trước.")
        comment_mark_addressed(comment=comments[0], by=justice)
        report_submit(report=resubmitted, by=justice)
        approved = _demo_report(
            justice.unit, periods["Q3"], justice, number=180, signer=JUSTICE_DIRECTOR
        )
        approved = report_submit(report=approved, by=justice)
        report_approve(report=approved, by=reviewer)


# The province's own report, compiled: Sóc Trăng's 2021 from its approved seed report, Cần Thơ's
# for the year from its departments' submitted and approved reports.
PROVINCE_REPORTS = [("soc-trang", "Y", 2021, False), ("can-tho", "Y", None, True)]


def load_province_reports(today: datetime.date):
    from province.services import compile_province_report, province_report

    for code, kind, year, include_submitted in PROVINCE_REPORTS:
        province = Unit.objects.get(code=code)
        period = Period.objects.get(kind=kind, year=year or today.year)
        existing = province_report(province=province, period=period)
        if existing is None or existing.state == ReportState.DRAFT:
            compile_province_report(
                province=province, period=period, by=OPERATOR, include_submitted=include_submitted
            )


def load_aggregates():
    """The dashboard's stored aggregates for every province and period, so the demo starts with
    them as a running portal has them (a dashboard view would otherwise compute them)."""
    from review.aggregates import aggregates_refresh

    for province in Unit.objects.provinces():
        for period in Period.objects.all():
            aggregates_refresh(province=province, period=period)


@transaction.atomic
def load_demo(today: datetime.date) -> list[tuple[str, str, str]]:
    load_units()
    load_periods(today)
    users = load_users()
    load_templates()
    load_seed_reports()
    load_state_reports(today)
    load_province_reports(today)
    # Last year's report, signed and approved, holds last year's values: the year's draft
    # compares with it.
    load_signatures(today, DEMO_PASSWORD, make_report=partial(_demo_report, last_year=True))
    load_aggregates()
    # The PAR Index of last year: Cần Thơ's departments in every state (parindex.sample).
    load_index_demo(today)
    return users
