"""Validation of whole reports: the seeds' real contradictions are caught, consistent ones
raise no false alarm, and the command prints them."""

import json

import pytest
from django.core.management import call_command

from reports.validation import ERROR, validate_report


def errors(report):
    return [v for v in validate_report(report) if v.severity == ERROR]


def test_consistent_soc_trang_appendix_raises_no_alarm(seed_report):
    report = seed_report("soctrang-2021-y")
    assert validate_report(report) == []


def test_ba_ria_vung_tau_contradictions_are_each_reported(seed_report):
    report = seed_report("brvt-2019-y")
    found = errors(report)
    balance = [v for v in found if v.code == "xlhs_can_doi"]
    # Rows 11-15 received dossiers but printed no result: (4) != (7) + (10).
    assert sorted(v.row for v in balance) == [11, 12, 13, 14, 15]
    assert balance[0].seen["xu_ly_ho_so[11].c4"] == 2
    totals = {v.code for v in found if v.code.startswith("xlhs_tong_")}
    assert "xlhs_tong_c4" in totals  # printed 466, rows add up to 477
    total_c4 = next(v for v in found if v.code == "xlhs_tong_c4")
    assert 466 in total_c4.seen.values() and 477 in total_c4.seen.values()


def test_quang_tri_task_rows_without_exactly_one_mark_are_reported(seed_report):
    report = seed_report("quangtri-2020-y")
    rows = sorted(v.row for v in errors(report) if v.code == "mot_muc_danh_gia")
    assert rows == [10, 34]


def test_validate_report_command_prints_json_and_fails_on_errors(seed_report, capsys):
    report = seed_report("brvt-2019-y")
    with pytest.raises(SystemExit) as exit_info:
        call_command("validate_report", str(report.pk), "--json")
    assert exit_info.value.code == 1
    payload = json.loads(capsys.readouterr().out)
    first = next(v for v in payload if v["rule"] == "xlhs_can_doi")
    assert first["severity"] == "error"
    assert first["row"] == 11
    assert {"table": "xu_ly_ho_so", "row": 11, "column": "c4"} in first["cells"]
    assert first["values"]["xu_ly_ho_so[11].c4"] == 2


def test_validate_report_command_prints_each_violation_in_words(seed_report, capsys):
    report = seed_report("brvt-2019-y")
    with pytest.raises(SystemExit):
        call_command("validate_report", str(report.pk))
    lines = capsys.readouterr().out.splitlines()
    assert (
        "Lỗi: Hồ sơ theo lĩnh vực, dòng 11: Số hồ sơ nhận giải quyết (4) phải bằng số đã giải "
        "quyết (7) cộng số đang giải quyết (10) — cột (4) “Số hồ sơ nhận giải quyết – Tổng số”: 2; "
        "cột (7) “Kết quả giải quyết – Tổng số”: (trống); "
        "cột (10) “Số hồ sơ đang giải quyết – Tổng số”: (trống)"
    ) in lines
    assert (
        "Lỗi: Dòng Tổng cộng cột (4) phải bằng tổng các dòng — Hồ sơ theo lĩnh vực, dòng Tổng "
        "cộng, cột (4) “Số hồ sơ nhận giải quyết – Tổng số”: 466; Tổng cột (4) “Số hồ sơ nhận "
        "giải quyết – Tổng số” của Hồ sơ theo lĩnh vực: 477"
    ) in lines
    # and the two required sections the paper report did not have (filed before the portal)
    assert "Lỗi: Mục III.2. Tồn tại, hạn chế: Mục bắt buộc của báo cáo chưa viết." in lines
    assert lines[-1] == "11 lỗi, 0 cảnh báo/ghi chú"


def test_validate_report_command_exits_zero_on_a_clean_report(seed_report, capsys):
    report = seed_report("soctrang-2021-y")
    call_command("validate_report", str(report.pk), "--json")
    assert json.loads(capsys.readouterr().out) == []


