"""Verifying a signed PDF: plain functions from bytes and a trust store to a result.

No database here: `verify_signed_pdf` says whether every signature in the file is intact,
valid, trusted, unrevoked and followed by nothing but signatures, and lists the revision
boundaries before the first signature with their SHA-256, so that a caller holding the frozen
documents can tell which one was signed (`frozen_problem`). Reasons are Vietnamese sentences
shown as they are on pages, in the history and by `manage.py verify_pdf`.
"""

import contextlib
import datetime
import hashlib
import io
import logging
from dataclasses import dataclass, field

from asn1crypto import x509 as asn1_x509
from django.utils import timezone
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, ModificationLevel
from pyhanko.sign.diff_analysis.policy_api import DiffResult
from pyhanko.sign.general import find_unique_cms_attribute
from pyhanko.sign.validation import (
    DocumentSecurityStore,
    SignatureCoverageLevel,
    validate_pdf_signature,
)
from pyhanko.sign.validation.errors import NoDSSFoundError
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.policy_decl import (
    CertRevTrustPolicy,
    RevocationCheckingPolicy,
    RevocationCheckingRule,
)

from lib.event_loop import outside_event_loop

from .trust import TrustStore

logger = logging.getLogger("cchc.signatures")
# pyHanko logs each refused certificate path at WARNING: here that is an answer, not a fault.
logging.getLogger("pyhanko.sign.validation").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.WARNING)


class Revocation:
    """What the portal knew about revocation when it checked a certificate."""

    GOOD = "good"  # a CRL or OCSP response covering the signing time says it was not revoked
    REVOKED = "revoked"
    NOT_CHECKED = "not_checked"  # neither in the file nor installed: "chưa kiểm tra"

    LABELS = {
        GOOD: "Còn hiệu lực (đã kiểm tra danh sách thu hồi)",
        REVOKED: "Đã bị thu hồi",
        NOT_CHECKED: "Chưa kiểm tra (không có CRL/OCSP trong tệp hay trên máy chủ)",
    }


# Problems of the whole file.
NOT_PDF = "Tệp không phải PDF hoặc bị hỏng, không đọc được."
ENCRYPTED = "Tệp PDF đặt mật khẩu; hãy tải lên bản không đặt mật khẩu."
NO_SIGNATURE = "Tệp chưa có chữ ký số nào."
CHANGED_BETWEEN = "Tệp đã bị sửa sau khi ký: có thay đổi không phải chữ ký số."
NOT_FROZEN = (
    "Nội dung đã ký không phải bản báo cáo đã chốt trên cổng "
    "(mã SHA-256 của bản gốc trong tệp khác bản đã chốt)."
)

# Key usages a signing certificate may carry (VGCA's carry both).
_KEY_USAGE = KeyUsageConstraints(
    key_usage={"non_repudiation", "digital_signature"}, match_all_key_usages=False
)


def when(moment: datetime.datetime | None) -> str:
    """ "14:05 ngày 06/12/2026" in Vietnam's time, for messages."""
    return timezone.localtime(moment).strftime("%H:%M ngày %d/%m/%Y") if moment else "không rõ"


@dataclass(frozen=True)
class Prefix:
    """The file up to the end of one revision before the first signature."""

    revision: int
    length: int
    sha256: str


@dataclass
class SignatureCheck:
    field_name: str
    revision: int
    signer: str  # the certificate's common name
    subject: str
    issuer: str
    issuer_name: str  # the issuer's common name
    serial: str
    fingerprint: str  # SHA-256 of the certificate (DER), hex
    certificate: bytes  # DER
    valid_from: datetime.datetime
    valid_until: datetime.datetime
    signed_at: datetime.datetime | None
    timestamped: bool  # signed_at comes from a time-stamp token, not the signer's clock
    revocation: str = Revocation.NOT_CHECKED
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def revocation_label(self) -> str:
        return Revocation.LABELS[self.revocation]

    @property
    def status(self) -> str:
        return "hợp lệ" if self.ok else "không hợp lệ: " + " ".join(self.problems)


