"""The leader's upload, seals and receipts through the services, on a real report."""

import hashlib
import io

import pytest
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields

from documents.document import build_document
from documents.pdf import document_pdf
from reports.access import OPERATOR, AccessRefused
from reports.models import Report, ReportState
from reports.services.errors import ReportError
from reports.services.workflow import report_approve
from signatures.models import SealConfig, Signature, SignatureEvent, SignedDocument, SigningRule
from signatures.services import SignatureRefused, frozen_pdf, signed_upload, signing_copy
from signatures.signers import signer_certificate_register
from signatures.trust import installed_trust
from signatures.verify import NOT_FROZEN, verify_signed_pdf

from .pki import sign_with


def copy_bytes(report, by) -> bytes:
    with signing_copy(report=report, by=by).file.open("rb") as handle:
        return handle.read()


def install_seal(settings, ca, unit, *, passphrase=b"mat-khau-dau", written=None):
    folder = settings.SIGNATURE_SEAL_DIR
    folder.mkdir(exist_ok=True)
    issued = ca.issue((unit.header_name or unit.name).upper(), organization=unit.name)
    (folder / f"{unit.code}.p12").write_bytes(issued.pkcs12(passphrase))
    (folder / f"{unit.code}.pass").write_bytes((written or passphrase) + b"\n")
    return SealConfig.objects.create(
        unit=unit, key_file=f"{unit.code}.p12", secret_file=f"{unit.code}.pass"
    )


def test_the_signing_copy_is_the_frozen_pdf_with_fields_at_the_signature_block(sent, cast):
    frozen = frozen_pdf(sent)
    with frozen.file.open("rb") as handle:
        frozen_bytes = handle.read()
    copy = copy_bytes(sent, cast.leader)
    assert copy.startswith(frozen_bytes) and len(copy) > len(frozen_bytes)
    assert hashlib.sha256(frozen_bytes).hexdigest() == frozen.sha256
    fields = {
        name: [float(v) for v in field["/Rect"]]
        for name, _value, ref in enumerate_sig_fields(PdfFileReader(io.BytesIO(copy)))
        for field in [ref.get_object()]
    }
    leader, seal = fields["ChuKyLanhDao"], fields["ChuKyCoQuan"]
    # The person's box is the space left for the signature, under the authority lines: about
    # 28 mm high on the right half of the page; the seal overlaps its left third.
    assert 75 < leader[3] - leader[1] < 85 and leader[0] > 595 / 2 - 40
    assert seal[0] < leader[0] < seal[2] < leader[0] + (leader[2] - leader[0]) / 3 + 1
    assert copy_bytes(sent, cast.leader) == copy  # made once


def test_an_accepted_signature_becomes_the_record_served_as_the_pdf(
    sent, cast, leader_cert, registered, client
):
    signed = sign_with(copy_bytes(sent, cast.leader), leader_cert)
    document = signed_upload(report=sent, by=cast.leader, data=signed, file_name="ky.pdf")
    [signature] = document.signatures.all()
    assert signature.role == Signature.Role.LEADER and signature.user == cast.leader
    assert signature.signer == "Trần Thị Lãnh Đạo"
    assert signature.revocation == "not_checked"
    assert SignatureEvent.objects.get(report=sent).action == SignatureEvent.Action.ACCEPTED
    client.force_login(cast.reviewer)
    response = client.get(reverse("documents:report_pdf", args=[sent.pk]))
    assert b"".join(response.streaming_content) == signed
    page = client.get(reverse("reports:report_detail", args=[sent.pk])).text
    assert "Đã ký số" in page and "Trần Thị Lãnh Đạo" in page


def test_another_persons_certificate_is_refused_and_the_refusal_recorded(
    sent, cast, ca, registered
):
    someone = ca.issue("Người Khác", organization="Sở Khoa học và Công nghệ")
    signed = sign_with(copy_bytes(sent, cast.leader), someone)
    with pytest.raises(SignatureRefused) as refused:
        signed_upload(report=sent, by=cast.leader, data=signed, file_name="nguoi-khac.pdf")
    assert "chưa được đăng ký cho" in " ".join(refused.value.reasons)
    event = SignatureEvent.objects.get(report=sent)
    assert event.action == SignatureEvent.Action.REFUSED and event.file_name == "nguoi-khac.pdf"
    assert event.reasons == refused.value.reasons
    assert not SignedDocument.objects.exists()


def test_subject_rules_stand_in_for_a_registered_certificate(sent, cast, ca):
    from signatures.models import SubjectRule

    cert = ca.issue("Trần  thị lãnh đạo", organization="Sở Khoa học và Công nghệ")
    SubjectRule.objects.create(user=cast.leader, attribute="common_name", value="Trần Thị Lãnh Đạo")
    SubjectRule.objects.create(
        user=cast.leader, attribute="organization_name", value="sở khoa học và công nghệ"
    )
    signed = sign_with(copy_bytes(sent, cast.leader), cert)
    assert signed_upload(report=sent, by=cast.leader, data=signed, file_name="x.pdf")


def test_a_signature_over_another_rendering_is_refused(sent, cast, leader_cert, registered):
    """The report's rows rendered after a change of title (a submitted report itself always
    prints its submission's kept document: documents.frozen): a valid signature over bytes that
    are not the frozen document."""
    frozen_pdf(sent)
    changed = Report.objects.get(pk=sent.pk)
    changed.title = "Trích yếu khác"
    rerendered = sign_with(document_pdf(build_document(changed)), leader_cert)
    with pytest.raises(SignatureRefused) as refused:
        signed_upload(report=sent, by=cast.leader, data=rerendered, file_name="khac.pdf")
    assert refused.value.reasons == [NOT_FROZEN]


