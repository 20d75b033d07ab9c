"""Turn what a person types, or what an Excel cell holds, into canonical values, and back.

Canonical values are described in indicators/types.py; the accepted and refused inputs are
listed in docs/value-formats.md. Every refusal is a ValueParseError whose message is Vietnamese,
quotes the raw input and says how to write it.
"""

import datetime
import math
import re
import sys
import unicodedata
from collections.abc import Sequence
from decimal import Decimal

from indicators.types import (
    NA_MARK,
    NOT_APPLICABLE,
    NUMBER_DECIMAL_PLACES,
    NUMBER_INTEGER_DIGITS,
    NUMBER_LIMIT,
    DocRef,
    ValueType,
)
from lib.limits import CELL_MAX_CHARS, too_long
from lib.text import xml_safe

Choices = Sequence[tuple[int, str]]


class ValueParseError(ValueError):
    """A value that cannot be read; `message` is shown to the person who entered it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- raw input -------------------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
)
_SHOWN_MAX = 60


def _clean_text(text: str) -> str:
    # NFC because Vietnamese typed on some systems arrives decomposed (NFD) and would then match
    # no label; zero-width characters come with copy-paste from the web and Word; control
    # characters would break the Word and Excel exports. A browser sends a line break as CR LF,
    # a workbook cell holds LF: the same text is stored the same.
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE).replace("\r\n", "\n")
    return xml_safe(text).strip()


def _rich_text_as_str(raw: object) -> object:
    # Rich text only comes out of a workbook openpyxl has read, so openpyxl is loaded by then;
    # not importing it here keeps its 70 ms out of every process that reads no workbook.
    rich_text = sys.modules.get("openpyxl.cell.rich_text")
    if rich_text is not None and isinstance(raw, rich_text.CellRichText):
        return str(raw)
    return raw


def _unwrap(raw: object) -> object:
    raw = _rich_text_as_str(raw)
    if isinstance(raw, str):
        return _clean_text(raw)
    return raw


def _is_number(raw: object) -> bool:
    """A finite int, float or Decimal (bool excluded: an Excel TRUE is no number)."""
    if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal):
        return False
    if isinstance(raw, float):
        return math.isfinite(raw)
    return not isinstance(raw, Decimal) or raw.is_finite()


def _show(raw: object) -> str:
    """The raw input as it should appear, quoted, in a message."""
    if isinstance(raw, str):
        text = raw
    elif _is_number(raw):
        text = _show_number(raw)
    elif isinstance(raw, datetime.date):
        text = _format_date(raw)
    elif isinstance(raw, bool):
        text = "TRUE" if raw else "FALSE"
    else:
        text = repr(raw)
    if len(text) > _SHOWN_MAX:
        text = text[: _SHOWN_MAX - 1] + "…"
    return f"“{text}”"


def _show_number(raw: int | float | Decimal) -> str:
    return _format_decimal(Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw))


def _unreadable(raw: object, example: str) -> ValueParseError:
    return ValueParseError(f"Không đọc được giá trị {_show(raw)}. {example}")


# --- numbers ---------------------------------------------------------------------------------

_SPACE_LIKE = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
_NUMBER_BODY = re.compile(r"[0-9][0-9., ]*")
_NUMBER_WITH_UNIT = re.compile(r"[-−]?[0-9][0-9., ]*\s*[^\W\d_]\D*")
_DIGITS = re.compile(r"[0-9]+")

_HOW_NUMBER = "Ví dụ cách viết: 2.986.670 hoặc 74,72."
_HOW_INTEGER = "Ví dụ cách viết: 16 hoặc 2.986.670."


def _ambiguous_dot(raw: object) -> ValueParseError:
    return ValueParseError(
        f"{_show(raw)} không rõ nghĩa: dấu chấm dùng để phân cách hàng nghìn "
        "(ví dụ 2.986.670), số thập phân dùng dấu phẩy (ví dụ 74,72)."
    )


def _english_style(raw: object) -> ValueParseError:
    return ValueParseError(
        f"{_show(raw)} viết theo kiểu tiếng Anh: ở đây dấu chấm phân cách hàng nghìn, "
        "dấu phẩy là dấu thập phân (ví dụ 1.234,5 hoặc 1.234.567)."
    )


def _not_a_number(raw: object, text: str, how: str) -> ValueParseError:
    if "%" in text:
        return ValueParseError(f"{_show(raw)}: chỉ tiêu này không phải tỷ lệ, bỏ dấu %.")
    if _NUMBER_WITH_UNIT.fullmatch(text):
        return ValueParseError(
            f"{_show(raw)} không phải là số: chỉ ghi số, không ghi đơn vị tính. {how}"
        )
    return ValueParseError(f"{_show(raw)} không phải là số. {how}")


def _valid_groups(groups: list[str]) -> bool:
    head, rest = groups[0], groups[1:]
    # A first group "0" ("0.123") reads as an English decimal, never as thousands.
    head_ok = 1 <= len(head) <= 3 and head.isdigit() and not head.startswith("0")
    return head_ok and all(len(group) == 3 and group.isdigit() for group in rest)


def _ungroup(int_part: str, raw: object) -> str:
    """Digits of the integer part, thousands separators ("." or a space) removed."""
    if _DIGITS.fullmatch(int_part):
        return int_part
    if "." in int_part and " " not in int_part:
        if _valid_groups(int_part.split(".")):
            return int_part.replace(".", "")
        raise _ambiguous_dot(raw)
    if " " in int_part and "." not in int_part:
        if _valid_groups(int_part.split(" ")):
            return int_part.replace(" ", "")
        raise ValueParseError(
            f"{_show(raw)} không rõ nghĩa: khoảng trắng chỉ dùng để phân cách hàng nghìn, "
            "mỗi nhóm đủ 3 chữ số (ví dụ 2 986 670)."
        )
    raise _ambiguous_dot(raw)


def _parse_number_text(text: str, raw: object, how: str) -> Decimal:
    text = _SPACE_LIKE.sub(" ", text).strip().replace("−", "-")
    if text.startswith("+"):
        raise ValueParseError(
            f"{_show(raw)}: không ghi dấu + trước số; ghi số liệu của kỳ báo cáo, "
            "không ghi mức tăng so với kỳ trước."
        )
    negative = text.startswith("-")
    body = text[1:] if negative else text
    if not _NUMBER_BODY.fullmatch(body):
        raise _not_a_number(raw, text, how)
    int_part, comma, frac = body.partition(",")
    if "." in frac or "," in frac:
        raise _english_style(raw)
    if comma and not _DIGITS.fullmatch(frac):
        raise _not_a_number(raw, text, how)
    digits = _ungroup(int_part, raw)
    return Decimal(("-" if negative else "") + digits + (f".{frac}" if comma else ""))


def _to_decimal(raw: object, how: str) -> Decimal:
    if isinstance(raw, bool):
        raise ValueParseError(f"Ô chứa giá trị {_show(raw)}, không phải là số. {how}")
    if isinstance(raw, str):
        number = _parse_number_text(raw, raw, how)
    elif isinstance(raw, float) and math.isfinite(raw):
        number = Decimal(repr(raw))  # repr is the shortest text that reads back: 74.72 -> 74.72
    elif _is_number(raw):
        number = Decimal(raw)
    else:
        raise _unreadable(raw, how)
    if number.copy_abs() >= NUMBER_LIMIT:
        raise ValueParseError(
            f"{_show(raw)} quá lớn: số liệu tối đa {NUMBER_INTEGER_DIGITS} chữ số phần nguyên "
            f"(nhỏ hơn {_format_decimal(NUMBER_LIMIT)})."
        )
    return number


def _check_places(number: Decimal, shown: str) -> Decimal:
    """Refuse, never round, a tidy number with more decimals than storage keeps."""
    if -number.as_tuple().exponent > NUMBER_DECIMAL_PLACES:
        raise ValueParseError(
            f"{shown} có quá nhiều chữ số thập phân: ghi tối đa {NUMBER_DECIMAL_PLACES} "
            "chữ số sau dấu phẩy (làm tròn trước khi nhập)."
        )
    return number


def _tidy(number: Decimal) -> Decimal:
    """Drop insignificant zeros without rounding: 97.00 -> 97, 1E+2 -> 100, -0 -> 0."""
    if number.is_zero():
        return Decimal(0)
    sign, digits, exponent = number.as_tuple()
    digits = list(digits)
    while exponent < 0 and len(digits) > 1 and digits[-1] == 0:
        digits.pop()
        exponent += 1
    if exponent > 0:
        digits += [0] * exponent
        exponent = 0
    return Decimal((sign, tuple(digits), exponent))


def _parse_integer(raw: object) -> int:
    number = _to_decimal(raw, _HOW_INTEGER)
    if number != number.to_integral_value():
        hint = ""
        if isinstance(raw, str) and "," in raw:
            hint = " Dấu phẩy là dấu thập phân; hàng nghìn phân cách bằng dấu chấm (ví dụ 1.234)."
        raise ValueParseError(f"Phải là số nguyên: {_show(raw)} có phần thập phân.{hint}")
    if number < 0:
        raise ValueParseError(f"Số lượng không được âm: {_show(raw)}.")
    return int(number)


def _parse_decimal(raw: object) -> Decimal:
    return _check_places(_tidy(_to_decimal(raw, _HOW_NUMBER)), _show(raw))


# --- percentages -----------------------------------------------------------------------------

_HOW_PERCENT = "Ví dụ cách viết: 100%, 74,72% hoặc 74,72."
_QUOTED_IN_FORMAT = re.compile(r'"[^"]*"|\\.')


def is_percent_format(number_format: str | None) -> bool:
    """Whether Excel shows the cell's value times 100, i.e. the cell holds a fraction.

    A "%" inside quotes or after a backslash (0"%", 0\\%) is printed as is, without scaling.
    """
    if not number_format:
        return False
    return "%" in _QUOTED_IN_FORMAT.sub("", number_format)


def _times_100(number: Decimal) -> Decimal:
    # Exact, unlike float or context arithmetic: 0.07 -> 7, not 7.000000000000001.
    sign, digits, exponent = number.as_tuple()
    return Decimal((sign, digits, exponent + 2))


def _parse_percent_text(raw: str) -> Decimal:
    text = raw.removesuffix("%").rstrip()
    if "%" in text or not text:
        raise ValueParseError(f"{_show(raw)} không phải là tỷ lệ. {_HOW_PERCENT}")
    return _parse_number_text(text, raw, _HOW_PERCENT)


def _parse_percent(raw: object, number_format: str | None) -> Decimal:
    scaled = not isinstance(raw, str) and _is_number(raw) and is_percent_format(number_format)
    number = _parse_percent_text(raw) if isinstance(raw, str) else _to_decimal(raw, _HOW_PERCENT)
    if scaled:
        number = _times_100(number)
    number = _tidy(number)
    shown = _show(raw)
    if scaled:
        shown += f" (ô định dạng %, tức {_format_decimal(number)}%)"
    if not 0 <= number <= 100:
        raise ValueParseError(f"Tỷ lệ phải từ 0 đến 100: {shown} nằm ngoài khoảng này.")
    return _check_places(number, shown)


# --- choices ---------------------------------------------------------------------------------

_CODE_TEXT = re.compile(r"-?[0-9]+")
# A code is a whole number: "1,5" or "1.5" after "=" is a decimal, not code 1 and a label "5…".
_CODE = r"(?P<code>[0-9]+)(?![0-9])(?![.,][0-9])"
_FIRST_LABEL = re.compile(r"\s*(?P<label>[^\s,;].*?)\s*", re.S)
_CODE_THEN_LABEL = re.compile(rf"\s*{_CODE}[\s,;]*(?P<label>[^\s,;].*?)\s*", re.S)
_LAST_CODE = re.compile(rf"\s*{_CODE}\s*[,;.]?\s*", re.S)
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
_HOW_CHOICES = (
    "Viết dạng “Nhãn = mã” cách nhau bởi dấu cách, dấu phẩy, dấu chấm phẩy hoặc xuống dòng, "
    "ví dụ: Có = 1 Không = 0; nhãn có dấu = thì đặt trong ngoặc kép."
)


def _label_key(label: str) -> str:
    return " ".join(_clean_text(label).split()).casefold()


def _not_a_choice_list(text: str, reason: str) -> ValueParseError:
    return ValueParseError(f"{_show(text)} không phải danh sách mã: {reason}. {_HOW_CHOICES}")


def _unquote(label: str, quoted: list[str]) -> str:
    label = re.sub(r"\x00(\d+)\x00", lambda m: quoted[int(m[1])], label)
    if len(label) >= 2 and label[0] + label[-1] in ('""', "“”"):
        label = label[1:-1]
    return " ".join(label.split())


def _split_choice_pairs(text: str) -> list[tuple[int, str]]:
    # Pairs are read by their "= <whole number>" separators: the first piece is a label, each
    # middle piece "code label", the last a code. Labels are text and may start with or hold
    # digits ("Chưa có = 0 2 cấp = 1 3 cấp = 2"); a label holding "=" is quoted.
    quoted: list[str] = []

    def hide(match):
        quoted.append(match[0])
        return f"\x00{len(quoted) - 1}\x00"

    pieces = _QUOTED.sub(hide, text.replace("\x00", "")).split("=")
    if len(pieces) < 2:
        raise _not_a_choice_list(text, "không có dấu =")
    first = _FIRST_LABEL.fullmatch(pieces[0])
    last = _LAST_CODE.fullmatch(pieces[-1])
    middles = [_CODE_THEN_LABEL.fullmatch(piece) for piece in pieces[1:-1]]
    if first is None or last is None or None in middles:
        raise _not_a_choice_list(text, "mỗi mục phải gồm nhãn, dấu = và mã là số nguyên không âm")
    labels = [first["label"]] + [match["label"] for match in middles]
    codes = [int(match["code"]) for match in middles] + [int(last["code"])]
    return [(code, _unquote(label, quoted)) for code, label in zip(codes, labels, strict=True)]


def _check_choice_pairs(text: str, pairs: list[tuple[int, str]]) -> None:
    if len(pairs) < 2:
        raise _not_a_choice_list(text, "cần ít nhất 2 mục")
    codes = [code for code, _ in pairs]
    duplicate_codes = sorted({str(code) for code in codes if codes.count(code) > 1})
    if duplicate_codes:
        raise _not_a_choice_list(text, f"mã {', '.join(duplicate_codes)} bị trùng")
    keys = [_label_key(label) for _, label in pairs]
    duplicate_labels = [
        label for (_, label), key in zip(pairs, keys, strict=True) if keys.count(key) > 1
    ]
    if duplicate_labels:
        raise _not_a_choice_list(text, f"nhãn “{duplicate_labels[0]}” bị trùng")


def parse_choice_list(text: str) -> list[tuple[int, str]]:
    """Read a printed code list: "Có = 1 Không = 0" -> [(1, "Có"), (0, "Không")]."""
    text = _rich_text_as_str(text)
    if not isinstance(text, str) or not _clean_text(text):
        raise ValueParseError(f"Chưa có danh sách mã. {_HOW_CHOICES}")
    text = _clean_text(text)
    pairs = _split_choice_pairs(text)
    _check_choice_pairs(text, pairs)
    return pairs


def format_choice_list(choices: Choices) -> str:
    """The code list as printed in the unit cell: "Có = 1 Không = 0"."""
    return " ".join(
        f"“{label}” = {code}" if "=" in label else f"{label} = {code}" for code, label in choices
    )


def _refuse_choice(raw: object, choices: Choices) -> ValueParseError:
    codes = ", ".join(str(code) for code, _ in choices)
    return ValueParseError(
        f"{_show(raw)} không có trong danh sách ({format_choice_list(choices)}). "
        f"Ghi một trong các mã {codes} hoặc nhãn tương ứng."
    )


def _choice_code(raw: object, choices: Choices) -> int | None:
    if isinstance(raw, str):
        if _CODE_TEXT.fullmatch(raw):
            return int(raw)
        key = _label_key(raw)
        return next((code for code, label in choices if _label_key(label) == key), None)
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if _is_number(raw) and raw == int(raw):
        return int(raw)
    return None


def _parse_choice(raw: object, choices: Choices | None) -> int:
    if not choices:
        # A template bug, not the user's: the import refuses a choice row without a code list.
        raise ValueError("parse_value(ValueType.CHOICE, ...) needs choices")
    code = _choice_code(raw, choices)
    if code is None or code not in {code for code, _ in choices}:
        raise _refuse_choice(raw, choices)
    return code


# --- dates -----------------------------------------------------------------------------------

_DATE_TEXT = re.compile(r"([0-9]{1,2})\s*/\s*([0-9]{1,2})\s*/\s*([0-9]{4})")
_DATE_WORDS = re.compile(r"([0-9]{1,2})\s+tháng\s+([0-9]{1,2})\s+năm\s+([0-9]{4})", re.I)
_HOW_DATE = "Ngày phải theo dạng dd/mm/yyyy (ví dụ 07/01/2021)."
_YEARS = range(1900, 2101)


def _make_date(day: str, month: str, year: str, raw: object) -> datetime.date:
    if int(year) not in _YEARS:
        raise ValueParseError(f"{_show(raw)}: năm {year} không hợp lệ. {_HOW_DATE}")
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise ValueParseError(f"{_show(raw)} không phải ngày có thật. {_HOW_DATE}") from None


def _parse_date_text(text: str, raw: object, *, words: bool = False) -> datetime.date:
    match = _DATE_TEXT.fullmatch(text) or (words and _DATE_WORDS.fullmatch(text))
    if not match:
        raise ValueParseError(f"{_show(raw)} không đọc được. {_HOW_DATE}")
    return _make_date(*match.groups(), raw)


def _parse_date(raw: object) -> datetime.date:
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    if isinstance(raw, str):
        return _parse_date_text(raw, raw)
    if _is_number(raw):
        raise ValueParseError(
            f"Ô Excel chứa số {_show(raw)}, không phải ngày: định dạng ô kiểu ngày "
            f"hoặc gõ ngày. {_HOW_DATE}"
        )
    raise _unreadable(raw, _HOW_DATE)


def _format_date(value: datetime.date) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


# --- document references ---------------------------------------------------------------------

DOCUMENT_KINDS = (
    "Kế hoạch",
    "Quyết định",
    "Công văn",
    "Báo cáo",
    "Tờ trình",
    "Thông báo",
    "Hướng dẫn",
    "Chỉ thị",
    "Nghị quyết",
    "Phương án",
    "Đề án",
    "Văn bản",
    "Nghị định",
    "Thông tư liên tịch",
    "Thông tư",
    "Luật",
    "Pháp lệnh",
    "Quy chế",
    "Quy định",
    "Chương trình",
    "Kết luận",
    "Công điện",
)
_KIND_BY_KEY = {kind.casefold(): kind for kind in DOCUMENT_KINDS}
_KIND = re.compile(
    "|".join(re.escape(kind) for kind in sorted(DOCUMENT_KINDS, key=len, reverse=True)), re.I
)
_DOCREF_REST = re.compile(
    r"""(?P<so>\s+số\b)?
        \s*(?P<number>[^\s,;]+)?
        \s*,?\s*
        (?:ngày\b\s*(?P<date>.*))?""",
    re.I | re.X | re.S,
)
_GLUE_SLASH = re.compile(r"(?<=\S)\s*/\s*(?=\S)")
_GLUE_DASH = re.compile(r"(?<=\w)(?:-\s+|\s+-)(?=\w)")
_BARE_DATE = re.compile(r"[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}")
_ONLY_KIND_NUMBER_DATE = (
    "chỉ ghi loại, số hiệu và ngày ban hành, bỏ phần trích yếu (“về …”, “của …”)"
)
_HOW_DOCREF = "Ví dụ cách viết: Kế hoạch số 01/KH-SKHCN ngày 07/01/2021."


def _refuse_docref(text: str, reason: str) -> ValueParseError:
    return ValueParseError(f"{_show(text)}: {reason}. {_HOW_DOCREF}")


def _docref_text(text: str) -> str:
    # "10/KH- SKHCN" and "32/ KH-SKHCN" occur in real reports; the number has no inner spaces.
    text = _GLUE_SLASH.sub("/", _clean_text(text))
    return _GLUE_DASH.sub("-", text).rstrip(" .;")


def _docref_number(number: str | None, has_so: bool, text: str) -> str:
    if not number:
        if has_so:
            raise _refuse_docref(text, "thiếu số hiệu sau chữ “số”")
        return ""
    if not _DIGITS.match(number):
        raise _refuse_docref(text, f"số hiệu “{number}” phải bắt đầu bằng chữ số")
    if not has_so and _BARE_DATE.fullmatch(number):
        raise _refuse_docref(text, "ghi chữ “ngày” trước ngày ban hành")
    return number


def _docref_date(date_text: str | None, text: str) -> datetime.date | None:
    if date_text is None:
        return None
    if _DATE_TEXT.fullmatch(date_text) or _DATE_WORDS.fullmatch(date_text):
        try:
            return _parse_date_text(date_text, date_text, words=True)
        except ValueParseError:
            raise _refuse_docref(text, f"ngày ban hành “{date_text}” không có thật") from None
    if _DATE_TEXT.match(date_text) or _DATE_WORDS.match(date_text):
        raise _refuse_docref(text, _ONLY_KIND_NUMBER_DATE)
    raise _refuse_docref(text, "ngày ban hành phải theo dạng dd/mm/yyyy")


def parse_docref(text: str) -> DocRef:
    """Read "Kế hoạch số 01/KH-SKHCN ngày 07/01/2021" (comma before "ngày" and d/m/yyyy allowed)."""
    text = _rich_text_as_str(text)
    if not isinstance(text, str) or not _clean_text(text):
        raise ValueParseError(f"Chưa ghi văn bản. {_HOW_DOCREF}")
    shown = _clean_text(text)
    text = _docref_text(shown)
    kind = _KIND.match(text)
    if kind is None or text[kind.end() : kind.end() + 1].isalnum():
        kinds = ", ".join(DOCUMENT_KINDS[:8])
        raise _refuse_docref(shown, f"phải bắt đầu bằng loại văn bản ({kinds}, …)")
    rest = _DOCREF_REST.fullmatch(text, kind.end())
    if rest is None:
        raise _refuse_docref(shown, _ONLY_KIND_NUMBER_DATE)
    number = _docref_number(rest["number"], bool(rest["so"]), shown)
    date = _docref_date(rest["date"], shown)
    if not number and date is None:
        raise _refuse_docref(shown, "thiếu số hiệu và ngày ban hành")
    return DocRef(kind=_KIND_BY_KEY[kind.group().casefold()], number=number, date=date)


def _parse_docref_value(raw: object) -> DocRef:
    if isinstance(raw, DocRef):
        return raw
    if isinstance(raw, str):
        return parse_docref(raw)
    raise _unreadable(raw, _HOW_DOCREF)


# --- text, marks, headings -------------------------------------------------------------------

_MARKS = frozenset({"x", "✓", "✔", "☑", "1"})
_HOW_MARK = "Đánh dấu bằng X (hoặc ✓, 1); để trống nếu không đánh dấu."


def _parse_text(raw: object) -> str:
    if isinstance(raw, str):
        return raw
    if isinstance(raw, int) and not isinstance(raw, bool):
        return str(raw)  # no grouping: an Excel number in a text column is often a phone number
    if _is_number(raw):
        return _show_number(raw)
    if isinstance(raw, datetime.datetime) and raw.time() != datetime.time():
        return f"{_format_date(raw)} {raw:%H:%M}"
    if isinstance(raw, datetime.date):
        return _format_date(raw)
    raise _unreadable(raw, "Ghi nội dung bằng chữ.")


def _parse_mark(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.casefold() in _MARKS:
        return True
    if _is_number(raw) and raw == 1:
        return True
    raise ValueParseError(f"{_show(raw)} không phải dấu đánh dấu. {_HOW_MARK}")


def _parse_heading(raw: object) -> None:
    if raw is None or raw == "":
        return None
    raise ValueParseError(f"Dòng tiêu đề không nhận số liệu: bỏ {_show(raw)}.")


# --- entry points ----------------------------------------------------------------------------

_PARSERS = {
    ValueType.INTEGER: _parse_integer,
    ValueType.DECIMAL: _parse_decimal,
    ValueType.TEXT: _parse_text,
    ValueType.DOCREF: _parse_docref_value,
    ValueType.DATE: _parse_date,
    ValueType.MARK: _parse_mark,
}


def _refuse_excel_error(raw: object) -> None:
    if isinstance(raw, str) and raw.upper() in _EXCEL_ERRORS:
        raise ValueParseError(
            f"Ô Excel báo lỗi công thức {_show(raw)}: sửa công thức hoặc gõ giá trị."
        )


def parse_value(
    value_type: ValueType | str,
    raw: object,
    *,
    choices: Choices | None = None,
    number_format: str | None = None,
) -> object:
    """Canonical value of `raw` (form text or openpyxl cell value); None when blank.

    `number_format` is the Excel cell's number format; only a percent value reads it.
    """
    value_type = ValueType(value_type)
    raw = _unwrap(raw)
    if isinstance(raw, str) and (message := too_long(raw, CELL_MAX_CHARS)):
        raise ValueParseError(message)
    if value_type == ValueType.HEADING:
        return _parse_heading(raw)
    if raw is None or raw == "":
        return None
    if raw is NOT_APPLICABLE or raw == NA_MARK:
        return NOT_APPLICABLE
    _refuse_excel_error(raw)
    if value_type == ValueType.CHOICE:
        return _parse_choice(raw, choices)
    if value_type == ValueType.PERCENT:
        return _parse_percent(raw, number_format)
    return _PARSERS[value_type](raw)


def _group_thousands(digits: str) -> str:
    head = len(digits) % 3 or 3
    return ".".join([digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)])


def _format_decimal(number: Decimal) -> str:
    number = _tidy(number)
    int_part, _, frac = format(number.copy_abs(), "f").partition(".")  # abs() would round
    text = _group_thousands(int_part) + (f",{frac}" if frac else "")
    return f"-{text}" if number < 0 else text


def _format_number(value: object) -> str:
    if not _is_number(value):
        raise TypeError(f"not a number: {value!r}")
    return _format_decimal(Decimal(repr(value)) if isinstance(value, float) else Decimal(value))


def format_value(
    value_type: ValueType | str, value: object, *, choices: Choices | None = None
) -> str:
    """Vietnamese display of a canonical value: "2.986.670", "74,72", "100%", "07/01/2021", "/"."""
    value_type = ValueType(value_type)
    if value is None or value_type == ValueType.HEADING:
        return ""
    if value is NOT_APPLICABLE:
        return NA_MARK
    if value_type in (ValueType.INTEGER, ValueType.DECIMAL):
        return _format_number(value)
    if value_type == ValueType.PERCENT:
        return _format_number(value) + "%"
    if value_type == ValueType.CHOICE:
        return str(value)  # printed as its code, as on the paper form
    if value_type == ValueType.DATE:
        return _format_date(value)
    if value_type == ValueType.MARK:
        return "X" if value else ""
    return str(value)
