"""The Bà Rịa - Vũng Tàu 2019 report's per-procedure table, checked with row and total rules.

Source: tests/data/seed-brvt-2019.txt (the seed report as text), table "TỔNG HỢP SỐ LƯỢNG
HỒ SƠ GIẢI QUYẾT TẠI TẤT CẢ CÁC LĨNH VỰC", columns (1)...(12): (4) received = (5) carried over
+ (6) new;
(7) resolved = (8) on time + (9) late; (10) pending = (11) not yet due + (12) overdue.
Rows 11-15 received dossiers but report no result; the printed total (466) is not the sum
of the rows (477).
"""

from pathlib import Path

import pytest

from indicators.rules import TOTAL_ROW, Schema, TableData, ValueSet, compile_rule
from indicators.types import ValueType

SEED = Path(__file__).resolve().parent.parent / "data" / "seed-brvt-2019.txt"

# (1) STT, (3) field, (4)...(12) as printed; None where the cell is blank. Names of column (2)
# are shortened.
ROWS = [
    (1, "ATBX", 2, 0, 2, 2, 2, 0, 0, 0, 0),
    (2, "ATBX", 23, None, 23, 23, 23, 0, 0, 0, 0),
    (3, "ATBX", 10, 0, 10, 10, 10, 0, 0, 0, 0),
    (4, "ATBX", 5, 0, 5, 5, 5, 0, 0, 0, 0),
    (5, "Hoạt động KHCN", 5, 0, 5, 5, 5, 0, 0, 0, 0),
    (6, "TCDLCL", 8, 0, 8, 8, 8, 0, 0, 0, 0),
    (7, "TCĐLCL", 20, 0, 20, 20, 20, 0, 0, 0, 0),
    (8, "TCDLCL", 2, 0, 2, 2, 2, 0, 0, 0, 0),
    (9, "TCDLCL", 390, 0, 390, 390, 390, 0, 0, 0, 0),
    (10, "KHCN", 3, 0, 3, 3, 3, 0, 0, 0, 0),
    (11, "KHCN", 2, 0, 2, None, None, None, None, None, None),
    (12, "KHCN", 3, 0, 3, None, None, None, None, None, None),
    (13, "KHCN", 2, 0, 2, None, None, None, None, None, None),
    (14, "KHCN", 1, 0, 1, None, None, None, None, None, None),
    (15, None, 1, 0, 1, None, None, None, None, None, None),
]
PRINTED_TOTAL = (466, 0, 466, 466, 466, 0, 0, 0, 0)
NUMBERED = [f"c{k}" for k in range(4, 13)]

SCHEMA = Schema(
    tables={
        "thtc": {
            "c1": ValueType.INTEGER,
            "c2": ValueType.TEXT,
            "c3": ValueType.TEXT,
            **dict.fromkeys(NUMBERED, ValueType.INTEGER),
        }
    }
)

ROW_RULES = [
    "thtc.c4 = thtc.c5 + thtc.c6",
    "thtc.c7 = thtc.c8 + thtc.c9",
    "thtc.c10 = thtc.c11 + thtc.c12",
    "thtc.c4 = thtc.c7 + thtc.c10",
]


def values():
    rows = []
    for stt, field, *numbers in ROWS:
        cells = {"c1": stt, "c2": f"TTHC {stt}", "c3": field}
        rows.append((stt, cells | dict(zip(NUMBERED, numbers, strict=True))))
    total = dict(zip(NUMBERED, PRINTED_TOTAL, strict=True))
    return ValueSet(tables={"thtc": TableData(rows=rows, total=total)})


def failed_rows(text, missing):
    outcomes = compile_rule(text, SCHEMA).evaluate(values(), missing=missing)
    assert len(outcomes) == len(ROWS)
    return [outcome.row_id for outcome in outcomes if outcome.status == "failed"]


def test_rows_with_dossiers_but_no_results_are_flagged_when_missing_counts_as_zero():
    flagged = {text: failed_rows(text, "zero") for text in ROW_RULES}
    assert flagged == {
        "thtc.c4 = thtc.c5 + thtc.c6": [],
        "thtc.c7 = thtc.c8 + thtc.c9": [],
        "thtc.c10 = thtc.c11 + thtc.c12": [],
        "thtc.c4 = thtc.c7 + thtc.c10": [11, 12, 13, 14, 15],
    }


def test_the_flagged_row_shows_what_was_compared():
    outcomes = compile_rule(ROW_RULES[3], SCHEMA).evaluate(values(), missing="zero")
    row_11 = outcomes[10]
    assert (row_11.row_id, row_11.status) == (11, "failed")
    assert row_11.seen == {"thtc[11].c4": 2, "thtc[11].c7": None, "thtc[11].c10": None}
    assert row_11.refs == (("thtc", 11, "c4"), ("thtc", 11, "c7"), ("thtc", 11, "c10"))


def test_with_skip_policy_those_rows_are_skipped_with_a_notice():
    outcomes = compile_rule(ROW_RULES[3], SCHEMA).evaluate(values(), missing="skip")
    statuses = [outcome.status for outcome in outcomes]
    assert statuses == ["passed"] * 10 + ["skipped"] * 5
    assert outcomes[10].notice == "Thiếu số liệu: thtc[11].c7, thtc[11].c10"
    # Row 2 leaves "carried over" blank: skipped under "skip", fine under "zero".
    carried = compile_rule(ROW_RULES[0], SCHEMA).evaluate(values(), missing="skip")
    assert [outcome.row_id for outcome in carried if outcome.skipped] == [2]


def test_printed_total_does_not_match_the_rows():
    rule = compile_rule("total(thtc.c4) = sum(thtc.c4)", SCHEMA)
    (outcome,) = rule.evaluate(values(), missing="zero")
    assert outcome.status == "failed"
    assert outcome.seen == {"total(thtc.c4)": 466, "sum(thtc.c4)": 477}
    assert outcome.refs[0] == ("thtc", TOTAL_ROW, "c4")
    assert len(outcome.refs) == 1 + len(ROWS)


@pytest.mark.parametrize(
    ("column", "status"),
    [("c5", "passed"), ("c6", "failed"), ("c7", "failed"), ("c9", "passed"), ("c12", "passed")],
)
def test_total_row_column_by_column(column, status):
    rule = compile_rule(f"total(thtc.{column}) = sum(thtc.{column})", SCHEMA)
    assert rule.evaluate(values(), missing="zero")[0].status == status


def test_transcribed_numbers_match_the_seed():
    lines = SEED.read_text(encoding="utf-8").splitlines()
    start = lines.index("(1)\t(2)\t(3)\t(4)\t(5)\t(6)\t(7)\t(8)\t(9)\t(10)\t(11)\t(12)") + 1
    printed = []
    for line in lines[start:]:
        cells = line.split("\t")
        if len(cells) < 12:  # a blank line inside the table
            continue
        if cells[1] == "Tổng cộng":
            assert tuple(int(cell) for cell in cells[3:12]) == PRINTED_TOTAL
            break
        if cells[0].isdigit():
            printed.append(tuple(int(cell) if cell else None for cell in cells[3:12]))
    assert printed == [tuple(numbers) for _, _, *numbers in ROWS]
