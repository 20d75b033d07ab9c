"""A rule fixed mid-period reaches the drafts: a new version is published from the command line,
open reports move to it by machine code, removed values stay in history, and the workbook the
department downloaded before still uploads when nothing it holds changed."""

import datetime
import io
import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from indicators.models import IndicatorTemplate, TemplateVersion
from indicators.services import spec_from_version, version_import, version_publish
from indicators.spec import AppendixSpec, ColumnSpec, IndicatorSpec, RuleSpec, TemplateSpec
from ops.models import AuditEvent
from reports.access import OPERATOR
from reports.excel import META_SHEET, write_report_workbook
from reports.models import IndicatorValue, Report, ReportState, StateChange, TableRow
from reports.selectors import indicator_values, table_rows
from reports.services import (
    ExcelImportError,
    report_create,
    report_import_workbook,
    report_save_table,
    report_save_values,
)
from tests.factories import PASSWORD, write_sections

CODE = "mau-giua-ky"


def first_spec() -> TemplateSpec:
    return TemplateSpec(
        code=CODE,
        title="Mẫu sửa giữa kỳ",
        period_kinds=["Y"],
        applies_from=datetime.date(2026, 1, 1),
        appendices=[
            AppendixSpec(
                code="pl1",
                name="Phụ lục 1",
                title="THỐNG KÊ",
                kind="indicators",
                indicators=[
                    IndicatorSpec("1", "Số nhiệm vụ", "Nhiệm vụ", "so_nv", "integer"),
                    IndicatorSpec("2", "Số văn bản cũ", "Văn bản", "so_vb_cu", "integer"),
                    IndicatorSpec("3", "Tỷ lệ", "%", "ty_le", "percent"),
                ],
            ),
            AppendixSpec(
                code="ho_so",
                name="Phụ lục 2",
                title="HỒ SƠ",
                kind="table",
                columns=[
                    ColumnSpec("ten", "Tên thủ tục", "text"),
                    ColumnSpec("tong", "Tổng số", "integer"),
                    ColumnSpec("ghi_chu", "Ghi chú cũ", "text"),
                ],
            ),
        ],
        rules=[RuleSpec("ty_le_toi_da", "error", "ty_le <= 100", "Tỷ lệ không quá 100%.")],
    )


NEW_RULE = RuleSpec("so_nv_toi_thieu", "error", "so_nv >= 10", "Phải có ít nhất 10 nhiệm vụ.")


def next_draft(change) -> TemplateVersion:
    """Version 2 of the template: version 1 as exported, changed by `change`."""
    spec = spec_from_version(TemplateVersion.objects.get(template__code=CODE, number=1))
    change(spec)
    return version_import(by=OPERATOR, spec=spec)


def add_rule(spec):
    spec.rules.append(NEW_RULE)


def drop_old_things(spec):
    add_rule(spec)
    spec.appendices[0].indicators = [
        r for r in spec.appendices[0].indicators if r.code != "so_vb_cu"
    ]
    spec.appendices[1].columns = [c for c in spec.appendices[1].columns if c.code != "ghi_chu"]


@pytest.fixture
def v1(cast):
    return version_publish(by=OPERATOR, version=version_import(by=OPERATOR, spec=first_spec()))


def filled(unit, by, period, so_nv=5) -> Report:
    report = report_create(unit=unit, period=period, by=by)
    pl1 = report.template_version.appendices.get(code="pl1")
    values = {"so_nv": (so_nv, ""), "so_vb_cu": (7, "ghi chú"), "ty_le": (90, "")}
    report_save_values(by=OPERATOR, report=report, appendix=pl1, values=values, expected=None)
    ho_so = report.template_version.appendices.get(code="ho_so")
    rows = [{"ten": "Cấp phép", "tong": 3, "ghi_chu": "đã xong"}, {"ten": "Đăng ký", "tong": 4}]
    report_save_table(by=OPERATOR, report=report, appendix=ho_so, rows=rows, expected=None)
    write_sections(report)
    return Report.objects.get(pk=report.pk)


@pytest.fixture
def draft(v1, cast) -> Report:
    return filled(cast.department, cast.staff, cast.period)


