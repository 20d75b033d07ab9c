"""The appendix entry page: what staff see, and that its cost does not grow with the number of
indicators."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.access import OPERATOR
from reports.models import Report, ReportState
from reports.services import report_create
from tests.factories import PASSWORD, make_user


@pytest.fixture
def draft(seed_report):
    """A draft 2022 report of the Sóc Trăng Sở KH&CN; its previous report is the 2021 seed."""
    from org.models import Role, Unit
    from reports.services import period_create

    seed_report("soctrang-2021-y")
    unit = Unit.objects.get(code="soc-trang-skhcn")
    period = period_create(by=OPERATOR, kind="Y", year=2022, is_open=True)
    report = report_create(unit=unit, period=period, by=OPERATOR)
    staff = make_user("st.chuyenvien", Role.STAFF, unit)
    return report, staff


def page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_the_number_of_indicators(client, draft):
    report, staff = draft
    client.login(username=staff.username, password=PASSWORD)
    small_url = f"/bao-cao/{report.pk}/phu-luc/pl1_iso/"  # 9 rows
    large_url = f"/bao-cao/{report.pk}/phu-luc/pl2_thong_ke/"  # 166 rows
    cold = page_queries(client, large_url)  # reads the template's structure and validates
    small, large = page_queries(client, small_url), page_queries(client, large_url)
    assert small == large
    assert large < cold


def test_a_saved_value_changes_the_checks_shown_on_the_next_page_load(client, draft):
    """Page loads read validation from a cache; the save that changes a value renews it."""
    report, staff = draft
    client.login(username=staff.username, password=PASSWORD)
    url = f"/bao-cao/{report.pk}/phu-luc/pl2_thong_ke/"
    planned, done = "pl2_thong_ke-v-so_nv_ke_hoach", "pl2_thong_ke-v-so_nv_hoan_thanh"
    message = "Số nhiệm vụ đã hoàn thành không được vượt số nhiệm vụ đề ra"
    assert message not in client.get(url).text
    version = report.part_versions.get("appendix:pl2_thong_ke", 0)
    assert client.post(url, {planned: "3", done: "5", "part_version": version}).status_code == 302
    assert message in client.get(url).text
    client.post(url, {planned: "5", done: "5", "part_version": version + 1})
    assert message not in client.get(url).text


def test_entry_page_shows_printed_rows_and_previous_values(client, draft):
    report, staff = draft
    client.login(username=staff.username, password=PASSWORD)
    page = client.get(f"/bao-cao/{report.pk}/phu-luc/pl2_thong_ke/").text
    assert "Trực tuyến = 0 Phát phiếu = 1 Kết hợp = 2" in page
    assert "Số nhiệm vụ đề ra trong kế hoạch" in page
    assert "Cột “Kỳ trước” lấy từ báo cáo năm 2021, kèm mức thay đổi" in page
    row = page.split('data-indicator="so_nv_ke_hoach"')[1].split("</tr>")[0]
    assert 'data-previous data-label="Kỳ trước">16</td>' in row
    # The row's history link reads apart from its label: "… kế hoạch lịch sử".
    label_cell = re.sub(r"<[^>]+>", "", row.split("</td>")[1])
    assert re.search(r"trong kế hoạch\s+(\*\s+)?lịch sử", label_cell), label_cell


def test_typed_text_in_a_number_field_is_refused_and_kept(client, draft):
    report, staff = draft
    client.login(username=staff.username, password=PASSWORD)
    url = f"/bao-cao/{report.pk}/phu-luc/pl2_thong_ke/"
    response = client.post(
        url,
        {
            "pl2_thong_ke-v-so_nv_ke_hoach": "mười sáu",
            "pl2_thong_ke-v-so_nv_hoan_thanh": "16",
            "part_version": "0",
        },
    )
    assert response.status_code == 400
    assert 'value="mười sáu"' in response.text
    assert "“mười sáu” không phải là số." in response.text
    stored = report.values.get(indicator__code="so_nv_hoan_thanh")
    assert stored.number == 16  # the valid value next to it was saved


def test_approved_report_entry_page_is_read_only(client, draft):
    report, staff = draft
    Report.objects.filter(pk=report.pk).update(
        state=ReportState.APPROVED, approved_at="2021-07-01T00:00Z"
    )
    client.login(username=staff.username, password=PASSWORD)
    url = f"/bao-cao/{report.pk}/phu-luc/pl2_thong_ke/"
    page = client.get(url).text
    assert 'data-testid="read-view"' in page and 'name="pl2_thong_ke-v-' not in page
    response = client.post(url, {"pl2_thong_ke-v-so_nv_ke_hoach": "1", "part_version": "0"})
    assert response.status_code == 403
    assert not report.values.exists()


def test_a_blank_number_input_shows_no_zero_hint(client, draft):
    """Blank and zero are different answers: an empty number input must not show a grey 0."""
    report, staff = draft
    client.login(username=staff.username, password=PASSWORD)
    page = client.get(f"/bao-cao/{report.pk}/phu-luc/pl2_thong_ke/").text
    number_inputs = re.findall(r'<input[^>]*inputmode="decimal"[^>]*>', page)
    assert number_inputs
    assert not [tag for tag in number_inputs if "placeholder=" in tag]


def delta_queries(client, url, fields: dict, rows: list[str], report) -> int:
    from reports.services import part_version

    appendix = url.rstrip("/").rsplit("/", 1)[1]
    version = part_version(Report.objects.get(pk=report.pk), f"appendix:{appendix}")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            url,
            {"delta": rows, "part_version": version, **fields},
            headers={"X-Autosave": "1", "X-Autosave-Delta": "1"},
        )
    assert response.status_code == 200 and response.json()["saved"]
    return len(queries)


def test_autosave_query_count_does_not_grow_with_the_number_of_indicators(client, draft):
    report, staff = draft
    client.login(username=staff.username, password=PASSWORD)
    small_url = f"/bao-cao/{report.pk}/phu-luc/pl1_iso/"  # 9 rows
    large_url = f"/bao-cao/{report.pk}/phu-luc/pl2_thong_ke/"  # 166 rows
    client.get(small_url), client.get(large_url)  # what an autosave follows: the page loaded
    for number in ("1", "2"):  # the first save creates the value, the second changes it
        small = delta_queries(
            client, small_url, {"pl1_iso-v-iso_kt_xa": number}, ["iso_kt_xa"], report
        )
        large = delta_queries(
            client,
            large_url,
            {"pl2_thong_ke-v-so_nv_ke_hoach": number},
            ["so_nv_ke_hoach"],
            report,
        )
        assert small == large


def test_what_autosaves_keep_in_the_cache_equals_a_fresh_read_of_the_report(client, draft):
    """The page and validation read stored values from a cache that each save updates; after
    a series of saves, indicator and table, they match what the database holds."""
    from django.core.cache import cache

    from reports.selectors import indicator_values, stored_values, table_rows
    from reports.validation import cached_violations, validate_report

    report, staff = draft
    client.login(username=staff.username, password=PASSWORD)
    url = f"/bao-cao/{report.pk}/phu-luc/pl2_thong_ke/"
    client.get(url)
    planned, done = "pl2_thong_ke-v-so_nv_ke_hoach", "pl2_thong_ke-v-so_nv_hoan_thanh"
    delta_queries(
        client, url, {planned: "3", done: "5"}, ["so_nv_ke_hoach", "so_nv_hoan_thanh"], report
    )
    delta_queries(client, url, {"pl2_thong_ke-na-so_nv_ke_hoach": "on"}, ["so_nv_ke_hoach"], report)
    delta_queries(
        client,
        url,
        {done: "4", "pl2_thong_ke-note-so_nv_hoan_thanh": "ghi chú"},
        ["so_nv_hoan_thanh"],
        report,
    )
    typed = {
        "pl2_thong_ke-v-ty_le_tuyen_truyen": "74,5",
        "pl2_thong_ke-v-ke_hoach_cchc": "Kế hoạch số 01/KH-SKHCN ngày 07/01/2022",
        "pl2_thong_ke-v-nhiem_vu_khac": "Rà soát <quy trình> “nội bộ”",
        "pl2_thong_ke-v-co_tuyen_truyen_hop": "1",
    }
    codes = [name.split("-v-")[1] for name in typed]
    delta_queries(client, url, typed, codes, report)
    table_url = f"/bao-cao/{report.pk}/phu-luc/lien_he/"
    client.get(table_url)
    version = Report.objects.get(pk=report.pk).part_versions.get("appendix:lien_he", 0)
    response = client.post(
        table_url,
        {
            "t-lien_he-TOTAL_FORMS": "1",
            "t-lien_he-INITIAL_FORMS": "0",
            "t-lien_he-0-stt": "1",
            "t-lien_he-0-noi_dung": "Đầu mối",
            "t-lien_he-0-ho_ten": "Nguyễn Văn A",
            "t-lien_he-0-ORDER": "1",
            "part_version": version,
        },
        headers={"X-Autosave": "1"},
    )
    assert response.json()["saved"], response.json()
    report = Report.objects.select_related("template_version").get(pk=report.pk)
    cached = stored_values(report)
    shown = cached_violations(report)
    page = client.get(url).text
    assert 'value="4"' in page.split('data-indicator="so_nv_hoan_thanh"')[1].split("</tr>")[0]
    cache.clear()
    assert cached["indicators"] == indicator_values(report)
    assert cached["tables"] == table_rows(report)
    assert cached["tables"]["lien_he"]["rows"]
    assert [v.text for v in shown] == [v.text for v in validate_report(report)]


def test_a_published_appendix_is_rendered_from_one_skeleton_across_page_loads(client, draft):
    """Published versions are frozen: the rows' structure is built once per process."""
    from indicators.forms import entry_skeleton
    from reports.selectors import report_appendices

    report, staff = draft
    client.login(username=staff.username, password=PASSWORD)
    url = f"/bao-cao/{report.pk}/phu-luc/pl2_thong_ke/"
    client.get(url)
    appendix = next(a for a in report_appendices(report) if a.code == "pl2_thong_ke")
    built = entry_skeleton(appendix)
    assert "Số nhiệm vụ đề ra trong kế hoạch" in client.get(url).text
    assert entry_skeleton(appendix) is built
