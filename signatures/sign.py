"""Signing on the portal's side, as plain functions over PDF bytes.

The portal never holds a person's key: it only prepares the signing copy (the frozen document
with empty signature fields where the signature block is printed, so that Adobe, the VGCA
tools or pyHanko sign into them) and adds a body's seal with a key the body configured
(a PKCS#12 file, or a PKCS#11 token). Every change is an incremental update, so the frozen
document stays byte for byte at the start of the file.
"""

import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner
from pyhanko.stamp import TextStampStyle

from lib.event_loop import outside_event_loop

LEADER_FIELD = "ChuKyLanhDao"
SEAL_FIELD = "ChuKyCoQuan"
RECEIPT_FIELD = "XacNhanTiepNhan"

BLUE = (0.05, 0.2, 0.6)  # the person's signature (NĐ 30: blue)
RED = (0.8, 0.05, 0.05)  # the body's seal (NĐ 30: red)


class SealError(Exception):
    """A body's seal that cannot be used (file, passphrase, token); the message says why."""


@dataclass(frozen=True)
class Placement:
    """A signature field's place: page index and box in PDF points (lower left, upper
    right), origin at the page's lower left corner."""

    field_name: str
    page: int
    box: tuple[int, int, int, int] | None  # None: an invisible field


def add_signature_fields(data: bytes, placements: list[Placement]) -> bytes:
    """The document with empty signature fields added in one incremental update."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    existing = {name for name, _value, _ref in fields.enumerate_sig_fields(writer)}
    for placement in placements:
        if placement.field_name in existing:
            continue
        fields.append_signature_field(
            writer,
            fields.SigFieldSpec(
                sig_field_name=placement.field_name, on_page=placement.page, box=placement.box
            ),
        )
    # Append-only from the start: signing would set it, which the difference analysis of a
    # later signature reads as a change to the form.
    fields.ensure_sig_flags(writer, lock_sig_flags=True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@cache
def _font(path: str) -> GlyphAccumulatorFactory:
    """pyHanko writes glyph widths as the font gives them, while PDF reads them per 1000 units
    of the em: a font of another size (Tinos, DejaVu: 2048) is rescaled once per process."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    font = TTFont(path)
    if font["head"].unitsPerEm != 1000:
        scale_upem(font, 1000)
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
        scaled = Path(tempfile.gettempdir()) / f"cchc-stamp-{digest}.ttf"
        if not scaled.exists():
            partial = scaled.with_suffix(f".{os.getpid()}.part")
            font.save(partial)
            os.replace(partial, scaled)
        path = str(scaled)
    return GlyphAccumulatorFactory(path)


def stamp_style(lines: list[str], color: tuple[float, float, float]) -> TextStampStyle:
    """A visible signature: the lines (signer, body, time) in the document's typeface."""
    text = "\n".join(line.replace("%", "%%") for line in lines)
    return TextStampStyle(
        stamp_text=text,
        text_box_style=TextBoxStyle(
            font=_font(str(settings.SIGNATURE_STAMP_FONT)), font_size=9, text_color=color
        ),
        border_width=1,
        border_color=color,
        background=None,
    )


@outside_event_loop  # pyHanko signs through asyncio.run
def sign_pdf(
    data: bytes,
    *,
    signer: signers.Signer,
    field_name: str,
    stamp_lines: list[str] | None = None,
    color: tuple[float, float, float] = RED,
    placement: Placement | None = None,
    reason: str = "",
    location: str = "",
) -> bytes:
    """`data` signed by `signer` in field `field_name` (made at `placement` when the file has
    no such field), with a visible stamp when `stamp_lines` are given; an incremental update."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    new_field = None
    existing = {name for name, _value, _ref in fields.enumerate_sig_fields(writer)}
    if field_name not in existing:
        box = placement.box if placement and stamp_lines else None
        new_field = fields.SigFieldSpec(
            sig_field_name=field_name, on_page=placement.page if placement else 0, box=box
        )
    meta = PdfSignatureMetadata(
        field_name=field_name,
        reason=reason or None,
        location=location or None,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    pdf_signer = PdfSigner(
        meta,
        signer=signer,
        stamp_style=stamp_style(stamp_lines, color) if stamp_lines else None,
        new_field_spec=new_field,
    )
    out = io.BytesIO()
    pdf_signer.sign_pdf(writer, output=out)
    return out.getvalue()


_BAD_PKCS12 = "Không mở được tệp PKCS#12 của con dấu (sai mật khẩu hoặc tệp hỏng)."


def signer_from_pkcs12(data: bytes, passphrase: bytes | None) -> signers.SimpleSigner:
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(data, (), passphrase=passphrase)
    except (ValueError, TypeError) as exc:
        raise SealError(_BAD_PKCS12) from exc
    if signer is None:
        raise SealError(_BAD_PKCS12)
    return signer


def signer_from_pkcs12_file(path: Path, passphrase: bytes | None) -> signers.SimpleSigner:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SealError(f"Không đọc được tệp con dấu {Path(path).name}: {exc.strerror}.") from exc
    return signer_from_pkcs12(data, passphrase)


def signer_from_pkcs11(*, module: str, token_label: str, key_label: str, pin: str):
    """A seal on a PKCS#11 token or HSM (needs the python-pkcs11 package and the vendor's
    module). The session stays open for the process's life."""
    try:
        from pyhanko.sign import pkcs11
    except ImportError as exc:  # python-pkcs11 is not installed
        raise SealError("Máy chủ chưa cài gói python-pkcs11 để dùng thiết bị ký PKCS#11.") from exc
    try:
        session = pkcs11.open_pkcs11_session(module, token_label=token_label, user_pin=pin)
        return pkcs11.PKCS11Signer(session, key_label=key_label)
    except Exception as exc:  # noqa: BLE001 -- the vendor module's errors are its own
        raise SealError(f"Không mở được thiết bị ký PKCS#11 “{token_label}”: {exc}") from exc