@pytest.fixture
def submitted(v1, cast) -> Report:
    report = filled(cast.colleague_department, cast.colleague, cast.period, so_nv=3)
    Report.objects.filter(pk=report.pk).update(state=ReportState.SUBMITTED)
    return Report.objects.get(pk=report.pk)


def test_a_new_rule_published_from_the_command_line_reaches_an_existing_draft(
    draft, submitted, capsys, tmp_path
):
    old_workbook = tmp_path / "v1.xlsx"
    old_workbook.write_bytes(write_report_workbook(draft))
    call_command("validate_report", str(draft.pk))  # version 1: no error, exit code 0
    v2 = next_draft(add_rule)
    capsys.readouterr()

    call_command("publish_template", str(v2.pk))
    out = capsys.readouterr().out
    assert f"Đã công bố “{CODE}” v2." in out
    assert f"1 báo cáo đang mở còn theo phiên bản cũ; chuyển sang “{CODE}” v2 bằng" in out

    call_command("upgrade_reports", CODE)
    out = capsys.readouterr().out
    assert f"Đã chuyển báo cáo {draft.pk} (Sở Khoa học và Công nghệ" in out
    assert f"Đã chuyển 1 báo cáo sang “{CODE}” v2." in out
    draft.refresh_from_db()
    submitted.refresh_from_db()
    assert draft.template_version == v2
    assert submitted.template_version.number == 1  # submitted reports never move
    assert indicator_values(draft)["so_nv"][0] == 5
    assert indicator_values(draft)["so_vb_cu"] == (7, "ghi chú")

    with pytest.raises(SystemExit) as exit_info:
        call_command("validate_report", str(draft.pk), "--json")
    assert exit_info.value.code == 1
    found = json.loads(capsys.readouterr().out)
    assert [v["rule"] for v in found] == ["so_nv_toi_thieu"]
    assert found[0]["values"] == {"so_nv": 5}

    # The workbook downloaded on version 1 still uploads: every code it holds still exists.
    call_command("import_report_values", str(draft.pk), str(old_workbook), "--by", "chuyenvien")
    assert "Đã nhập: 0 chỉ tiêu, 0 dòng bảng thay đổi" in capsys.readouterr().out


def test_values_of_removed_indicators_and_columns_stay_in_history_and_are_listed(
    draft, cast, capsys, client
):
    old_workbook = write_report_workbook(draft)
    v2 = next_draft(drop_old_things)
    call_command("publish_template", str(v2.pk))
    capsys.readouterr()
    call_command("upgrade_reports", CODE, "--by", "quantri")
    out = capsys.readouterr().out
    assert (
        "  giữ trong lịch sử: Phụ lục 1, 2 Số văn bản cũ [so_vb_cu] = 7 (ghi chú: ghi chú)" in out
    )
    assert "  giữ trong lịch sử: Phụ lục 2, dòng 1, cột “Ghi chú cũ” [ghi_chu] = đã xong" in out

    draft.refresh_from_db()
    assert draft.template_version == v2
    assert "so_vb_cu" not in indicator_values(draft)
    rows = table_rows(draft)["ho_so"]["rows"]
    assert rows == [(1, {"ten": "Cấp phép", "tong": 3}), (2, {"ten": "Đăng ký", "tong": 4})]
    deleted = IndicatorValue.history.get(report_id=draft.pk, history_type="-")
    assert deleted.number == 7 and deleted.history_user == cast.admin
    assert deleted.history_change_reason == "Chuyển mẫu v1 → v2"
    moved = TableRow.history.filter(report_id=draft.pk, position=0).order_by("history_id")
    assert moved.first().cells["ghi_chu"] == "đã xong"  # the old cell is in the row's history

    # The overview shows what was kept in history.
    client.login(username="chuyenvien", password=PASSWORD)
    page = client.get(f"/bao-cao/{draft.pk}/").text
    assert "Chuyển sang phiên bản mẫu mới: mẫu “mau-giua-ky” v1 → v2." in page
    assert "Phụ lục 1, 2 Số văn bản cũ [so_vb_cu] = 7" in page

    # A workbook holding a removed code is refused, naming the rows that changed.
    with pytest.raises(ExcelImportError) as refused:
        report_import_workbook(
            by=OPERATOR, report=Report.objects.get(pk=draft.pk), file=old_workbook
        )
    problems = refused.value.problems
    assert problems[0].startswith(f"Tệp này tải về theo phiên bản 1 của mẫu “{CODE}”")
    assert any("mã chỉ tiêu “so_vb_cu” không có trong mẫu" in p for p in problems)
    assert any("mã cột ẩn “ghi_chu” không thuộc bảng" in p for p in problems)


