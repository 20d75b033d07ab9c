"""Evidence files (tài liệu kiểm chứng): what is accepted, told by the file's first bytes, not
by its name. PDF, PNG, JPEG, and Office Open XML documents without macros (.docx, .xlsx,
.pptx); the name's extension must agree with the content."""

import zipfile
from io import BytesIO

EVIDENCE_MAX_BYTES = 5 * 1024 * 1024  # one file; under nginx's client_max_body_size (6m)
EVIDENCE_MAX_PER_CRITERION = 10
NAME_MAX_CHARS = 200

OFFICE_PARTS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
EXTENSIONS = {
    "pdf": ("pdf",),
    "png": ("png",),
    "jpg": ("jpg", "jpeg"),
    "docx": ("docx",),
    "xlsx": ("xlsx",),
    "pptx": ("pptx",),
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
ACCEPTED = "PDF, ảnh PNG/JPEG, Word (.docx), Excel (.xlsx), PowerPoint (.pptx)"


class EvidenceRejected(Exception):
    """The message is for the user, in Vietnamese."""


def _office_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise EvidenceRejected("Tệp Office có macro, không nhận. Hãy lưu lại không kèm macro.")
    for kind, prefix in OFFICE_PARTS.items():
        if any(name.startswith(prefix) for name in names):
            return kind
    return None


def sniff(data: bytes) -> str | None:
    """The file's type by its content, or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data)
    return None


def check_upload(name: str, data: bytes) -> str:
    """The accepted type of an upload, or EvidenceRejected saying why not."""
    if not data:
        raise EvidenceRejected("Tệp rỗng.")
    if len(data) > EVIDENCE_MAX_BYTES:
        raise EvidenceRejected(
            f"Tệp quá lớn: mỗi tài liệu kiểm chứng tối đa {EVIDENCE_MAX_BYTES // 1024 // 1024} MB."
        )
    kind = sniff(data)
    if kind is None:
        raise EvidenceRejected(f"Chỉ nhận {ACCEPTED}; nội dung tệp không thuộc các loại này.")
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    if extension not in EXTENSIONS[kind]:
        raise EvidenceRejected(
            f"Tên tệp có đuôi “.{extension}” nhưng nội dung là tệp {kind.upper()}; "
            "hãy đặt đúng đuôi tệp."
        )
    return kind
