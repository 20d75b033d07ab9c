"""How values are stored: table cells in one typed form, refused input never stored, one number
range, text without characters Word and Excel files cannot carry (issues 10 and 11)."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from demo.loader import FIXTURES, load_periods, load_seed_report, load_templates
from org.models import Role, Unit
from reports.access import OPERATOR
from reports.models import IndicatorValue, Report, ReportState, TableRow
from reports.selectors import table_rows
from reports.services import report_create, report_save_table
from reports.services.workflow import explanations_save
from tests.factories import PASSWORD, make_user
from tests.reports.test_excel_roundtrip import (
    appendix,
    filled_draft,
    publish,
    spec,
)
from tests.tasks import run_queued_tasks


@pytest.fixture
def report(cast) -> Report:
    return filled_draft(cast)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def raw_cells(row_id: int) -> dict:
    """The cells exactly as the database holds them, bypassing the model's decoder."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT cells::text FROM reports_tablerow WHERE id = %s", [row_id])
        return json.loads(cursor.fetchone()[0], parse_float=Decimal)


def jsonb_types(row_id: int) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT key, jsonb_typeof(value) FROM reports_tablerow, jsonb_each(cells) "
            "WHERE id = %s",
            [row_id],
        )
        return dict(cursor.fetchall())


def autosave(client, url, data):
    return client.post(url, data, headers={"X-Autosave": "1"})


# --- the storage form ------------------------------------------------------------------------


def test_table_cells_are_stored_typed(report):
    first = TableRow.objects.get(report=report, is_total=False, position=0)
    assert raw_cells(first.pk) == {
        "stt": "1",
        "ten": "-abc",
        "tong": 10,
        "dung_han": 9,
        "ty_le": 90,
        "ngay": "2026-02-03",
        "muc_do": 4,
        "xong": True,
    }
    assert jsonb_types(first.pk)["tong"] == "number"
    second = TableRow.objects.get(report=report, is_total=False, position=1)
    assert raw_cells(second.pk)["ty_le"] == "/"  # not applicable
    assert "ngay" not in raw_cells(second.pk)  # blank: no key
    total = TableRow.objects.get(report=report, is_total=True)
    assert raw_cells(total.pk) == {"tong": 15, "dung_han": 14}


def test_decimals_and_docrefs_round_trip_exactly(cast):
    from indicators.spec import ColumnSpec

    template = spec()
    template.appendices[1].columns += [
        ColumnSpec("kinh_phi", "Kinh phí", "decimal", number="(9)"),
        ColumnSpec("van_ban", "Văn bản", "docref", number="(10)"),
    ]
    publish(template)
    report = report_create(unit=cast.department, period=cast.period, by=cast.staff)
    largest = Decimal("99999999999999.999999")  # 20 digits: a float would round it
    row = {
        "kinh_phi": largest,
        "van_ban": "Kế hoạch số 01/KH-SKHCN ngày 07/01/2026",
        "ty_le": Decimal("12.345678"),
    }
    report_save_table(
        by=OPERATOR, report=report, appendix=appendix(report, "ho_so"), rows=[row], expected=None
    )
    stored = TableRow.objects.get(report=report, is_total=False)
    assert raw_cells(stored.pk)["kinh_phi"] == largest
    assert raw_cells(stored.pk)["van_ban"] == {
        "kind": "Kế hoạch",
        "number": "01/KH-SKHCN",
        "date": "2026-01-07",
    }
    ((_id, cells),) = table_rows(report)["ho_so"]["rows"]
    assert cells["kinh_phi"] == largest
    assert cells["ty_le"] == Decimal("12.345678")
    assert str(cells["van_ban"]) == "Kế hoạch số 01/KH-SKHCN ngày 07/01/2026"


def test_the_save_service_refuses_a_row_that_does_not_parse(report):
    from reports.services import ReportError

    before = list(TableRow.objects.filter(report=report).values_list("cells", flat=True))
    with pytest.raises(ReportError, match="không phải là số"):
        report_save_table(
            by=OPERATOR,
            report=report,
            appendix=appendix(report, "ho_so"),
            rows=[{"tong": "mười"}],
            expected=None,
        )
    assert list(TableRow.objects.filter(report=report).values_list("cells", flat=True)) == before