@dataclass
class Verification:
    signatures: list[SignatureCheck] = field(default_factory=list)
    prefixes: list[Prefix] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # of the file as a whole

    @property
    def ok(self) -> bool:
        return bool(self.signatures) and not self.problems and all(s.ok for s in self.signatures)

    @property
    def reasons(self) -> list[str]:
        return self.problems + [r for s in self.signatures for r in s.problems]


def _reader(data: bytes) -> PdfFileReader:
    return PdfFileReader(io.BytesIO(data), strict=False)


def revision_end(data: bytes, reader: PdfFileReader, revision: int) -> int:
    """Where a revision ends in the file: after the %%EOF that closes it and its line end."""
    start = reader.xrefs.get_startxref_for_revision(revision)
    end = data.find(b"%%EOF", start)
    if end < 0:
        raise PdfError("no %%EOF after the revision's startxref")
    end += len(b"%%EOF")
    while end < len(data) and data[end : end + 1] in (b"\r", b"\n"):
        end += 1
    return end


_SHORT = {
    "common_name": "CN",
    "organizational_unit_name": "OU",
    "organization_name": "O",
    "locality_name": "L",
    "state_or_province_name": "ST",
    "country_name": "C",
    "serial_number": "serialNumber",
    "user_id": "UID",
    "email_address": "E",
}


def name_text(name: asn1_x509.Name) -> str:
    """ "CN=Nguyễn Văn An, O=Sở …, C=VN": the standard short labels, in no language."""
    parts = []
    for rdn in name.chosen:
        for pair in rdn:
            key = pair["type"].native
            parts.append(f"{_SHORT.get(key, key)}={pair['value'].native}")
    return ", ".join(parts)


def common_name(name: asn1_x509.Name) -> str:
    value = name.native.get("common_name", "")
    return (value[-1] if isinstance(value, list) else value) or name_text(name)


def _signing_moment(embedded) -> tuple[datetime.datetime | None, bool]:
    """The time-stamp token's time when there is one, else the time the signer claims."""
    try:
        token = find_unique_cms_attribute(
            embedded.signer_info["unsigned_attrs"], "signature_time_stamp_token"
        )
        info = token["content"]["encap_content_info"]["content"].parsed
        return info["gen_time"].native, True
    except Exception:  # noqa: BLE001 -- no token, or one we cannot read: fall back
        return embedded.self_reported_timestamp, False


def _embedded_revinfo(reader: PdfFileReader, embedded) -> tuple[list, list, list]:
    """CRLs, OCSP responses and certificates the file carries: in the signature (Adobe's
    revocation archive attribute, the CMS crls) and in the document security store."""
    crls, ocsps, certs = [], [], []
    with contextlib.suppress(Exception):  # the attribute is optional
        archive = find_unique_cms_attribute(
            embedded.signer_info["signed_attrs"], "adobe_revocation_info_archival"
        )
        crls += list(archive["crl"] or [])
        ocsps += list(archive["ocsp"] or [])
    for choice in embedded.signed_data["crls"] or []:
        if choice.name == "crl":
            crls.append(choice.chosen)
    try:
        dss = DocumentSecurityStore.read_dss(reader)
        context = dss.as_validation_context({"trust_roots": []})
        crls += list(context.revinfo_manager.crls)
        ocsps += list(context.revinfo_manager.ocsps)
        certs += list(dss.load_certs())
    except NoDSSFoundError:
        pass
    return crls, ocsps, certs


def _context(trust: TrustStore, revinfo, moment, *, require_revinfo: bool) -> ValidationContext:
    crls, ocsps, certs = revinfo
    ee_rule = (
        RevocationCheckingRule.CRL_OR_OCSP_REQUIRED
        if require_revinfo
        else RevocationCheckingRule.CHECK_IF_DECLARED_SOFT
    )
    return ValidationContext(
        trust_roots=list(trust.roots),
        other_certs=certs,
        crls=list(trust.crls) + crls,
        ocsps=list(trust.ocsps) + ocsps,
        moment=moment,
        allow_fetching=False,  # never a download at run time
        # A list issued after signing that does not name the certificate proves it was good
        # when signed; one that names it revoked from a later date does not condemn it.
        retroactive_revinfo=True,
        revinfo_policy=CertRevTrustPolicy(
            RevocationCheckingPolicy(ee_rule, RevocationCheckingRule.CHECK_IF_DECLARED_SOFT)
        ),
    )


