"""The verification core on bytes: every refusal the issue names, with the throwaway CA."""

import hashlib
import io

import pytest
from asn1crypto import crl as asn1_crl
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.validation import DocumentSecurityStore

from signatures import sign
from signatures.throwaway_ca import ThrowawayCA, _now
from signatures.verify import (
    CHANGED_BETWEEN,
    NO_SIGNATURE,
    NOT_FROZEN,
    NOT_PDF,
    Revocation,
    frozen_problem,
    verify_signed_pdf,
)

from .conftest import days
from .pki import sign_with, trust_of


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_valid_signature_over_the_frozen_document_passes(ca, leader_cert, simple_pdf):
    signed = sign_with(simple_pdf, leader_cert)
    result = verify_signed_pdf(signed, trust=trust_of(ca))
    assert result.ok, result.reasons
    [check] = result.signatures
    assert check.signer == "Trần Thị Lãnh Đạo"
    assert "Sở Khoa học và Công nghệ" in check.subject
    assert check.fingerprint == sha(leader_cert.der)
    assert check.revocation == Revocation.NOT_CHECKED  # no CRL anywhere: said, not assumed
    assert frozen_problem(result, {sha(simple_pdf)}) is None


def test_an_installed_crl_that_does_not_list_the_certificate_checks_revocation(
    ca, leader_cert, simple_pdf
):
    result = verify_signed_pdf(sign_with(simple_pdf, leader_cert), trust=trust_of(ca, crls=True))
    assert result.ok, result.reasons
    assert result.signatures[0].revocation == Revocation.GOOD


def test_one_changed_byte_in_the_signed_range_is_refused(ca, leader_cert, simple_pdf):
    signed = bytearray(sign_with(simple_pdf, leader_cert))
    signed[len(simple_pdf) // 2] ^= 0x01
    result = verify_signed_pdf(bytes(signed), trust=trust_of(ca))
    assert not result.ok
    assert "tệp đã bị sửa trong phần đã ký" in " ".join(result.reasons)


def test_a_signature_over_a_different_rendering_does_not_match_the_frozen_document(
    ca, leader_cert, simple_pdf, other_rendering
):
    result = verify_signed_pdf(sign_with(other_rendering, leader_cert), trust=trust_of(ca))
    assert result.ok  # a good signature ...
    assert frozen_problem(result, {sha(simple_pdf)}) == NOT_FROZEN  # ... of something else


def test_an_expired_certificate_is_refused(ca, simple_pdf):
    expired = ca.issue("Người Hết Hạn", not_before=_now() - days(400), not_after=_now() - days(1))
    result = verify_signed_pdf(sign_with(simple_pdf, expired), trust=trust_of(ca))
    assert not result.ok
    assert "đã hết hạn vào thời điểm ký" in " ".join(result.reasons)


def test_a_certificate_revoked_before_signing_is_refused(simple_pdf):
    ca = ThrowawayCA("CA thu hồi")
    revoked = ca.issue("Người Bị Thu Hồi")
    ca.revoke(revoked, at=_now() - days(1))
    result = verify_signed_pdf(sign_with(simple_pdf, revoked), trust=trust_of(ca, crls=True))
    assert not result.ok
    assert "đã bị thu hồi" in " ".join(result.reasons)
    assert result.signatures[0].revocation == Revocation.REVOKED


def test_a_crl_carried_in_the_file_is_used_and_the_archival_update_allowed(simple_pdf):
    ca = ThrowawayCA("CA có CRL trong tệp")
    revoked = ca.issue("Người Bị Thu Hồi")
    ca.revoke(revoked, at=_now() - days(1))
    signed = sign_with(simple_pdf, revoked)
    out = io.BytesIO(signed)
    DocumentSecurityStore.add_dss(
        out, None, crls=[asn1_crl.CertificateList.load(ca.crl())], strict=False
    )
    result = verify_signed_pdf(out.getvalue(), trust=trust_of(ca))  # nothing installed
    assert result.signatures[0].revocation == Revocation.REVOKED
    assert CHANGED_BETWEEN not in result.problems  # the store is an archival update


def test_a_certificate_of_an_untrusted_ca_is_refused(leader_cert, simple_pdf):
    stranger = ThrowawayCA("CA lạ").issue("Trần Thị Lãnh Đạo")
    result = verify_signed_pdf(sign_with(simple_pdf, stranger), trust=trust_of(ThrowawayCA()))
    assert not result.ok
    assert "không thuộc tổ chức chứng thực nào mà cổng tin cậy" in " ".join(result.reasons)


def test_a_second_incremental_update_after_signing_is_refused(ca, leader_cert, simple_pdf):
    signed = sign_with(simple_pdf, leader_cert)
    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    square = writer.add_object(generic.StreamObject(stream_data=b"1 0 0 rg 100 100 80 80 re f"))
    writer.add_stream_to_page(0, square)
    out = io.BytesIO()
    writer.write(out)
    result = verify_signed_pdf(out.getvalue(), trust=trust_of(ca))
    assert not result.ok
    assert "Tệp đã bị sửa sau khi Trần Thị Lãnh Đạo ký" in " ".join(result.reasons)
    assert CHANGED_BETWEEN in result.problems
    assert frozen_problem(result, {sha(simple_pdf)}) is None  # what was signed was frozen


def test_the_signing_copy_and_a_seal_after_the_leader_keep_every_signature_valid(
    ca, leader_cert, simple_pdf
):
    copy = sign.add_signature_fields(
        simple_pdf,
        [
            sign.Placement(sign.LEADER_FIELD, 0, (300, 100, 520, 180)),
            sign.Placement(sign.SEAL_FIELD, 0, (280, 90, 360, 190)),
        ],
    )
    assert copy.startswith(simple_pdf)
    signed = sign_with(copy, leader_cert, field=sign.LEADER_FIELD)
    seal = ca.issue("SỞ KHOA HỌC VÀ CÔNG NGHỆ", organization="UBND tỉnh")
    sealed = sign.sign_pdf(
        signed,
        signer=sign.signer_from_pkcs12(seal.pkcs12(b"mat-khau"), b"mat-khau"),
        field_name=sign.SEAL_FIELD,
        stamp_lines=["SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Thời gian: 06/12/2026 10:00"],
    )
    assert sealed.startswith(signed)
    result = verify_signed_pdf(sealed, trust=trust_of(ca))
    assert result.ok, result.reasons
    signers = [s.signer for s in result.signatures]
    assert signers == ["Trần Thị Lãnh Đạo", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"]
    # The copy with its empty fields is one of the documents the portal made.
    assert frozen_problem(result, {sha(copy)}) is None
    assert frozen_problem(result, {sha(simple_pdf)}) is None


def test_a_wrong_seal_passphrase_is_a_message():
    issued = ThrowawayCA().issue("Cơ quan")
    with pytest.raises(sign.SealError, match="sai mật khẩu"):
        sign.signer_from_pkcs12(issued.pkcs12(b"dung"), b"sai")


@pytest.mark.parametrize("data", [b"", b"not a pdf", b"%PDF-1.7\n%%EOF"])
def test_what_is_not_a_pdf_is_said_so(data):
    assert verify_signed_pdf(data, trust=trust_of()).problems == [NOT_PDF]


def test_an_unsigned_pdf_is_said_so(simple_pdf):
    result = verify_signed_pdf(simple_pdf, trust=trust_of())
    assert result.problems == [NO_SIGNATURE]
    assert not result.ok