def table_post(report, rows: list[dict]) -> dict:
    data = {
        "part_version": str(report.part_versions.get("appendix:ho_so", 0)),
        "t-ho_so-TOTAL_FORMS": str(len(rows)),
        "t-ho_so-INITIAL_FORMS": "0",
        "t-ho_so-MIN_NUM_FORMS": "0",
        "t-ho_so-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data[f"t-ho_so-{i}-ORDER"] = str(i + 1)
        data.update({f"t-ho_so-{i}-{code}": text for code, text in row.items()})
    return data


def test_autosave_refuses_invalid_cells_names_them_and_stores_nothing(client, cast, report):
    login(client, cast.staff)
    url = f"/bao-cao/{report.pk}/phu-luc/ho_so/"
    before = sorted(TableRow.objects.filter(report=report).values_list("id", "cells"))
    rows = [
        {"ten": "Thủ tục A", "tong": "100000000000000", "ty_le": "12,3456789"},
        {"ten": "Thủ tục B", "tong": "7"},
    ]
    response = autosave(client, url, table_post(report, rows))
    assert response.status_code == 200
    answer = response.json()
    assert answer["saved"] is False
    assert "quá lớn" in answer["errors"]["t-ho_so-0-tong"][0]
    assert "tối đa 6 chữ số sau dấu phẩy" in answer["errors"]["t-ho_so-0-ty_le"][0]
    assert set(answer["errors"]) == {"t-ho_so-0-tong", "t-ho_so-0-ty_le"}
    assert sorted(TableRow.objects.filter(report=report).values_list("id", "cells")) == before


def test_autosave_stores_valid_cells_typed(client, cast, report):
    login(client, cast.staff)
    url = f"/bao-cao/{report.pk}/phu-luc/ho_so/"
    rows = [{"ten": "Thủ tục A", "tong": "2.986.670", "ty_le": "74,72%", "ngay": "07/01/2026"}]
    response = autosave(client, url, table_post(report, rows))
    assert response.json()["saved"] is True
    row = TableRow.objects.get(report=report, is_total=False)
    assert raw_cells(row.pk) == {
        "ten": "Thủ tục A",
        "tong": 2986670,
        "ty_le": Decimal("74.72"),
        "ngay": "2026-01-07",
    }


def test_a_fifteen_digit_indicator_value_is_refused_on_autosave(client, cast, report):
    login(client, cast.staff)
    url = f"/bao-cao/{report.pk}/phu-luc/pl1/"
    response = autosave(
        client, url, {"pl1-v-so_nv": "100000000000000", "pl1-v-kinh_phi": "5", "part_version": "1"}
    )
    assert response.status_code == 200
    assert "quá lớn" in response.json()["errors"]["pl1-v-so_nv"][0]
    assert IndicatorValue.objects.get(report=report, indicator__code="so_nv").number == 16
    assert IndicatorValue.objects.get(report=report, indicator__code="kinh_phi").number == 5


# --- the demo and the migration --------------------------------------------------------------


@pytest.fixture
def brvt(demo_units):
    load_periods(datetime.date(2026, 11, 22))
    load_templates()
    data = json.loads((FIXTURES / "demo_reports" / "brvt-2019-y.json").read_text("utf-8"))
    return load_seed_report(data)


def test_the_demo_stores_seed_tables_typed(brvt):
    row = TableRow.objects.get(
        report=brvt, appendix__code="xu_ly_ho_so", position=0, is_total=False
    )
    assert jsonb_types(row.pk)["c4"] == "number"
    assert raw_cells(row.pk)["c2"] == "Khai báo thiết bị X-quang chẩn đoán trong y tế"
    plan = TableRow.objects.get(
        report=brvt, appendix__code="ket_qua_ke_hoach", position=0, is_total=False
    )
    assert raw_cells(plan.pk)["thoi_gian_ban_hanh"] == "2018-12-14"


# --- several indicator appendices (KeyError) -------------------------------------------------


def test_every_appendix_page_of_a_report_with_values_in_two_appendices_opens(demo_units):
    load_periods(datetime.date(2026, 11, 22))
    load_templates()
    data = json.loads((FIXTURES / "demo_reports" / "soctrang-2021-y.json").read_text("utf-8"))
    report = load_seed_report(data)
    codes = list(report.template_version.appendices.values_list("code", flat=True))
    assert (
        IndicatorValue.objects.filter(report=report)
        .values("indicator__appendix")
        .distinct()
        .count()
        >= 2
    )
    unit = Unit.objects.get(code="soc-trang-skhcn")
    staff = make_user("st.cv", Role.STAFF, unit)
    reviewer = make_user("st.snv", Role.REVIEWER, Unit.objects.get(code="soc-trang-snv"))
    for user in (staff, reviewer):
        client = Client()
        login(client, user)
        for code in codes:
            response = client.get(f"/bao-cao/{report.pk}/phu-luc/{code}/")
            assert response.status_code == 200, (user, code)


# --- control characters ----------------------------------------------------------------------

HOSTILE = "Dòng 1\x0bDòng 2\x01\x1b\x00 hết"


def test_control_characters_typed_into_cells_and_notes_never_reach_exports(client, cast, report):
    login(client, cast.staff)
    url = f"/bao-cao/{report.pk}/phu-luc/ho_so/"
    response = autosave(client, url, table_post(report, [{"ten": HOSTILE, "tong": "3"}]))
    assert response.json()["saved"] is True
    row = TableRow.objects.get(report=report, is_total=False)
    assert row.cells["ten"] == "Dòng 1\nDòng 2 hết"
    response = autosave(
        client,
        f"/bao-cao/{report.pk}/phu-luc/pl1/",
        {"pl1-v-so_nv": "16", "pl1-note-so_nv": HOSTILE, "part_version": "1"},
    )
    assert response.json()["saved"] is True
    note = IndicatorValue.objects.get(report=report, indicator__code="so_nv").note
    assert note == "Dòng 1\nDòng 2 hết"
    response = client.post(
        f"/bao-cao/{report.pk}/thong-tin-chung/",
        {
            **{name: getattr(report, name) or "" for name in Report.HEADER_FIELDS},
            "issued_on": "",
            "title": "Báo cáo\x0b CCHC\x00",
            "part_version": "0",
        },
    )
    assert response.status_code == 302
    assert Report.objects.get(pk=report.pk).title == "Báo cáo\n CCHC"
    assert client.get(f"/bao-cao/{report.pk}/tai-ve.docx").status_code == 202  # a draft: queued
    assert run_queued_tasks() == 1
    assert client.get(f"/bao-cao/{report.pk}/tai-ve.docx").status_code == 200
    assert client.get(f"/bao-cao/{report.pk}/excel/tai-ve/").status_code == 200

    Report.objects.filter(pk=report.pk).update(
        state=ReportState.SUBMITTED, submitted_at=timezone.now()
    )
    client.logout()
    login(client, cast.reviewer)
    rollup = client.get("/bang-theo-doi/tong-hop.xlsx", {"period": cast.period.code})
    assert rollup.status_code == 200


def test_a_nul_in_an_explanation_is_dropped_not_a_server_error(cast, report):
    explanations_save(report=report, by=cast.staff, explanations={"canh-bao": "Vì\x00 lý do"})
    assert report.explanations.get(key="canh-bao").text == "Vì lý do"


def test_a_nul_in_a_return_reason_and_a_comment_is_dropped(client, cast, report):
    Report.objects.filter(pk=report.pk).update(
        state=ReportState.SUBMITTED, submitted_at=timezone.now()
    )
    login(client, cast.reviewer)
    response = client.post(
        f"/bao-cao/{report.pk}/nhan-xet/", {"target": "report", "text": "Xem\x00 lại\x0b"}
    )
    assert response.status_code == 302
    assert report.comments.get().text == "Xem lại"
    response = client.post(
        f"/bao-cao/{report.pk}/tham-dinh/", {"decision": "return", "comment": "Sai\x00 số"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED
    assert report.state_changes.last().comment == "Sai số"


# --- aggregates over typed cells -------------------------------------------------------------


def test_the_rollup_sums_table_columns_in_sql_skipping_not_applicable(client, cast, report):
    from openpyxl import load_workbook

    report_save_table(
        by=OPERATOR,
        report=report,
        appendix=appendix(report, "ho_so"),
        rows=[
            {"ten": "A", "tong": 2986670, "dung_han": "/"},
            {"ten": "B", "tong": "/", "dung_han": 7},
            {"ten": "C", "tong": 4},
        ],
        expected=None,
    )
    Report.objects.filter(pk=report.pk).update(
        state=ReportState.SUBMITTED, submitted_at=timezone.now()
    )
    login(client, cast.reviewer)
    response = client.get("/bang-theo-doi/tong-hop.xlsx", {"period": cast.period.code})
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = next(s for s in workbook.worksheets if s.title.startswith("Phụ lục 2"))
    rows = list(sheet.iter_rows(values_only=True))
    header = next(r for r in rows if r[0] == "Đơn vị")
    total = dict(zip(header, rows[-1], strict=True))
    assert rows[-1][0] == "Tổng cộng"
    assert total["Số hồ sơ – Tổng số – (3)"] == 2986674
    assert total["Số hồ sơ – Đúng hạn – (4)"] == 7
    assert total["Tỷ lệ đúng hạn – (5)"] is None  # percentages are not summed


def test_character_references_in_a_section_do_not_smuggle_control_characters(cast, report):
    from reports.services import report_save_section

    outline = report.template_version.outline.first()
    section = report_save_section(
        by=OPERATOR,
        report=report,
        outline=outline,
        html="<p>a&#11;b&#x1b;c\x01d</p>",
        expected=None,
    )
    assert section.content == "<p>a\nbcd</p>"


def test_carrying_a_row_over_rereads_a_column_whose_type_changed():
    from types import SimpleNamespace

    from reports.values import carry_cells

    def col(value_type):
        return SimpleNamespace(value_type=value_type, choices=[])

    old = {"ten": col("text"), "so": col("text"), "ghi": col("text"), "ty_le": col("decimal")}
    new = {"ten": col("text"), "so": col("integer"), "ghi": col("integer"), "ty_le": col("percent")}
    cells = {"ten": "A", "so": "12", "ghi": "mười", "ty_le": Decimal("74.5"), "cu": 1}
    assert carry_cells(old, new, cells) == {"ten": "A", "so": 12, "ty_le": Decimal("74.5")}
