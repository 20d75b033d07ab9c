"""Registered signers: whose certificate a signature is, and registering one."""

import hashlib
import unicodedata

from asn1crypto import x509 as asn1_x509
from django.db import transaction

from org.permissions import is_admin
from reports.access import OPERATOR, AccessRefused

from .models import SignerCertificate, SubjectRule
from .trust import certificates_from_bytes
from .verify import SignatureCheck, name_text


def normalise(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", str(value)).casefold().split())


def subject_values(certificate_der: bytes) -> dict[str, list[str]]:
    """Each subject attribute's values, normalised (a name may repeat an attribute)."""
    values: dict[str, list[str]] = {}
    for rdn in asn1_x509.Certificate.load(certificate_der).subject.chosen:
        for pair in rdn:
            key = pair["type"].native
            values.setdefault(key, []).append(normalise(pair["value"].native))
    return values


def rules_match(rules: list[SubjectRule], certificate_der: bytes) -> bool:
    if not rules:
        return False
    values = subject_values(certificate_der)
    return all(normalise(rule.value) in values.get(rule.attribute, []) for rule in rules)


def signer_refusal(user, check: SignatureCheck) -> str | None:
    """None when the signature's certificate is registered for `user` (and in use), or its
    subject matches all the rules set for them."""
    registered = SignerCertificate.objects.filter(
        user=user, fingerprint=check.fingerprint, active=True
    ).exists()
    if registered or rules_match(list(user.subject_rules.all()), check.certificate):
        return None
    who = user.get_full_name() or user.username
    return (
        f"Chứng thư số của {check.signer} (số hiệu {check.serial}) chưa được đăng ký cho "
        f"{who}: chữ ký phải là của chính người gửi; quản trị đăng ký chứng thư số hoặc quy "
        "tắc chủ thể cho người ký."
    )


def certificate_fields(data: bytes, name: str = "") -> dict:
    """The model fields of the first certificate in a .cer/.crt/.pem file."""
    certificate = certificates_from_bytes(data, name)[0]
    validity = certificate["tbs_certificate"]["validity"]
    return {
        "certificate": certificate.dump(),
        "fingerprint": hashlib.sha256(certificate.dump()).hexdigest(),
        "subject": name_text(certificate.subject)[:500],
        "issuer": name_text(certificate.issuer)[:500],
        "serial": format(certificate.serial_number, "X")[:80],
        "valid_from": validity["not_before"].native,
        "valid_until": validity["not_after"].native,
    }


@transaction.atomic
def signer_certificate_register(*, user, data: bytes, by, name: str = "") -> SignerCertificate:
    """Register a leader's certificate (no key: the .cer the token's software exports).
    Administrators only; TrustFileError when the file holds no certificate."""
    if by is not OPERATOR and not is_admin(by):
        raise AccessRefused("Chỉ quản trị hệ thống được đăng ký chứng thư số cho người ký.")
    fields = certificate_fields(data, name)
    registration, _created = SignerCertificate.objects.update_or_create(
        user=user,
        fingerprint=fields.pop("fingerprint"),
        defaults={**fields, "active": True, "registered_by": None if by is OPERATOR else by},
    )
    registration.full_clean()
    return registration