def test_validate_report_command_refuses_an_unknown_report(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Không có báo cáo số 999999"):
        call_command("validate_report", "999999")


def test_summary_page_links_each_violation_to_its_field(seed_report, client):
    from org.models import Role, Unit
    from tests.factories import PASSWORD, make_user

    report = seed_report("brvt-2019-y")
    reviewer = make_user("hcm.thamdinh", Role.REVIEWER, Unit.objects.get(code="ho-chi-minh-snv"))
    client.login(username=reviewer.username, password=PASSWORD)
    page = client.get(f"/bao-cao/{report.pk}/kiem-tra/").text
    assert "Số hồ sơ nhận giải quyết (4) phải bằng" in page
    assert f"/bao-cao/{report.pk}/phu-luc/xu_ly_ho_so/#id_t-xu_ly_ho_so-10-c4" in page


def test_json_values_are_json_numbers_and_iso_dates():
    import datetime
    from decimal import Decimal

    from indicators.types import NOT_APPLICABLE
    from reports.validation import Violation

    seen = {
        "a": Decimal("100"),
        "b": Decimal("1E+2"),
        "c": Decimal("74.720000"),
        "d": datetime.date(2022, 6, 15),
        "e": NOT_APPLICABLE,
        "f": None,
    }
    text = json.dumps(Violation("r", ERROR, "m", seen=seen).as_json())
    assert '"a": 100,' in text and '"b": 100,' in text and '"c": 74.72,' in text
    assert json.loads(text)["values"] == {
        "a": 100,
        "b": 100,
        "c": 74.72,
        "d": "2022-06-15",
        "e": "/",
        "f": None,
    }


def test_json_of_a_rule_reading_an_indicator_and_table_cells_names_both():
    from reports.validation import Violation

    refs = ("ty_le", ("ho_so", 2, "ty_le"), ("ho_so", 3, "ty_le"))
    data = Violation("tl", ERROR, "m", refs=refs).as_json()
    assert data["indicators"] == ["ty_le"]
    assert data["cells"] == [
        {"table": "ho_so", "row": 2, "column": "ty_le"},
        {"table": "ho_so", "row": 3, "column": "ty_le"},
    ]


def test_what_a_rule_saw_is_named_for_people():
    from types import SimpleNamespace as Row

    from reports.validation import Names

    rows = [Row(stt="1", label="Số nhiệm vụ", level=1, code="so_nv", value_type="integer")]
    columns = [Row(code="c4", number="(4)", group="Hồ sơ", header="Tổng số", value_type="integer")]
    for item in rows + columns:
        item.choices = []
    names = Names(
        [
            Row(is_table=False, code="pl1", name="Phụ lục 1", indicators=Row(all=lambda: rows)),
            Row(is_table=True, code="hs", name="Phụ lục 2", columns=Row(all=lambda: columns)),
        ]
    )
    column = "cột (4) “Hồ sơ – Tổng số”"
    assert {
        seen: names.describe(seen, row=3)[0]
        for seen in [
            "so_nv",
            "prev(so_nv)",
            "hs[3].c4",
            "hs[4].c4",
            "sum(hs.c4)",
            "total(hs.c4)",
            "count(hs)",
            "last(sum(hs.c4))",
            "so_nv / count(hs)",
        ]
    } == {
        "so_nv": "1. Số nhiệm vụ",
        "prev(so_nv)": "1. Số nhiệm vụ (kỳ trước)",
        "hs[3].c4": column,
        "hs[4].c4": f"Phụ lục 2, dòng 4, {column}",
        "sum(hs.c4)": f"Tổng {column} của Phụ lục 2",
        "total(hs.c4)": f"Phụ lục 2, dòng Tổng cộng, {column}",
        "count(hs)": "Số dòng của Phụ lục 2",
        "last(sum(hs.c4))": f"Tổng {column} của Phụ lục 2 (báo cáo gần nhất trước đó)",
        "so_nv / count(hs)": "1. Số nhiệm vụ / số dòng của Phụ lục 2",
    }
