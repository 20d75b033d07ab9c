"""Where the signature block is in a frozen PDF, read back from the PDF itself.

The PDF template marks the space between the authority lines and the signer's name with two
named destinations (WeasyPrint writes one for every id): `chu-ky` at its top left corner and
`chu-ky-cuoi` at its bottom right. The leader's field covers that space; the body's seal
(NĐ 30, Phụ lục I) overlaps its left third.
"""

import io

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader

from .sign import LEADER_FIELD, RECEIPT_FIELD, SEAL_FIELD, Placement

TOP_LEFT = "chu-ky"
BOTTOM_RIGHT = "chu-ky-cuoi"
SEAL_SIDE = 96  # points (about 34 mm): a round seal's size on the printed page
MM = 72 / 25.4


def _page_refs(node) -> list:
    """The pages' references in order (the page tree walked depth first)."""
    kids = node.get_object().get("/Kids")
    if kids is None:
        return []
    refs = []
    for i in range(len(kids)):
        kid = kids.raw_get(i)
        if kid.get_object().get("/Type") == "/Page":
            refs.append(kid.reference)
        else:
            refs += _page_refs(kid)
    return refs


def _named_destinations(reader: PdfFileReader) -> dict[str, tuple[int, float, float]]:
    """name -> (page index, x, y) for the /XYZ destinations of the name tree's flat array
    (WeasyPrint writes one array)."""
    try:
        names = reader.root["/Names"]["/Dests"]["/Names"]
    except KeyError:
        return {}
    pages = _page_refs(reader.root["/Pages"])
    found = {}
    for i in range(0, len(names) - 1, 2):
        dest = names[i + 1]
        if not isinstance(dest, generic.ArrayObject) or len(dest) < 4:
            continue
        page = getattr(dest.raw_get(0), "reference", None)
        if page in pages:
            found[str(names[i])] = (pages.index(page), float(dest[2]), float(dest[3]))
    return found


def _reader(data: bytes) -> PdfFileReader:
    return PdfFileReader(io.BytesIO(data), strict=False)


def signature_placements(data: bytes) -> list[Placement]:
    """The leader's and the seal's fields at the PDF's signature block; none when the PDF does
    not mark it (signers then place their own)."""
    try:
        destinations = _named_destinations(_reader(data))
    except Exception:  # noqa: BLE001 -- an unreadable PDF has no block to find
        return []
    if TOP_LEFT not in destinations or BOTTOM_RIGHT not in destinations:
        return []
    page, left, top = destinations[TOP_LEFT]
    end_page, right, bottom = destinations[BOTTOM_RIGHT]
    if end_page != page or right <= left or bottom >= top:
        return []
    middle = (top + bottom) / 2
    seal_right = left + (right - left) / 3  # over the left third of the person's signature
    seal_left = seal_right - SEAL_SIDE
    return [
        Placement(LEADER_FIELD, page, (round(left), round(bottom), round(right), round(top))),
        Placement(
            SEAL_FIELD,
            page,
            (
                round(seal_left),
                round(middle - SEAL_SIDE / 2),
                round(seal_right),
                round(middle + SEAL_SIDE / 2),
            ),
        ),
    ]


def seal_placement(data: bytes) -> Placement | None:
    return next((p for p in signature_placements(data) if p.field_name == SEAL_FIELD), None)


def receipt_placement(data: bytes) -> Placement:
    """Sở Nội vụ's receipt: in the top margin of the first page, on the right (where NĐ 30
    puts a body's signature without an image)."""
    try:
        reader = _reader(data)
        first = _page_refs(reader.root["/Pages"])[0]
        box = reader.get_object(first)["/MediaBox"]
        _x0, _y0, width, height = (float(v) for v in box)
    except Exception:  # noqa: BLE001 -- A4 portrait, the report's page
        width, height = 595.28, 841.89
    right, top = width - 15 * MM, height - 4 * MM
    return Placement(
        RECEIPT_FIELD, 0, (round(right - 70 * MM), round(top - 15 * MM), round(right), round(top))
    )
