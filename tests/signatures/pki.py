"""The tests' own PKI and signer: a throwaway CA, people's certificates, and pyHanko signing
as a leader's software would (independent of the portal's own signing code)."""

import io

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from lib.event_loop import outside_event_loop
from signatures.throwaway_ca import Issued
from signatures.trust import TrustStore, certificates_from_bytes, crls_from_bytes


def as_signer(issued: Issued) -> signers.SimpleSigner:
    der = issued.certificate.public_bytes(serialization.Encoding.DER)
    key = issued.key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    chain = [
        asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in issued.chain
    ]
    return signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(der),
        signing_key=asn1_keys.PrivateKeyInfo.load(key),
        cert_registry=SimpleCertificateStore.from_certs(chain),
    )


@outside_event_loop  # pyHanko signs through asyncio.run; Playwright's tests run a loop
def sign_with(data: bytes, issued: Issued, *, field: str = "ChuKyLanhDao") -> bytes:
    """Sign as the leader's own software does: into the field when the file has it, else a
    new invisible one; an incremental update."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    have = {name for name, _v, _r in fields.enumerate_sig_fields(writer)}
    meta = signers.PdfSignatureMetadata(field_name=field, subfilter=fields.SigSeedSubFilter.PADES)
    out = io.BytesIO()
    signers.PdfSigner(
        meta,
        signer=as_signer(issued),
        new_field_spec=None if field in have else fields.SigFieldSpec(sig_field_name=field),
    ).sign_pdf(writer, output=out)
    return out.getvalue()


def trust_of(*cas, crls: bool = False) -> TrustStore:
    return TrustStore(
        tuple(c for ca in cas for c in certificates_from_bytes(ca.pem)),
        tuple(c for ca in cas for c in crls_from_bytes(ca.crl())) if crls else (),
    )