def test_only_the_units_leader_signs_and_only_while_the_report_waits(sent, cast, leader_cert):
    data = sign_with(copy_bytes(sent, cast.leader), leader_cert)
    for who in (cast.staff, cast.reviewer, cast.admin):
        with pytest.raises(AccessRefused):
            signed_upload(report=sent, by=who, data=data, file_name="x.pdf")
    approved = report_approve(report=sent, by=cast.reviewer)
    with pytest.raises(AccessRefused, match="chỉ ký số được báo cáo đã gửi"):
        signed_upload(report=approved, by=cast.leader, data=data, file_name="x.pdf")


def test_the_units_seal_follows_the_leader_and_every_signature_stays_valid(
    sent, cast, ca, leader_cert, registered, settings
):
    install_seal(settings, ca, cast.department)
    document = signed_upload(
        report=sent,
        by=cast.leader,
        data=sign_with(copy_bytes(sent, cast.leader), leader_cert),
        file_name="ky.pdf",
    )
    roles = list(document.signatures.values_list("role", "unit"))
    assert roles == [("leader", None), ("seal", cast.department.pk)]
    sealed = document.file.open("rb").read()
    result = verify_signed_pdf(sealed, trust=installed_trust())
    assert result.ok, result.reasons
    assert [s.signer for s in result.signatures][1] == cast.department.header_name.upper()


def test_a_failing_seal_is_recorded_and_the_leaders_signature_stands(
    sent, cast, ca, leader_cert, registered, settings
):
    install_seal(settings, ca, cast.department, written=b"sai-mat-khau")
    document = signed_upload(
        report=sent,
        by=cast.leader,
        data=sign_with(copy_bytes(sent, cast.leader), leader_cert),
        file_name="ky.pdf",
    )
    assert document.signatures.count() == 1
    failed = SignatureEvent.objects.get(report=sent, action=SignatureEvent.Action.SEAL_FAILED)
    assert "sai mật khẩu" in failed.reasons[0]


def test_a_required_signature_blocks_approval_and_the_receipt_follows_it(
    sent, cast, ca, leader_cert, registered, settings, django_capture_on_commit_callbacks
):
    SigningRule.objects.create(province=cast.province, kind=sent.kind, required=True)
    with pytest.raises(ReportError, match="phải có chữ ký số của lãnh đạo"):
        report_approve(report=sent, by=cast.reviewer)
    assert Report.objects.get(pk=sent.pk).state == ReportState.SUBMITTED
    install_seal(settings, ca, cast.home_affairs)
    document = signed_upload(
        report=sent,
        by=cast.leader,
        data=sign_with(copy_bytes(sent, cast.leader), leader_cert),
        file_name="ky.pdf",
    )
    with django_capture_on_commit_callbacks(execute=True):
        report_approve(report=sent, by=cast.reviewer)
    document.refresh_from_db()
    assert list(document.signatures.values_list("role", flat=True)) == ["leader", "receipt"]
    result = verify_signed_pdf(document.file.open("rb").read(), trust=installed_trust())
    assert result.ok, result.reasons
    assert SignatureEvent.objects.filter(report=sent, action="receipt").exists()


def test_registering_a_certificate_is_for_administrators(cast, leader_cert):
    with pytest.raises(AccessRefused):
        signer_certificate_register(user=cast.leader, data=leader_cert.pem, by=cast.leader)


def test_the_province_report_is_signed_by_its_leader_and_sealed_by_ubnd_tinh(
    db, trust_dir, ca, settings
):
    """After "Ký và gửi" in the portal, the province leader signs the frozen PDF; the province
    unit's seal (UBND tỉnh) follows."""
    import datetime

    from province.services import compile_province_report, sign_and_send
    from tests.factories import write_sections
    from tests.province.test_province_report import Demo

    demo = Demo()
    demo.file("skhcn", 1)
    report = compile_province_report(province=demo.province, period=demo.period, by=demo.reviewer)
    with pytest.raises(AccessRefused, match="sau khi lãnh đạo UBND tỉnh bấm"):
        signing_copy(report=report, by=demo.signer)
    write_sections(report, by=demo.reviewer)
    report = sign_and_send(
        report=report, by=demo.signer, number="15", issued_on=datetime.date(2026, 12, 1)
    )
    cert = ca.issue("Phạm Văn Dũng", organization="Ủy ban nhân dân thành phố Cần Thơ")
    signer_certificate_register(user=demo.signer, data=cert.pem, by=OPERATOR)
    install_seal(settings, ca, demo.province)
    with pytest.raises(AccessRefused, match="Chỉ lãnh đạo UBND tỉnh"):
        signing_copy(report=report, by=demo.reviewer)
    signed = sign_with(copy_bytes(report, demo.signer), cert)
    document = signed_upload(report=report, by=demo.signer, data=signed, file_name="tinh.pdf")
    assert list(document.signatures.values_list("role", "unit")) == [
        ("leader", None),
        ("seal", demo.province.pk),
    ]
    assert verify_signed_pdf(document.file.open("rb").read(), trust=installed_trust()).ok
