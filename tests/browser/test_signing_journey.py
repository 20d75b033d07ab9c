"""Issue 26's journey in Chromium: the leader downloads the frozen PDF, a test signer
(pyHanko, as the leader's own software) signs it; a tampered upload is refused with its
reason, the signed one accepted; the reviewer sees "Đã ký số" with the signer."""

import pytest
from playwright.sync_api import expect

from signatures.models import SignedDocument
from signatures.signers import signer_certificate_register
from signatures.throwaway_ca import ThrowawayCA
from tests.browser.conftest import log_in, log_out
from tests.browser.test_review_journey import submitted_report
from tests.signatures.pki import sign_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_signs_the_frozen_pdf_and_the_reviewer_sees_it(
    page, live_server, cast, journey_template, settings, tmp_path
):
    ca = ThrowawayCA("CA của bài kiểm thử trình duyệt")
    (tmp_path / "trust").mkdir()
    (tmp_path / "trust" / "ca.pem").write_bytes(ca.pem)
    settings.SIGNATURE_TRUST_DIR = tmp_path / "trust"
    settings.MEDIA_ROOT = tmp_path / "media"
    cert = ca.issue("Nguyễn Văn Lãnh Đạo", organization="Sở Khoa học và Công nghệ")
    signer_certificate_register(user=cast.leader, data=cert.pem, by=cast.admin)
    report = submitted_report(cast)

    log_in(page, live_server, cast.leader.username)
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/")
    page.get_by_role("link", name="Ký số báo cáo…").click()
    with page.expect_download() as download:
        page.get_by_test_id("download-copy").click()
    copy = tmp_path / "de-ky.pdf"
    download.value.save_as(copy)
    signed = sign_with(copy.read_bytes(), cert)

    tampered = bytearray(signed)
    tampered[len(signed) // 4] ^= 0x01
    (tmp_path / "da-sua.pdf").write_bytes(bytes(tampered))
    page.get_by_label("Tệp PDF đã ký số").set_input_files(tmp_path / "da-sua.pdf")
    page.get_by_role("button", name="Gửi bản đã ký").click()
    expect(page.get_by_test_id("refusal-reasons")).to_contain_text("tệp đã bị sửa trong phần đã ký")
    assert not SignedDocument.objects.exists()

    (tmp_path / "da-ky.pdf").write_bytes(signed)
    page.get_by_label("Tệp PDF đã ký số").set_input_files(tmp_path / "da-ky.pdf")
    page.get_by_role("button", name="Gửi bản đã ký").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã nhận bản báo cáo đã ký số.")
    expect(page.get_by_test_id("signature-state")).to_have_text("Đã ký số")
    expect(page.get_by_test_id("signature-events")).to_contain_text("Từ chối bản tải lên")
    log_out(page)

    log_in(page, live_server, cast.reviewer.username)
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/")
    panel = page.get_by_test_id("signature-panel")
    expect(panel).to_contain_text("Đã ký số")
    expect(panel).to_contain_text("Nguyễn Văn Lãnh Đạo")
    page.get_by_role("link", name="Ký số", exact=True).click()
    expect(page.get_by_test_id("signatures")).to_contain_text("Nguyễn Văn Lãnh Đạo")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải bản PDF đã ký").click()
    assert download.value.path().read_bytes() == signed
