"""How people name an indicator: by its printed number and label, never by its machine code."""

import re
from operator import attrgetter

# STT cells that are bullets or words, not numbers: the row is named under its parent's number.
_NOT_A_NUMBER = re.compile(r"^([-–+*•]|trong đó)", re.I)
_LABEL_BULLET = re.compile(r"^[-–+*•]\s*")


def row_names(rows, label=attrgetter("label")) -> list[str]:
    """The name of each of an appendix's rows (or of an outline's sections, label=title), in
    printed order: "III.2. Thống kê TTHC" for a numbered row (its parents' numbers joined, unless
    its STT already holds them, "1.1.2"), "Số TTHC được công bố mới (mục III.2)" for a row
    printed without a number."""
    numbers: dict[int, str] = {}  # level -> full number of the nearest row above at that level
    names = []
    for row in rows:
        for level in [level for level in numbers if level >= row.level]:
            del numbers[level]
        parent = next((numbers[lv] for lv in sorted(numbers, reverse=True) if numbers[lv]), "")
        stt = row.stt.strip().rstrip(".)").strip()
        text = _LABEL_BULLET.sub("", " ".join(label(row).split())).rstrip(":").strip()
        if stt and not _NOT_A_NUMBER.match(stt):
            number = stt if "." in stt or not parent else f"{parent}.{stt}"
            names.append(f"{number}. {text}")
        else:
            number = ""
            names.append(f"{text} (mục {parent})" if parent else text)
        numbers[row.level] = number
    return names


def indicator_names(rows) -> dict[str, str]:
    """code -> name of every row with a code (see row_names)."""
    rows = list(rows)
    return {row.code: name for row, name in zip(rows, row_names(rows), strict=True) if row.code}


def column_name(column) -> str:
    """cột (4) “Số hồ sơ nhận giải quyết – Tổng số”: the printed number and header."""
    header = f"{column.group} – {column.header}" if column.group else column.header
    return " ".join(filter(None, ["cột", column.number, f"“{' '.join(header.split())}”"]))


def appendix_name(appendix) -> str:
    return appendix.name or appendix.title