_NO_REVINFO = {
    AdESIndeterminate.TRY_LATER,
    AdESIndeterminate.REVOCATION_OUT_OF_BOUNDS_NO_POE,
    AdESIndeterminate.CERTIFICATE_CHAIN_GENERAL_FAILURE,
}


def _trust_problem(check: SignatureCheck, status) -> str | None:
    indic = status.trust_problem_indic
    if status.trusted:
        return None
    if status.revoked or indic in (AdESFailure.REVOKED, AdESIndeterminate.REVOKED_NO_POE):
        details = status.revocation_details
        since = when(getattr(details, "revocation_date", None)) if details else "không rõ"
        return f"Chứng thư số của {check.signer} đã bị thu hồi (từ {since}) trước khi ký."
    if indic in (AdESIndeterminate.EXPIRED, AdESIndeterminate.OUT_OF_BOUNDS_NO_POE):
        return (
            f"Chứng thư số của {check.signer} đã hết hạn vào thời điểm ký "
            f"(hết hạn {when(check.valid_until)}, ký {when(check.signed_at)})."
        )
    if indic in (AdESFailure.NOT_YET_VALID, AdESIndeterminate.NOT_YET_VALID):
        return (
            f"Chứng thư số của {check.signer} chưa có hiệu lực vào thời điểm ký "
            f"(có hiệu lực từ {when(check.valid_from)})."
        )
    if indic == AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND:
        return (
            f"Chứng thư số của {check.signer} do “{check.issuer_name}” cấp, không thuộc tổ chức "
            "chứng thực nào mà cổng tin cậy (quản trị chưa cài chứng thư gốc của tổ chức này)."
        )
    if indic == AdESIndeterminate.SIG_CONSTRAINTS_FAILURE:
        return f"Chứng thư số của {check.signer} không được cấp để ký văn bản."
    name = indic.name if indic else "không rõ"
    return f"Không xác thực được chứng thư số của {check.signer} ({name})."


def _check(reader: PdfFileReader, embedded, trust: TrustStore) -> SignatureCheck:
    certificate = embedded.signer_cert
    validity = certificate["tbs_certificate"]["validity"]
    signed_at, timestamped = _signing_moment(embedded)
    check = SignatureCheck(
        field_name=embedded.field_name,
        revision=embedded.signed_revision,
        signer=common_name(certificate.subject),
        subject=name_text(certificate.subject),
        issuer=name_text(certificate.issuer),
        issuer_name=common_name(certificate.issuer),
        serial=format(certificate.serial_number, "X"),
        fingerprint=hashlib.sha256(certificate.dump()).hexdigest(),
        certificate=certificate.dump(),
        valid_from=validity["not_before"].native,
        valid_until=validity["not_after"].native,
        signed_at=signed_at,
        timestamped=timestamped,
    )
    moment = signed_at or timezone.now()
    revinfo = _embedded_revinfo(reader, embedded)
    status = validate_pdf_signature(
        embedded,
        _context(trust, revinfo, moment, require_revinfo=True),
        key_usage_settings=_KEY_USAGE,
    )
    if status.trusted:
        check.revocation = Revocation.GOOD
    elif status.revoked:
        check.revocation = Revocation.REVOKED
    elif status.trust_problem_indic in _NO_REVINFO:
        # Nothing to check revocation against: validate without it, and say so.
        status = validate_pdf_signature(
            embedded,
            _context(trust, revinfo, moment, require_revinfo=False),
            key_usage_settings=_KEY_USAGE,
        )
    if not status.intact:
        check.problems.append(
            f"Chữ ký số của {check.signer} không khớp với nội dung: tệp đã bị sửa trong phần đã ký."
        )
        return check
    if not status.valid:
        check.problems.append(f"Chữ ký số của {check.signer} không hợp lệ về mặt mật mã.")
        return check
    problem = _trust_problem(check, status)
    if problem:
        check.problems.append(problem)
    if status.coverage not in (
        SignatureCoverageLevel.ENTIRE_FILE,
        SignatureCoverageLevel.ENTIRE_REVISION,
    ):
        check.problems.append(
            f"Chữ ký số của {check.signer} không phủ trọn một bản của tệp (vùng ký bất thường)."
        )
    elif not _allowed_after(status.diff_result, ModificationLevel.FORM_FILLING):
        check.problems.append(
            f"Tệp đã bị sửa sau khi {check.signer} ký (thay đổi không phải chữ ký số)."
        )
    return check


