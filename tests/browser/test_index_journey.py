"""The PAR Index journey in Chromium: a department's staff accept two suggested scores, change
one with a reason and attach evidence, the leader submits; the reviewer appraises and returns
one criterion for explanation, the unit answers, the reviewer finalises; the ranking, its chart
and its PDF and Excel appear."""

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from org.permissions import OPERATOR
from parindex.services import criteria_set_import
from parindex.workbook import spec_from_rows
from reports.services import report_create, report_save_values
from reports.services.workflow import report_approve, report_submit
from tests.browser.conftest import log_in, log_out
from tests.factories import write_sections

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def approved_report(cast):
    report = report_create(unit=cast.department, period=cast.period, by=cast.staff)
    pl1 = report.template_version.appendices.get(code="pl1")
    values = {"so_nv": (10, ""), "so_ht": (8, ""), "ct_3": (0, "")}
    report_save_values(report=report, by=cast.staff, appendix=pl1, values=values, expected=None)
    write_sections(report, by=cast.staff)
    report = report_submit(report=report, by=cast.leader)
    return report_approve(report=report, by=cast.reviewer)


def index_set(cast):
    rows = [
        ("1", "Công tác chỉ đạo, điều hành CCHC", "10", "", ""),
        ("1.1", "Mức độ hoàn thành kế hoạch CCHC", "5", "Theo tỷ lệ nhiệm vụ", "so_ht / so_nv"),
        ("1.2", "Không vượt kế hoạch", "3", "", "so_ht <= so_nv"),
        ("1.3", "Tổ chức hội nghị CCHC", "2", "", "ct_3 = 0"),
        ("2", "Cải cách thể chế", "5", "", ""),
        ("2.1", "Rà soát văn bản", "5", "Sở Nội vụ chấm theo văn bản", ""),
    ]
    meta = {"title": "Bộ chỉ số cấp sở", "unit_kind": "department", "year": 2026}
    return criteria_set_import(by=OPERATOR, province=cast.province, spec=spec_from_rows(meta, rows))


def card(page, code):
    return page.locator(f"[data-criterion='{code}']")


