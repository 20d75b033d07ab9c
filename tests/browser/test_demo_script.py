"""`scripts/demo PORT` as a person starts it: the e-mails of the demo's history one line each, the
logins last, and the portal's own Vietnamese pages for a missing page and a refusal (DEBUG off)."""

import re

import pytest

from tests.browser.conftest import log_in
from tests.demo_process import LAST_LOGIN
from tests.english import english_words_in

pytestmark = pytest.mark.browser
MIME_HEADERS = re.compile(r"^(Content-Type|MIME-Version|Content-Transfer-Encoding|Subject):")


def test_the_demo_prints_one_line_per_mail_and_the_logins_last(demo_process):
    output = demo_process.startup_output
    assert LAST_LOGIN in output[-1]
    table = next(i for i, line in enumerate(output) if line.startswith("Tài khoản demo"))
    assert all(line.startswith("  ") for line in output[table + 1 :])
    assert f"http://127.0.0.1:{demo_process.port}/" in output[table - 2]
    assert [line for line in output if MIME_HEADERS.match(line)] == []
    summaries = [line for line in output if line.startswith("✉ ")]
    assert "✉ cantho.thamdinh@demo.invalid — [CCHC] Sở Khoa học và Công nghệ" in summaries[0]
    mails = demo_process.mail_log.read_text(encoding="utf-8")
    assert len(re.findall(r"^Subject: ", mails, flags=re.MULTILINE)) == len(summaries)
    # Every mail links to the demo's own address, which the browser can open.
    links = re.findall(r"^http\S+$", mails, flags=re.MULTILINE)
    assert len(links) == len(summaries)
    assert all(re.fullmatch(rf"{demo_process.url}/bao-cao/\d+/", link) for link in links)


def test_a_missing_page_and_a_refusal_show_the_portals_vietnamese_pages(page, demo_process):
    answer = page.goto(f"{demo_process.url}/khong-co-trang-nay/")
    assert answer.status == 404
    assert page.title() == "404 – Cổng báo cáo CCHC"
    assert english_words_in(page.content()) == []
    log_in(page, demo_process, "cantho.tuphap", "demo12345")
    approved = demo_process.report_id("can-tho", "2026-Q3", "Sở Tư pháp")
    answer = page.goto(f"{demo_process.url}/bao-cao/{approved}/chep-ky-truoc/")
    assert answer.status == 403
    title = page.get_by_test_id("page-title").inner_text()
    assert title == "Bạn không có quyền thực hiện thao tác này."
    assert "không thể chỉnh sửa" in page.get_by_test_id("refusal-reason").inner_text()
    other_province = demo_process.report_id("gia-lai", "2026-Q3", "Sở Tư pháp")
    assert page.goto(f"{demo_process.url}/bao-cao/{other_province}/").status == 404
    assert english_words_in(page.content()) == []
