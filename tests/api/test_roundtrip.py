"""What the API reads is what the report holds: the same values `validate_report --json` and the
Excel export give, on a seed report with every appendix filled and on generated messy values
written through the API itself."""

import datetime
import io
import json
import unicodedata
from decimal import Decimal

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from api.services import client_create, token_issue
from indicators.services import version_import, version_publish
from indicators.spec import AppendixSpec, ColumnSpec, IndicatorSpec, RuleSpec, TemplateSpec
from org.models import Unit
from org.permissions import OPERATOR
from reports.excel import write_report_workbook
from reports.services import report_create

from .conftest import Api


def excel_cells(data: bytes) -> dict:
    """Written independently of reports.excel: every sheet's rows keyed by the hidden last
    column ("#cchc:<appendix>" marks the key row naming each column's code). Returns
    {appendix: {"indicators": {code: value cell}, "rows": [{column: cell}]}}."""
    workbook = load_workbook(io.BytesIO(data))
    found = {}
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            continue
        rows = list(sheet.iter_rows(values_only=True))
        key_col = len(rows[0]) - 1
        while key_col > 0 and rows[0][key_col] is None:
            key_col -= 1
        appendix = rows[0][key_col].removeprefix("#cchc:")
        codes = rows[0][:key_col]
        indicators, table, started = {}, [], False
        for row in rows[1:]:
            key = row[key_col] if key_col < len(row) else None
            if key == "#tong":
                break
            if "so_lieu" in codes:
                if key and not str(key).startswith("#"):
                    indicators[key] = row[codes.index("so_lieu")]
            elif key == "#so_cot" or key == "#tieu_de":
                started = True
            elif started and key is None:
                cells = {c: v for c, v in zip(codes, row, strict=False) if c and v is not None}
                if cells:
                    table.append(cells)
        found[appendix] = {"indicators": indicators, "rows": table}
    return found


def same(api_value, excel_value, value_type) -> bool:
    """The API's typed value against the Excel cell: numbers as numbers (a percentage is the
    fraction Excel shows as %), "/" as "/", dates as dates, references as their printed text."""
    if api_value is None:
        return excel_value is None
    if api_value == "/":
        return excel_value == "/"
    if value_type == "percent":
        return _as_excel_keeps(Decimal(str(api_value)).scaleb(-2)) == excel_value
    if value_type in ("integer", "decimal", "choice"):
        return _as_excel_keeps(api_value) == excel_value
    if value_type == "date":
        return excel_value.date().isoformat() == api_value
    if value_type == "docref":
        text = api_value["kind"] + (f" số {api_value['number']}" if api_value["number"] else "")
        if api_value["date"]:
            text += " ngày " + datetime.date.fromisoformat(api_value["date"]).strftime("%d/%m/%Y")
        return excel_value == text
    if value_type == "mark":
        return excel_value == "X"
    return excel_value == api_value


def _as_excel_keeps(number):
    """A number as a workbook holds it: a whole number exactly, a fraction as a double written
    with 16 significant digits (openpyxl); the API keeps every digit the portal stores, so
    10022145954.938879 is 10022145954.93888 in the workbook."""
    number = Decimal(str(number))
    if number == number.to_integral_value():
        return int(number)
    return float(f"{float(number):.16g}")


def check_against_excel(report, values: dict, tables: dict) -> int:
    """Every value and table cell the API gave, against the export; returns how many."""
    cells = excel_cells(write_report_workbook(report))
    checked = 0
    for appendix in report.template_version.appendices.prefetch_related("indicators", "columns"):
        sheet = cells[appendix.code]
        if appendix.is_table:
            types = {c.code: c.value_type for c in appendix.columns.all()}
            api_rows = tables[appendix.code]["rows"]
            assert len(sheet["rows"]) == max(len(api_rows), 0) or not api_rows
            for api_row, excel_row in zip(api_rows, sheet["rows"], strict=False):
                for code, value_type in types.items():
                    assert same(api_row.get(code), excel_row.get(code), value_type), (
                        code,
                        api_row,
                        excel_row,
                    )
                    checked += 1
            continue
        for row in appendix.indicators.all():
            if row.is_heading:
                continue
            got = values.get(row.code)
            assert same(got, sheet["indicators"].get(row.code), row.value_type), (row.code, got)
            checked += 1
    return checked