def test_index_from_self_assessment_to_ranking(page, live_server, cast, journey_template, tmp_path):
    approved_report(cast)
    criteria_set = index_set(cast)
    evidence = tmp_path / "ke-hoach-cchc.pdf"
    evidence.write_bytes(PDF)

    # Staff start, accept two suggestions, change one with a reason, attach evidence.
    log_in(page, live_server, cast.staff.username)
    page.goto(f"{live_server.url}/chi-so-cchc/")
    page.get_by_role("button", name="Bắt đầu tự chấm").click()
    expect(page.get_by_test_id("state")).to_have_text("Đang tự chấm")
    expect(card(page, "1.1").get_by_test_id("suggested")).to_have_text("4,00")
    card(page, "1.1").get_by_role("button", name="Nhận gợi ý").click()
    expect(card(page, "1.1").get_by_test_id("self-score")).to_have_text("4,00")
    card(page, "1.2").get_by_role("button", name="Nhận gợi ý").click()
    expect(card(page, "1.2").get_by_test_id("self-score")).to_have_text("3,00")
    card(page, "1.3").get_by_label("Điểm", exact=True).fill("1")
    card(page, "1.3").get_by_role("button", name="Lưu").click()
    expect(card(page, "1.3").get_by_test_id("error")).to_contain_text("hãy ghi lý do")
    expect(card(page, "1.3").get_by_label("Điểm", exact=True)).to_have_value("1")
    card(page, "1.3").get_by_label("Lý do (khi khác điểm gợi ý)").fill("Chưa tổ chức hội nghị")
    card(page, "1.3").get_by_role("button", name="Lưu").click()
    expect(card(page, "1.3").get_by_test_id("reason")).to_have_text("Chưa tổ chức hội nghị")
    card(page, "2.1").get_by_label("Điểm", exact=True).fill("4,5")
    card(page, "2.1").get_by_role("button", name="Lưu").click()
    expect(card(page, "2.1").get_by_test_id("self-score")).to_have_text("4,50")
    card(page, "1.1").locator("summary").click()
    card(page, "1.1").get_by_label("Tệp", exact=False).set_input_files(str(evidence))
    card(page, "1.1").get_by_role("button", name="Tải lên").click()
    expect(card(page, "1.1").get_by_test_id("evidence")).to_contain_text("ke-hoach-cchc.pdf")
    expect(page.get_by_test_id("self-total")).to_have_text("12,50")
    expect(page.get_by_test_id("submit")).to_have_count(0)  # staff do not submit
    url = page.url.split("#")[0]
    log_out(page)

    # The leader submits.
    log_in(page, live_server, cast.leader.username)
    page.goto(url)
    page.get_by_role("button", name="Gửi Sở Nội vụ thẩm định").click()
    expect(page.get_by_test_id("state")).to_have_text("Đã gửi thẩm định")
    log_out(page)

    # The reviewer appraises one criterion lower and asks for an explanation.
    log_in(page, live_server, cast.reviewer.username)
    page.goto(url)
    card(page, "1.3").get_by_label("Điểm thẩm định", exact=True).fill("0,5")
    card(page, "1.3").get_by_label("Nhận xét", exact=True).fill("Chưa có văn bản kiểm chứng")
    card(page, "1.3").get_by_label("Yêu cầu giải trình (để trống nếu không)").fill("Nêu rõ lý do")
    card(page, "1.3").get_by_role("button", name="Lưu thẩm định").click()
    expect(card(page, "1.3").get_by_test_id("appraised")).to_have_text("0,50")
    deadline = datetime.date.today() + datetime.timedelta(days=3)
    page.get_by_label("Hạn giải trình", exact=True).fill(deadline.isoformat())
    page.get_by_role("button", name="Yêu cầu giải trình").click()
    expect(page.get_by_test_id("state")).to_have_text("Yêu cầu giải trình")
    log_out(page)

    # The unit answers.
    log_in(page, live_server, cast.staff.username)
    page.goto(url)
    expect(card(page, "1.3").get_by_test_id("asked")).to_contain_text("Nêu rõ lý do")
    card(page, "1.3").get_by_label("Giải trình", exact=True).fill("Hội nghị dời sang quý I năm sau")
    card(page, "1.3").get_by_role("button", name="Lưu giải trình").click()
    page.get_by_role("button", name="Gửi giải trình").click()
    expect(page.get_by_test_id("state")).to_have_text("Đã giải trình")
    log_out(page)

    # The reviewer finalises; the ranking, the chart and the exports appear.
    log_in(page, live_server, cast.reviewer.username)
    page.goto(url)
    page.get_by_role("button", name="Chốt điểm").click()
    expect(page.get_by_test_id("state")).to_have_text("Đã chốt điểm")
    expect(page.get_by_test_id("appraised-total")).to_have_text("12,00")
    expect(page.get_by_test_id("trail")).to_contain_text("Hội nghị dời sang quý I năm sau")
    page.goto(f"{live_server.url}/chi-so-cchc/bo-chi-so/{criteria_set.pk}/ket-qua/")
    row = page.locator(f"[data-unit='{cast.department.code}']")
    expect(row.get_by_test_id("rank")).to_have_text("1/1")
    expect(row.get_by_test_id("total")).to_have_text("12,00")
    expect(page.get_by_test_id("results-chart").locator("svg")).to_be_visible()
    with page.expect_download() as pdf:
        page.get_by_test_id("results-pdf").click()
    assert Path(pdf.value.path()).read_bytes()[:5] == b"%PDF-"
    with page.expect_download() as xlsx:
        page.get_by_test_id("results-xlsx").click()
    assert xlsx.value.suggested_filename.endswith(".xlsx")
