"""The province's own report in the browser: two departments approved, the reviewer compiles,
writes a section with a department's passage ("Chèn"), overrides a value with a note, the
province leader signs, and the PDF names UBND thành phố as issuer."""

import io
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from reports.models import IndicatorValue, Report, ReportState
from tests.browser.conftest import log_in, log_out
from tests.factories import explain_warnings, write_sections
from tests.province.test_province_report import Demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reviewer_compiles_edits_overrides_and_the_leader_signs(page, live_server):
    demo = Demo()
    demo.file("skhcn", 1)
    demo.file("stp", 2, text="<p>Sở Tư pháp đã rà soát <b>12</b> thủ tục hành chính.</p>")

    log_in(page, live_server, demo.reviewer.username)
    page.goto(f"{live_server.url}/bang-theo-doi/?province=can-tho&period=2026-Y")
    page.get_by_test_id("compile-province").click()
    expect(page.get_by_test_id("sources")).to_contain_text("Sở Tư pháp")
    report = Report.objects.get(unit=demo.province)
    row = page.locator("tr[data-code='so_dv_bao_cao']")
    expect(row.get_by_test_id("value")).to_have_text("2")

    # The section: the department's passage, copied into the province's editor.
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/muc/tthc/")
    source = page.locator("[data-source]", has_text="Sở Tư pháp")
    source.locator("summary").click()
    source.get_by_role("button", name="Chèn").click()
    expect(page.get_by_test_id("editor")).to_contain_text("đã rà soát 12 thủ tục")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã lưu")
    section = report.sections.get(outline__code="tthc")
    assert "<b>12</b>" in section.content

    # A compiled value overridden with a note; the breakdown behind another.
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/tinh/")
    row = page.locator("tr[data-code='tthc_moi']")
    row.locator("summary").click()
    row.get_by_label("Số liệu").fill("7")
    row.get_by_label("Lý do điều chỉnh").fill("Theo Quyết định công bố 12/QĐ-UBND")
    row.get_by_role("button", name="Lưu điều chỉnh").click()
    row = page.locator("tr[data-code='tthc_moi']")
    expect(row.get_by_test_id("value")).to_have_text("7")
    expect(row.get_by_test_id("override-note")).to_contain_text("12/QĐ-UBND")
    page.locator("tr[data-code='hs_tiep_nhan_tinh']").get_by_role("link").click()
    expect(page.get_by_test_id("breakdown")).to_contain_text("Sở Khoa học và Công nghệ")
    log_out(page)

    # The leader is told what still blocks signing, before any number or date is asked.
    log_in(page, live_server, demo.signer.username)
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/tinh/")
    page.get_by_test_id("sign-link").click()
    expect(page.get_by_test_id("sign-errors")).to_contain_text("Mục bắt buộc của báo cáo chưa viết")
    expect(page.get_by_test_id("sign-form")).to_have_count(0)

    # Sở Nội vụ writes the other required sections and explains the warnings; the leader signs
    # and sends, dated today; the PDF downloads.
    write_sections(report, by=demo.reviewer)
    explain_warnings(report, by=demo.reviewer)
    today = timezone.localdate().strftime("%d/%m/%Y")
    page.reload()
    page.get_by_label("Số văn bản").fill("15")
    page.get_by_label("Ngày ký").fill(today)
    page.get_by_role("button", name="Ký và ghi nhận đã gửi").click()
    expect(page.get_by_test_id("signed")).to_contain_text(f"15/BC-UBND ngày {today}")
    report.refresh_from_db()
    assert report.state == ReportState.SIGNED
    assert IndicatorValue.objects.get(report=report, indicator__code="tthc_moi").number == 7
    with page.expect_download() as download:
        page.get_by_test_id("pdf-link").click()
    content = Path(download.value.path()).read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    flat = " ".join(text.split())
    assert "ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ" in flat
    assert "Theo Quyết định công bố 12/QĐ-UBND" in flat