def test_a_version_applying_from_a_later_period_moves_nothing(draft, capsys):
    def from_next_year(spec):
        add_rule(spec)
        spec.applies_from = datetime.date(2027, 1, 1)

    call_command("publish_template", str(next_draft(from_next_year).pk))
    assert "còn theo phiên bản cũ" not in capsys.readouterr().out
    call_command("upgrade_reports", CODE)
    assert f"Đã chuyển 0 báo cáo sang “{CODE}” v2." in capsys.readouterr().out
    draft.refresh_from_db()
    assert draft.template_version.number == 1


def test_a_dry_run_lists_the_moves_and_changes_nothing(draft, capsys):
    v2 = next_draft(drop_old_things)
    call_command("publish_template", str(v2.pk))
    history_rows = IndicatorValue.history.count()
    call_command("upgrade_reports", CODE, "--dry-run")
    out = capsys.readouterr().out
    assert f"Sẽ chuyển báo cáo {draft.pk}" in out
    assert "Sẽ chuyển 1 báo cáo sang “mau-giua-ky” v2. (chạy thử, chưa thay đổi gì)" in out
    draft.refresh_from_db()
    assert draft.template_version.number == 1
    assert indicator_values(draft)["so_vb_cu"][0] == 7
    assert IndicatorValue.history.count() == history_rows
    assert not StateChange.objects.filter(report=draft).exists()


def test_a_workbook_of_another_template_is_still_refused(draft):
    other = first_spec()
    other.code = "mau-khac"
    foreign = version_publish(by=OPERATOR, version=version_import(by=OPERATOR, spec=other))
    workbook = load_workbook(io.BytesIO(write_report_workbook(draft)))
    meta = {row[0].value: row[1] for row in workbook[META_SHEET].iter_rows(max_col=2)}
    meta["phien_ban_id"].value = foreign.pk
    meta["mau"].value = "mau-khac"
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(ExcelImportError) as refused:
        report_import_workbook(by=OPERATOR, report=draft, file=io.BytesIO(out.getvalue()))
    assert "không phải mẫu của báo cáo này" in refused.value.problems[0]


def test_publish_template_refuses_a_published_version_clearly(v1):
    with pytest.raises(CommandError) as refused:
        call_command("publish_template", str(v1.pk))
    assert refused.value.returncode == 1
    assert str(refused.value) == (
        f"Phiên bản “{CODE}” v1 đã công bố; chỉ công bố được bản nháp. Muốn sửa, hãy tạo bản "
        "nháp mới từ phiên bản này."
    )


def test_publish_template_runs_the_same_checks_as_the_button(v1, capsys):
    def break_rule(spec):
        spec.rules.append(RuleSpec("hong", "error", "so_nv >= 1", "x"))

    v2 = next_draft(break_rule)
    # a rule that no longer compiles, as if the structure changed after it was written
    v2.rules.filter(code="hong").update(expression="khong_co_ma > 1")
    with pytest.raises(CommandError, match="Chưa công bố được “mau-giua-ky” v2: 1 lỗi"):
        call_command("publish_template", str(v2.pk))
    assert "khong_co_ma" in capsys.readouterr().err
    v2.refresh_from_db()
    assert v2.is_draft