def check_against_validation(report, values: dict) -> int:
    out = io.StringIO()
    with pytest.raises(SystemExit) if _has_errors(report) else _nothing():
        call_command("validate_report", report.pk, "--json", stdout=out)
    checked = 0
    for violation in json.loads(out.getvalue()):
        for name, value in violation["values"].items():
            if name in values or (name.isidentifier() and name not in values and value is None):
                expected = values.get(name)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    assert Decimal(str(value)) == Decimal(str(expected)), (name, value, expected)
                else:
                    assert value == expected, (name, value, expected)
                checked += 1
    return checked


def _has_errors(report) -> bool:
    from reports.validation import validate_report

    return any(v.severity == "error" for v in validate_report(report))


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_the_soc_trang_2021_report_reads_as_its_excel_export(seed_report, client):
    report = seed_report("soctrang-2021-y")
    registered = client_create(
        name="Hệ thống báo cáo quốc gia",
        purpose="Đọc báo cáo",
        provinces=[Unit.objects.get(code="soc-trang")],
        expires_at=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC),
        by=OPERATOR,
    )
    _token, raw = token_issue(client=registered, by=OPERATOR)
    call = Api(client, raw)
    values = call.get(f"reports/{report.pk}/values/").json()["values"]
    tables = call.get(f"reports/{report.pk}/tables/").json()["tables"]
    assert values["so_nv_ke_hoach"] == 16 and values["hs_tiep_nhan"] == 29
    assert check_against_excel(report, values, tables) > 150
    assert check_against_validation(report, values) == 0  # an approved report breaks no rule


# --- generated values, written through the API --------------------------------------------------

MESSY_SPEC = TemplateSpec(
    code="mau-api",
    title="Mẫu thử API",
    period_kinds=["Y"],
    applies_from=datetime.date(2026, 1, 1),
    appendices=[
        AppendixSpec(
            code="pl1",
            name="Phụ lục 1",
            title="THỐNG KÊ",
            kind="indicators",
            indicators=[
                IndicatorSpec("I", "Chỉ đạo", "", "", "heading", level=1),
                IndicatorSpec("1", "Kế hoạch", "", "ke_hoach", "docref", level=2),
                IndicatorSpec("2", "Số nhiệm vụ", "Nhiệm vụ", "so_nv", "integer", level=2),
                IndicatorSpec("3", "Kinh phí", "Triệu đồng", "kinh_phi", "decimal", level=2),
                IndicatorSpec("4", "Có kế hoạch", "Có = 1 Không = 0", "co_kh", "choice", level=2),
                IndicatorSpec("5", "Tỷ lệ", "%", "ty_le", "percent", level=2),
                IndicatorSpec("6", "Ngày", "", "ngay", "date", level=2),
                IndicatorSpec("7", "Ghi rõ", "", "ghi_ro", "text", level=2),
            ],
        ),
        AppendixSpec(
            code="ho_so",
            name="Phụ lục 2",
            title="HỒ SƠ",
            kind="table",
            has_total_row=True,
            columns=[
                ColumnSpec("ten", "Tên thủ tục", "text", number="(1)"),
                ColumnSpec("tong", "Tổng số", "integer", number="(2)"),
                ColumnSpec("dung_han", "Đúng hạn", "integer", number="(3)"),
                ColumnSpec("ty_le", "Tỷ lệ", "percent", number="(4)"),
                ColumnSpec("xong", "Đã xong", "mark", number="(5)"),
            ],
        ),
    ],
    rules=[
        RuleSpec("kp_le_nv", "error", "kinh_phi <= so_nv", "Kinh phí không vượt số nhiệm vụ"),
        RuleSpec("tl_ho_so", "warning", "ty_le >= max(ho_so.ty_le)", "Tỷ lệ chung thấp"),
        RuleSpec("dh_le_tong", "error", "ho_so.dung_han <= ho_so.tong", "Đúng hạn vượt tổng"),
    ],
)


