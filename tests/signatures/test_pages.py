"""The signing page, the verify page and verify_pdf, as their users meet them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from signatures.models import SignatureEvent, SignedDocument
from signatures.services import signing_copy

from .pki import sign_with


def pdf_upload(data: bytes, name: str = "bao-cao-da-ky.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def signed_copy(client, report, cert) -> bytes:
    response = client.get(reverse("signatures:copy", args=[report.pk]))
    assert response.status_code == 200
    return sign_with(b"".join(response.streaming_content), cert)


def test_the_leader_downloads_signs_and_uploads(client, sent, cast, leader_cert, registered):
    client.force_login(cast.leader)
    page = client.get(reverse("signatures:signing", args=[sent.pk])).text
    assert "Tải bản PDF để ký" in page
    data = signed_copy(client, sent, leader_cert)
    response = client.post(
        reverse("signatures:signing", args=[sent.pk]), {"file": pdf_upload(data)}, follow=True
    )
    assert "Đã nhận bản báo cáo đã ký số." in response.text
    assert 'data-testid="signature-state">Đã ký số' in response.text
    assert SignedDocument.objects.get(report=sent).uploaded_by == cast.leader


def test_a_tampered_upload_is_refused_with_its_reason_and_kept_in_the_history(
    client, sent, cast, leader_cert, registered
):
    client.force_login(cast.leader)
    data = bytearray(signed_copy(client, sent, leader_cert))
    data[2000] ^= 0x01
    response = client.post(
        reverse("signatures:signing", args=[sent.pk]), {"file": pdf_upload(bytes(data))}
    )
    assert response.status_code == 400
    assert "tệp đã bị sửa trong phần đã ký" in response.text
    history = client.get(reverse("reports:report_history", args=[sent.pk])).text
    assert "Từ chối bản tải lên" in history and "tệp đã bị sửa trong phần đã ký" in history
    assert not SignedDocument.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        (b"not a pdf", "Tệp này không phải PDF."),
        (b"%PDF-1.7\n%%EOF\n", "Tệp không phải PDF hoặc bị hỏng"),
        (None, "Tệp chưa có chữ ký số nào."),
    ],
)
def test_what_is_not_a_signed_pdf_is_said_so(
    client, sent, cast, registered, simple_pdf, data, message
):
    client.force_login(cast.leader)
    url = reverse("signatures:signing", args=[sent.pk])
    response = client.post(url, {"file": pdf_upload(data or simple_pdf)})
    assert response.status_code == 400 and message in response.text


def test_staff_and_reviewers_may_not_sign(client, sent, cast, leader_cert):
    for who in (cast.staff, cast.reviewer):
        client.force_login(who)
        response = client.get(reverse("signatures:copy", args=[sent.pk]))
        assert response.status_code == 403
        assert "Chỉ lãnh đạo đơn vị lập báo cáo được ký số báo cáo này." in response.text
    client.force_login(cast.outsider_staff)
    assert client.get(reverse("signatures:signing", args=[sent.pk])).status_code == 404


def test_any_reader_checks_a_file_on_the_verify_page(client, sent, cast, leader_cert, registered):
    data = sign_with(signing_copy(report=sent, by=cast.leader).file.open("rb").read(), leader_cert)
    client.force_login(cast.reviewer)
    url = reverse("signatures:verify", args=[sent.pk])
    good = client.post(url, {"file": pdf_upload(data)}).text
    assert "Hợp lệ: mọi chữ ký hợp lệ" in good and "Trần Thị Lãnh Đạo" in good
    broken = bytearray(data)
    broken[1500] ^= 0x01
    bad = client.post(url, {"file": pdf_upload(bytes(broken))}).text
    assert "Không hợp lệ." in bad
    assert not SignatureEvent.objects.exists()  # checking saves nothing


def test_verify_pdf_exits_0_on_the_signed_file_and_1_after_one_changed_byte(
    sent, cast, ca, leader_cert, tmp_path, capsys
):
    copy = signing_copy(report=sent, by=cast.leader).file.open("rb").read()
    signed = sign_with(copy, leader_cert)
    (tmp_path / "ca.pem").write_bytes(ca.pem)
    good = tmp_path / "signed.pdf"
    good.write_bytes(signed)
    call_command("verify_pdf", str(good), "--trust", str(tmp_path / "ca.pem"))
    out = capsys.readouterr().out
    assert f"(mã số {sent.pk}), lần lập 1" in out
    assert "Chữ ký 1: Trần Thị Lãnh Đạo" in out and ": hợp lệ" in out
    assert "Kết quả: HỢP LỆ" in out
    broken = bytearray(signed)
    broken[len(copy) // 3] ^= 0x01  # inside the signed range
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(bytes(broken))
    with pytest.raises(SystemExit) as exit_:
        call_command("verify_pdf", str(bad), "--trust", str(tmp_path / "ca.pem"))
    assert exit_.value.code == 1
    assert "Kết quả: KHÔNG HỢP LỆ" in capsys.readouterr().out


def test_verify_pdf_without_the_ca_says_the_certificate_is_not_trusted(
    sent, cast, leader_cert, tmp_path, capsys, settings
):
    settings.SIGNATURE_TRUST_DIR = tmp_path / "empty"
    path = tmp_path / "signed.pdf"
    path.write_bytes(
        sign_with(signing_copy(report=sent, by=cast.leader).file.open("rb").read(), leader_cert)
    )
    with pytest.raises(SystemExit):
        call_command("verify_pdf", str(path))
    assert "không thuộc tổ chức chứng thực nào mà cổng tin cậy" in capsys.readouterr().out
