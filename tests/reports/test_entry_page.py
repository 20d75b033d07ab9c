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
    period = period_create(kind="Y", year=2022, is_open=True)
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
    assert "Cột “Kỳ trước” lấy từ báo cáo năm 2021." in page
    row = page.split('data-indicator="so_nv_ke_hoach"')[1].split("</tr>")[0]
    assert 'data-previous data-label="Kỳ trước">16</td>' in row


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