def canonical(value):
    """What the API gives back for what was written: exact numbers, tidy decimals, texts in
    NFC without surrounding spaces (docs/value-formats.md)."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value).strip()
    if isinstance(value, Decimal):
        value = value.normalize()
        return int(value) if value == value.to_integral_value() else value
    return value


NA = st.just("/")
BLANK = st.none()
INTEGERS = st.integers(0, 10**13)
DECIMALS = st.decimals(
    min_value=Decimal("-99999999999999.999999"),
    max_value=Decimal("99999999999999.999999"),
    places=6,
    allow_nan=False,
    allow_infinity=False,
)
PERCENTS = st.decimals(min_value=0, max_value=100, places=3)
# Format, private and unassigned characters aside: the parser drops zero-width ones (tested
# in tests/indicators/test_values.py), which would leave nothing to compare here.
TEXTS = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cf", "Co", "Cn")),
    min_size=1,
    max_size=20,
).filter(lambda t: canonical(t) not in ("", "/"))
DATES = st.dates(datetime.date(1950, 1, 1), datetime.date(2099, 12, 31)).map(
    datetime.date.isoformat
)
DOCREFS = st.builds(
    lambda kind, n, d: {"kind": kind, "number": f"{n}/KH-SKHCN", "date": d},
    st.sampled_from(["Kế hoạch", "Quyết định", "Công văn"]),
    st.integers(1, 999),
    DATES,
)

INDICATOR_VALUES = st.fixed_dictionaries(
    {
        "ke_hoach": st.one_of(DOCREFS, NA, BLANK),
        "so_nv": st.one_of(INTEGERS, NA, BLANK),
        "kinh_phi": st.one_of(DECIMALS, NA, BLANK),
        "co_kh": st.one_of(st.sampled_from([0, 1]), NA, BLANK),
        "ty_le": st.one_of(PERCENTS, NA, BLANK),
        "ngay": st.one_of(DATES, NA, BLANK),
        "ghi_ro": st.one_of(TEXTS, NA, BLANK),
    }
)
TABLE_ROWS = st.lists(
    st.fixed_dictionaries(
        {
            "ten": st.one_of(TEXTS, BLANK),
            "tong": st.one_of(st.integers(0, 9999), NA, BLANK),
            "dung_han": st.one_of(st.integers(0, 9999), NA, BLANK),
            "ty_le": st.one_of(PERCENTS, NA, BLANK),
            "xong": st.one_of(st.just(True), BLANK),
        }
    ),
    max_size=6,
)


@pytest.fixture
def messy(cast, client):
    version = version_publish(version=version_import(spec=MESSY_SPEC, by=OPERATOR), by=OPERATOR)
    report = report_create(unit=cast.department, period=cast.period, by=cast.staff)
    registered = client_create(
        name="Hệ thống một cửa điện tử tỉnh",
        purpose="Ghi số liệu",
        provinces=[cast.province],
        writes=True,
        expires_at=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC),
        by=OPERATOR,
    )
    _token, raw = token_issue(client=registered, by=OPERATOR)
    return version, report, Api(client, raw)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(values=INDICATOR_VALUES, rows=TABLE_ROWS)
def test_generated_values_read_back_as_validation_and_excel_see_them(messy, values, rows, settings):
    settings.API_RATE_PER_MINUTE = 100_000
    _version, report, call = messy
    etag = call.get(f"reports/{report.pk}/values/")["ETag"]
    written = call(
        "PATCH", f"reports/{report.pk}/values/", {"values": values}, **{"If-Match": etag}
    )
    assert written.status_code == 200, written.content
    etag = call.get(f"reports/{report.pk}/tables/ho_so/")["ETag"]
    table = call("PUT", f"reports/{report.pk}/tables/ho_so/", {"rows": rows}, **{"If-Match": etag})
    assert table.status_code == 200, table.content
    report.refresh_from_db()

    read = json.loads(call.get(f"reports/{report.pk}/values/").content, parse_float=Decimal)
    expected = {code: canonical(value) for code, value in values.items() if value is not None}
    assert read["values"] == expected
    tables = json.loads(call.get(f"reports/{report.pk}/tables/").content, parse_float=Decimal)
    kept = [{code: canonical(v) for code, v in row.items() if v is not None} for row in rows]
    assert tables["tables"]["ho_so"]["rows"] == [row for row in kept if row]
    numbers = [r["tong"] for r in kept if isinstance(r.get("tong"), int)]
    total = tables["tables"]["ho_so"]["total"] or {}
    assert total.get("tong") == (sum(numbers) if numbers else None)

    assert check_against_excel(report, read["values"], tables["tables"]) >= 7
    check_against_validation(report, read["values"])