def _allowed_after(diff_result, level: ModificationLevel) -> bool:
    return isinstance(diff_result, DiffResult) and diff_result.modification_level <= level


def _review(data: bytes, *, base: int, end: int, level: ModificationLevel) -> bool:
    """Whether the revisions after `base` up to the file's byte `end` change no more than
    `level` allows (pyHanko's difference policy, on the file cut at `end`)."""
    try:
        result = DEFAULT_DIFF_POLICY.review_file(_reader(data[:end]), base)
    except Exception:  # noqa: BLE001 -- anything pyHanko cannot judge is not allowed
        logger.warning("difference review failed", exc_info=True)
        return False
    return _allowed_after(result, level)


def _unsigned_runs(signed: list[int], total: int) -> list[tuple[int, int]]:
    """(last signed revision, last revision of the run) for each run of revisions after the
    first signature that no signature covers as its own."""
    runs, start = [], None
    for revision in range(signed[0] + 1, total):
        if revision in signed:
            if start is not None:
                runs.append((start - 1, revision - 1))
                start = None
        elif start is None:
            start = revision
    if start is not None:
        runs.append((start - 1, total - 1))
    return runs


@outside_event_loop  # pyHanko validates through asyncio.run
def verify_signed_pdf(data: bytes, *, trust: TrustStore) -> Verification:
    """Check every signature of a PDF against `trust`; see the module's docstring."""
    result = Verification()
    try:
        reader = _reader(data)
        if reader.encrypted:
            result.problems.append(ENCRYPTED)
            return result
        embedded = list(reader.embedded_regular_signatures)
    except Exception:  # noqa: BLE001 -- whatever the bytes are, the answer is "not a PDF"
        result.problems.append(NOT_PDF)
        return result
    if not embedded:
        result.problems.append(NO_SIGNATURE)
        return result
    try:
        embedded.sort(key=lambda e: e.signed_revision)
        first = embedded[0].signed_revision
        for revision in range(first):
            end = revision_end(data, reader, revision)
            digest = hashlib.sha256(data[:end]).hexdigest()
            result.prefixes.append(Prefix(revision, end, digest))
        for item in embedded:
            result.signatures.append(_check(reader, item, trust))
        signed = [e.signed_revision for e in embedded]
        total = reader.xrefs.total_revisions
        for base, last in _unsigned_runs(signed, total):
            # Only archival updates (revocation data, time-stamps) may stand unsigned.
            end = revision_end(data, reader, last)
            if not _review(data, base=base, end=end, level=ModificationLevel.LTA_UPDATES):
                result.problems.append(CHANGED_BETWEEN)
                break
    except Exception:  # noqa: BLE001 -- a malformed signature or structure
        logger.warning("signature check failed", exc_info=True)
        result.problems.append(NOT_PDF)
    return result


def frozen_problem(verification: Verification, accepted: set[str]) -> str | None:
    """None when the first signature was made over a document the portal made: the file up
    to the end of one of its revisions has one of the `accepted` SHA-256 (the frozen document,
    or its signing copy with empty signature fields)."""
    if any(p.sha256 in accepted for p in verification.prefixes):
        return None
    return NOT_FROZEN