def test_the_version_page_offers_the_upgrade_after_publishing(draft, submitted, cast, client):
    v2 = next_draft(add_rule)
    client.login(username="quantri", password=PASSWORD)
    client.post(f"/mau/phien-ban/{v2.pk}/cong-bo/")
    page = client.get(f"/mau/phien-ban/{v2.pk}/").text
    assert "1 báo cáo đang lập hoặc bị trả lại còn theo phiên bản cũ" in page
    assert f'href="/mau/phien-ban/{v2.pk}/chuyen-bao-cao/"' in page
    listing = client.get(f"/mau/phien-ban/{v2.pk}/chuyen-bao-cao/").text
    assert f'name="report" value="{draft.pk}"' in listing
    assert f'value="{submitted.pk}"' not in listing  # submitted: stays on its version
    response = client.post(
        f"/mau/phien-ban/{v2.pk}/chuyen-bao-cao/", {"report": [draft.pk]}, follow=True
    )
    assert "Đã chuyển 1 báo cáo sang v2." in response.text
    assert "còn theo phiên bản cũ" not in response.text
    draft.refresh_from_db()
    assert draft.template_version == v2
    change = StateChange.objects.get(report=draft)
    assert change.by == cast.admin


def test_the_upgrade_lists_reports_by_province_and_moves_only_those_kept_ticked(
    draft, cast, client
):
    elsewhere = filled(cast.other_department, cast.outsider_staff, cast.period)
    v2 = next_draft(add_rule)
    version_publish(by=OPERATOR, version=v2)
    client.login(username="quantri", password=PASSWORD)
    url = f"/mau/phien-ban/{v2.pk}/chuyen-bao-cao/"
    listing = client.get(url).text
    # One group per province, each report ticked, nothing moved by opening the page.
    groups = re.findall(r'data-province="([^"]+)"', listing)
    assert sorted(groups) == sorted([cast.province.code, cast.other_province.code])
    assert listing.count('name="report"') == listing.count(" checked>") == 2
    assert Report.objects.filter(template_version=v2).count() == 0
    # Nothing ticked: nothing moves, and the page says so.
    response = client.post(url, {}, follow=True)
    assert "Chưa chọn báo cáo nào" in response.text
    assert Report.objects.filter(template_version=v2).count() == 0
    # Only the other province's report is kept ticked.
    client.post(url, {"report": [elsewhere.pk]})
    draft.refresh_from_db()
    elsewhere.refresh_from_db()
    assert (draft.template_version.number, elsewhere.template_version.number) == (1, 2)
    # A report no longer behind, or never listed, is not moved by a hand-made request.
    client.post(url, {"report": [elsewhere.pk, "abc"]})
    assert StateChange.objects.filter(report=elsewhere).count() == 1
    # One event on the audit page for the one action.
    events = AuditEvent.objects.filter(kind=AuditEvent.Kind.UPGRADE)
    assert [(e.user, e.object_id) for e in events] == [(cast.admin, v2.pk)]
    assert "1 báo cáo" in events[0].detail and cast.other_province.name in events[0].detail


def test_only_administrators_may_upgrade(draft, cast, client):
    v2 = next_draft(add_rule)
    version_publish(by=OPERATOR, version=v2)
    client.login(username="chuyenvien", password=PASSWORD)
    assert client.post(f"/mau/phien-ban/{v2.pk}/chuyen-bao-cao/").status_code == 403
    draft.refresh_from_db()
    assert draft.template_version.number == 1
    assert IndicatorTemplate.objects.get(code=CODE).versions.count() == 2


def test_an_entry_page_opened_before_the_move_still_saves(draft, client):
    opened_at = draft.part_versions["appendix:ho_so"]  # what the open page holds
    version_publish(by=OPERATOR, version=next_draft(drop_old_things))
    call_command("upgrade_reports", CODE)
    client.login(username="chuyenvien", password=PASSWORD)
    data = {
        "t-ho_so-TOTAL_FORMS": "1",
        "t-ho_so-INITIAL_FORMS": "0",
        "t-ho_so-0-ten": "Cấp phép",
        "t-ho_so-0-tong": "8",
        "t-ho_so-0-ghi_chu": "cột đã bỏ",  # the old page still shows it; it is ignored
        "part_version": str(opened_at),
    }
    response = client.post(f"/bao-cao/{draft.pk}/phu-luc/ho_so/", data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert table_rows(draft)["ho_so"]["rows"] == [(1, {"ten": "Cấp phép", "tong": 8})]
