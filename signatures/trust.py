"""What the portal trusts: certificate files an administrator installs, never a download.

Every certificate in the trust folder is a trust anchor (the Government CA's root and sub-CAs,
the public CAs the province accepts); CRL files there (`*.crl`) are revocation lists the
portal may use offline, beside those a signed file carries itself. docs/signatures.md.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from django.conf import settings

CERTIFICATE_SUFFIXES = {".pem", ".crt", ".cer", ".der"}
CRL_SUFFIXES = {".crl"}
_PEM_BLOCK = re.compile(rb"-----BEGIN ([A-Z0-9 ]+)-----.+?-----END \1-----", re.DOTALL)


class TrustFileError(ValueError):
    """An installed or given trust file that cannot be read; the message names it."""


@dataclass(frozen=True)
class TrustStore:
    roots: tuple[asn1_x509.Certificate, ...] = ()
    crls: tuple[asn1_crl.CertificateList, ...] = ()
    ocsps: tuple[asn1_ocsp.OCSPResponse, ...] = ()

    def __add__(self, other: "TrustStore") -> "TrustStore":
        return TrustStore(
            self.roots + other.roots, self.crls + other.crls, self.ocsps + other.ocsps
        )


def _blocks(data: bytes, kind: str) -> list[bytes]:
    """DER blocks of one kind in a PEM file (several certificates may share one), or the DER
    file itself."""
    if not pem.detect(data):
        return [data]
    found = []
    for match in _PEM_BLOCK.finditer(data):
        block_kind, _headers, der = pem.unarmor(match.group(0))
        if block_kind in (kind, f"X509 {kind}"):
            found.append(der)
    return found


def certificates_from_bytes(data: bytes, name: str = "") -> list[asn1_x509.Certificate]:
    try:
        certificates = [asn1_x509.Certificate.load(der) for der in _blocks(data, "CERTIFICATE")]
        for certificate in certificates:
            certificate.native  # noqa: B018 -- parses it now: a bad file fails here, not later
    except (ValueError, TypeError) as exc:
        raise TrustFileError(f"Không đọc được chứng thư số trong tệp {name}: {exc}") from exc
    if not certificates:
        raise TrustFileError(f"Tệp {name} không có chứng thư số nào.")
    return certificates


def crls_from_bytes(data: bytes, name: str = "") -> list[asn1_crl.CertificateList]:
    try:
        crls = [asn1_crl.CertificateList.load(der) for der in _blocks(data, "CRL")]
        for item in crls:
            item.native  # noqa: B018
    except (ValueError, TypeError) as exc:
        raise TrustFileError(f"Không đọc được danh sách thu hồi trong tệp {name}: {exc}") from exc
    return crls


def trust_from_files(paths: Iterable[Path | str]) -> TrustStore:
    """Certificates (anchors) and CRLs from the given files, by their suffix."""
    roots, crls = [], []
    for path in map(Path, paths):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise TrustFileError(f"Không mở được tệp {path}: {exc.strerror}") from exc
        if path.suffix.lower() in CRL_SUFFIXES:
            crls += crls_from_bytes(data, path.name)
        else:
            roots += certificates_from_bytes(data, path.name)
    return TrustStore(tuple(roots), tuple(crls))


def trust_from_dir(folder: Path | str) -> TrustStore:
    folder = Path(folder)
    if not folder.is_dir():
        return TrustStore()
    wanted = CERTIFICATE_SUFFIXES | CRL_SUFFIXES
    return trust_from_files(
        sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in wanted)
    )


def installed_trust() -> TrustStore:
    """The trust anchors and CRLs installed in SIGNATURE_TRUST_DIR (read on every use: files
    an administrator adds take effect without a restart)."""
    return trust_from_dir(settings.SIGNATURE_TRUST_DIR)
