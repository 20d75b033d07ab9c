"""Evaluating rules against report values: what a department sees when it validates a report."""

import datetime
from decimal import Decimal

import pytest

from indicators.rules import TOTAL_ROW, Outcome, Schema, TableData, ValueSet, compile_rule
from indicators.types import NOT_APPLICABLE, DocRef, ValueType

NA = NOT_APPLICABLE

SCHEMA = Schema(
    indicators={
        **dict.fromkeys(("a", "b", "c", "tong", "dung_han", "qua_han", "duoc_giao"), "integer"),
        **dict.fromkeys(
            ("x", "y", "so_van_ban", "tthc_hieu_luc", "tthc_moi", "tthc_bai_bo"), "integer"
        ),
        "so_ho_so": ValueType.INTEGER,
        "d": ValueType.DECIMAL,
        "ty_le_a": ValueType.PERCENT,
        "ty_le_b": ValueType.PERCENT,
        "co_ke_hoach": ValueType.CHOICE,
        "ten": ValueType.TEXT,
        "ke_hoach": ValueType.DOCREF,
        "ngay": ValueType.DATE,
    },
    tables={
        "thtc": {"ten": ValueType.TEXT, **{f"c{k}": ValueType.INTEGER for k in range(4, 7)}},
        "kh": dict.fromkeys(("tot", "hoan_thanh", "cham", "chua"), ValueType.MARK),
    },
)


def evaluate(text, indicators=None, tables=None, previous=None, missing="skip"):
    rule = compile_rule(text, SCHEMA)
    return rule.evaluate(ValueSet(indicators or {}, tables or {}), previous, missing)


def status(text, **indicators):
    """Status of a non-row rule over the given indicator values (policy "skip")."""
    (outcome,) = evaluate(text, indicators)
    return outcome.status


def table(*rows, total=None):
    """TableData with row ids 1, 2, ... for the given cell dicts."""
    return TableData(rows=list(enumerate(rows, start=1)), total=total)


# -- comparisons and arithmetic -------------------------------------------------------------


def test_total_equals_sum_of_parts():
    assert status("tong = a + b + c", tong=6, a=1, b=2, c=3) == "passed"
    assert status("tong = a + b + c", tong=7, a=1, b=2, c=3) == "failed"


def test_parts_within_the_whole():
    rule = "dung_han + qua_han <= duoc_giao"
    assert status(rule, dung_han=8, qua_han=2, duoc_giao=10) == "passed"
    assert status(rule, dung_han=9, qua_han=2, duoc_giao=10) == "failed"


@pytest.mark.parametrize(
    ("op", "expected"),
    [("=", "failed"), ("!=", "passed"), ("<", "passed"), ("<=", "passed"), (">", "failed")]
    + [(">=", "failed"), ("==", "failed"), ("<>", "passed"), ("≤", "passed"), ("≠", "passed")],
)
def test_operators(op, expected):
    assert status(f"a {op} b", a=1, b=2) == expected


def test_chain_needs_every_adjacent_pair():
    assert status("a >= b >= c", a=3, b=2, c=2) == "passed"
    assert status("a >= b >= c", a=3, b=4, c=1) == "failed"
    assert status("a >= b >= c", a=3, b=2, c=5) == "failed"


def test_a_failing_pair_fails_the_chain_even_with_a_missing_value():
    assert status("a >= b >= c", a=1, b=2, c=None) == "failed"


def test_decimals_are_exact():
    assert status("d = 0.1 + 0.2", d=Decimal("0.3")) == "passed"
    assert status("d = 2.5", d=Decimal("2.50")) == "passed"
    assert status("d * 3 = 1", d=Decimal("0.333333")) == "failed"


def test_arithmetic_precedence_and_parentheses():
    assert status("tong = a + b * c", tong=7, a=1, b=2, c=3) == "passed"
    assert status("tong = (a + b) * c", tong=9, a=1, b=2, c=3) == "passed"
    assert status("-a + b = 1", a=1, b=2) == "passed"
    assert status("a / b = 0.5", a=1, b=2) == "passed"


def test_percentages_of_one_whole():
    assert status("ty_le_a + ty_le_b <= 100", ty_le_a=Decimal("60"), ty_le_b=Decimal("40.5")) == (
        "failed"
    )
    assert status("ty_le_a + ty_le_b = 100", ty_le_a=Decimal("59.5"), ty_le_b=Decimal("40.5")) == (
        "passed"
    )


def test_division_by_zero_skips_with_a_notice():
    (outcome,) = evaluate("a / b >= 1", {"a": 1, "b": 0})
    assert outcome.status == "skipped"
    assert outcome.notice == "Phép chia cho 0 trong a / b"


def test_huge_numbers_skip_instead_of_raising():
    huge = Decimal("9E+999999")
    (outcome,) = evaluate("d * d > 0", {"d": huge})
    assert outcome.status == "skipped"
    assert outcome.notice == "Số quá lớn, không tính được"


# -- functions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "sum(a, b, c) = 6",
        "min(a, b, c) = 1",
        "max(a, b, c) = 3",
        "abs(a - c) = 2",
        "round(d, 1) = 2.3",
        "round(d) = 2",
        "count_filled(a, b, x, y) = 3",
    ],
)
def test_functions(text):
    values = {"a": 1, "b": 2, "c": 3, "d": Decimal("2.25"), "x": 0, "y": None}
    assert evaluate(text, values)[0].status == "passed"


def test_round_half_up():
    assert status("round(d, 1) = 2.3", d=Decimal("2.25")) == "passed"
    assert status("round(d) = 3", d=Decimal("2.5")) == "passed"


def test_filled_and_na():
    assert status("filled(a)", a=0) == "passed"
    assert status("filled(a)", a=None) == "failed"
    assert status("filled(a)", a=NA) == "failed"
    assert status("na(a)", a=NA) == "passed"
    assert status("na(a)", a="/") == "passed"
    assert status("na(a)", a=None) == "failed"
    assert status("filled(ten)", ten="  ") == "failed"


# -- conditionals and logic -----------------------------------------------------------------


def test_if_then_requires_the_consequence_only_when_the_condition_holds():
    rule = "if co_ke_hoach = 1 then filled(so_van_ban)"
    assert status(rule, co_ke_hoach=1, so_van_ban=3) == "passed"
    assert status(rule, co_ke_hoach=1, so_van_ban=None) == "failed"
    assert status(rule, co_ke_hoach=0, so_van_ban=None) == "passed"


def test_if_with_a_missing_condition_is_skipped():
    (outcome,) = evaluate("if co_ke_hoach = 1 then filled(so_van_ban)", {})
    assert outcome.status == "skipped"
    assert outcome.notice == "Thiếu số liệu: co_ke_hoach"


def test_zero_or_not_applicable():
    rule = "if x = 0 then y = 0 or na(y)"
    assert status(rule, x=0, y=0) == "passed"
    assert status(rule, x=0, y=NA) == "passed"
    assert status(rule, x=0, y=3) == "failed"
    assert status(rule, x=5, y=3) == "passed"
    assert status(rule, x=0, y=None) == "skipped"


def test_else_branch():
    rule = "if x = 0 then y = 0 else y > 0"
    assert status(rule, x=1, y=0) == "failed"
    assert status(rule, x=1, y=2) == "passed"


def test_three_valued_logic():
    assert status("a = 1 or b = 2", a=None, b=2) == "passed"
    assert status("a = 1 and b = 2", a=None, b=3) == "failed"
    assert status("a = 1 and b = 2", a=None, b=2) == "skipped"
    assert status("not (a = 1)", a=None) == "skipped"
    assert status("not (a = 1)", a=2) == "passed"


# -- text and dates -------------------------------------------------------------------------


def test_text_compares_ignoring_case_spaces_and_composition():
    decomposed = "Đa\u0323t"  # "Đạt" typed with a combining dot below
    assert status('ten = "đạt"', ten=f"  {decomposed} ") == "passed"
    assert status('ten != "Đạt"', ten="Không đạt") == "passed"


def test_docref_compares_as_printed():
    ref = DocRef("Kế hoạch", "01/KH-SKHCN", datetime.date(2021, 1, 7))
    assert status('ke_hoach = "Kế hoạch số 01/KH-SKHCN ngày 07/01/2021"', ke_hoach=ref) == "passed"
    assert status("filled(ke_hoach)", ke_hoach=ref) == "passed"


def test_dates():
    rule = 'ngay >= date("01/01/2025")'
    assert status(rule, ngay=datetime.date(2025, 3, 1)) == "passed"
    assert status(rule, ngay=datetime.date(2024, 12, 31)) == "failed"
    assert status(rule, ngay=datetime.datetime(2025, 1, 1, 8, 30)) == "passed"


# -- missing values -------------------------------------------------------------------------


def test_skip_policy_names_every_missing_value():
    (outcome,) = evaluate("tong = a + b + c", {"tong": 5, "a": None, "c": NA})
    assert outcome.status == "skipped"
    assert outcome.notice == "Thiếu số liệu: a, b; Không áp dụng: c"


def test_zero_policy_counts_missing_and_na_as_zero():
    (outcome,) = evaluate("tong = a + b + c", {"tong": 5, "a": 5, "c": NA}, missing="zero")
    assert outcome.status == "passed"
    (outcome,) = evaluate("tong = a + b + c", {"tong": 6, "a": 5, "c": NA}, missing="zero")
    assert outcome.status == "failed"


def test_template_policy_labels_are_accepted():
    assert evaluate("a = 0", {}, missing="tính là 0")[0].status == "passed"
    assert evaluate("a = 0", {}, missing="bỏ qua")[0].status == "skipped"


def test_unknown_policy_is_a_programming_error():
    rule = compile_rule("a = 0", SCHEMA)
    with pytest.raises(ValueError, match="policy"):
        rule.evaluate(ValueSet(), missing="ignore")


def test_presence_functions_never_skip():
    assert evaluate("count_filled(a, b) = 0", {"b": NA})[0].status == "passed"
    assert evaluate("filled(a) or na(a)", {})[0].status == "failed"


def test_missing_date_still_skips_under_zero_policy():
    (outcome,) = evaluate('ngay >= date("01/01/2025")', {}, missing="zero")
    assert outcome.status == "skipped"


@pytest.mark.parametrize("raw", ["12", True, datetime.date(2025, 1, 1), Decimal("NaN"), [1]])
def test_wrong_type_in_a_number_skips_with_a_notice(raw):
    for missing in ("skip", "zero"):
        (outcome,) = evaluate("a >= 0", {"a": raw}, missing=missing)
        assert outcome.status == "skipped"
        assert outcome.notice.startswith("Số liệu sai kiểu: a = ")


# -- previous period ------------------------------------------------------------------------

CARRY_OVER = "tthc_hieu_luc = prev(tthc_hieu_luc) + tthc_moi - tthc_bai_bo"


def test_prev_without_previous_report_is_skipped():
    (outcome,) = evaluate(CARRY_OVER, {"tthc_hieu_luc": 10, "tthc_moi": 1, "tthc_bai_bo": 0})
    assert outcome == Outcome("skipped", None, "Không có báo cáo kỳ trước")


def test_prev_reads_the_previous_report():
    current = {"tthc_hieu_luc": 59, "tthc_moi": 3, "tthc_bai_bo": 1}
    passing = ValueSet({"tthc_hieu_luc": 57})
    failing = ValueSet({"tthc_hieu_luc": 60})
    (outcome,) = evaluate(CARRY_OVER, current, previous=passing)
    assert outcome.status == "passed"
    assert outcome.seen["prev(tthc_hieu_luc)"] == 57
    assert evaluate(CARRY_OVER, current, previous=failing)[0].status == "failed"


def test_prev_value_missing_in_previous_report():
    current = {"tthc_hieu_luc": 1, "tthc_moi": 1, "tthc_bai_bo": 0}
    (outcome,) = evaluate(CARRY_OVER, current, previous=ValueSet())
    assert outcome.status == "skipped"
    assert outcome.notice == "Thiếu số liệu: prev(tthc_hieu_luc)"


def test_prev_of_an_aggregate():
    previous = ValueSet(tables={"thtc": table({"c4": 5}, {"c4": 6})})
    rule = "sum(thtc.c4) >= prev(sum(thtc.c4))"
    grown = {"thtc": table({"c4": 12})}
    assert evaluate(rule, tables=grown, previous=previous)[0].status == "passed"
    (outcome,) = evaluate(rule, tables={"thtc": table({"c4": 10})}, previous=previous)
    assert outcome.status == "failed"
    assert outcome.seen == {"sum(thtc.c4)": 10, "prev(sum(thtc.c4))": 11}
    # The previous report's cells are not cells of this report: only current ones are refs.
    assert outcome.refs == (("thtc", 1, "c4"),)


def test_last_reads_the_latest_report_and_prev_the_same_kind():
    rule = compile_rule("tthc_hieu_luc = last(tthc_hieu_luc) + tthc_moi - tthc_bai_bo", SCHEMA)
    assert (rule.uses_latest, rule.uses_previous) == (True, False)
    current = ValueSet({"tthc_hieu_luc": 59, "tthc_moi": 3, "tthc_bai_bo": 1})
    same_kind_last_year, latest = ValueSet({"tthc_hieu_luc": 40}), ValueSet({"tthc_hieu_luc": 57})
    (outcome,) = rule.evaluate(current, previous=same_kind_last_year, latest=latest)
    assert outcome.status == "passed"
    assert outcome.seen["last(tthc_hieu_luc)"] == 57
    (outcome,) = rule.evaluate(current, previous=latest, latest=same_kind_last_year)
    assert outcome.status == "failed"


def test_last_without_an_earlier_report_is_skipped():
    rule = compile_rule("tthc_hieu_luc >= last(tthc_hieu_luc)", SCHEMA)
    (outcome,) = rule.evaluate(ValueSet({"tthc_hieu_luc": 1}), previous=ValueSet())
    assert outcome == Outcome("skipped", None, "Không có báo cáo nào trước báo cáo này")


def test_prev_and_last_together_and_of_an_aggregate():
    rule = compile_rule("sum(thtc.c4) >= last(sum(thtc.c4)) and tong >= prev(tong)", SCHEMA)
    assert (rule.uses_latest, rule.uses_previous) == (True, True)
    values = ValueSet({"tong": 3}, {"thtc": table({"c4": 12})})
    latest = ValueSet(tables={"thtc": table({"c4": 11})})
    (outcome,) = rule.evaluate(values, previous=ValueSet({"tong": 4}), latest=latest)
    assert outcome.status == "failed"  # the sum grew since the latest report, tong fell
    assert outcome.seen["last(sum(thtc.c4))"] == 11 and outcome.seen["prev(tong)"] == 4


# -- row rules ------------------------------------------------------------------------------


def test_row_rule_gives_one_outcome_per_row():
    data = table({"c4": 2, "c5": 0, "c6": 2}, {"c4": 3, "c5": 1, "c6": 1})
    outcomes = evaluate("thtc.c4 = thtc.c5 + thtc.c6", tables={"thtc": data})
    assert [(o.row_id, o.status) for o in outcomes] == [(1, "passed"), (2, "failed")]
    failed = outcomes[1]
    assert failed.refs == (("thtc", 2, "c4"), ("thtc", 2, "c5"), ("thtc", 2, "c6"))
    assert failed.seen == {"thtc[2].c4": 3, "thtc[2].c5": 1, "thtc[2].c6": 1}


def test_row_rule_skips_only_the_rows_with_missing_values():
    data = table({"c4": 2, "c5": 0, "c6": 2}, {"c4": 3, "c6": 3})
    outcomes = evaluate("thtc.c4 = thtc.c5 + thtc.c6", tables={"thtc": data})
    assert [o.status for o in outcomes] == ["passed", "skipped"]
    assert outcomes[1].notice == "Thiếu số liệu: thtc[2].c5"
    zero = evaluate("thtc.c4 = thtc.c5 + thtc.c6", tables={"thtc": data}, missing="zero")
    assert [o.status for o in zero] == ["passed", "passed"]


def test_exactly_one_completion_mark_per_row():
    data = table(
        {"tot": True, "hoan_thanh": False, "cham": None, "chua": None},
        {"tot": True, "hoan_thanh": True},
        {},
        {"chua": True, "cham": NA},
    )
    outcomes = evaluate(
        "count_filled(kh.tot, kh.hoan_thanh, kh.cham, kh.chua) = 1", tables={"kh": data}
    )
    assert [o.status for o in outcomes] == ["passed", "failed", "failed", "passed"]


def test_row_rule_mixing_indicators_and_aggregates():
    data = table({"c4": 2}, {"c4": 9})
    outcomes = evaluate("thtc.c4 <= a and thtc.c4 * 2 <= sum(thtc.c4)", {"a": 5}, {"thtc": data})
    assert [o.status for o in outcomes] == ["passed", "failed"]
    assert outcomes[0].seen["sum(thtc.c4)"] == 11


def test_row_rule_on_an_empty_or_absent_table():
    for tables in ({"thtc": table()}, {}):
        (outcome,) = evaluate("thtc.c4 >= 0", tables=tables)
        assert outcome.status == "skipped"
        assert outcome.notice == "Bảng thtc chưa có dòng nào"


def test_cell_of_the_wrong_type_skips_that_row():
    data = table({"c4": 1}, {"c4": "abc"}, {"c4": 3})
    outcomes = evaluate("thtc.c4 >= 0", tables={"thtc": data})
    assert [o.status for o in outcomes] == ["passed", "skipped", "passed"]
    assert outcomes[1].notice == "Số liệu sai kiểu: thtc[2].c4 = 'abc'"


# -- aggregates -----------------------------------------------------------------------------


def test_printed_total_against_sum_of_rows():
    good = table({"c4": 2}, {"c4": 3}, total={"c4": 5})
    bad = table({"c4": 2}, {"c4": 3}, total={"c4": 4})
    rule = "total(thtc.c4) = sum(thtc.c4)"
    assert evaluate(rule, tables={"thtc": good})[0].status == "passed"
    (outcome,) = evaluate(rule, tables={"thtc": bad})
    assert outcome.status == "failed"
    assert outcome.seen == {"total(thtc.c4)": 4, "sum(thtc.c4)": 5}
    assert outcome.refs[0] == ("thtc", TOTAL_ROW, "c4")


def test_total_without_a_total_row_is_skipped():
    (outcome,) = evaluate("total(thtc.c4) = sum(thtc.c4)", tables={"thtc": table({"c4": 1})})
    assert outcome.status == "skipped"
    assert outcome.notice == "Bảng thtc không có dòng tổng cộng"


def test_table_linked_to_an_indicator():
    data = {"thtc": table({"c6": 2}, {"c6": 23})}
    assert evaluate("sum(thtc.c6) = so_ho_so", {"so_ho_so": 25}, data)[0].status == "passed"
    assert evaluate("sum(thtc.c6) = so_ho_so", {"so_ho_so": 24}, data)[0].status == "failed"


def test_aggregate_functions_and_count():
    data = {"thtc": table({"c4": 2, "c5": 1}, {"c4": 7, "c5": 4}, {"c4": 5, "c5": 0})}
    for rule in ("count(thtc) = 3", "min(thtc.c4) = 2", "max(thtc.c4) = 7"):
        assert evaluate(rule, tables=data)[0].status == "passed", rule
    assert evaluate("sum(thtc.c4 - thtc.c5) = 9", tables=data)[0].status == "passed"


def test_aggregates_over_no_rows():
    assert evaluate("sum(thtc.c4) = 0 and count(thtc) = 0", tables={})[0].status == "passed"
    (outcome,) = evaluate("max(thtc.c4) >= 0", tables={})
    assert outcome.status == "skipped"
    assert outcome.notice == "Bảng thtc chưa có dòng nào"


def test_aggregate_skips_on_a_missing_cell_unless_zero():
    data = {"thtc": table({"c4": 2}, {"c4": None}, total={"c4": 2})}
    (outcome,) = evaluate("total(thtc.c4) = sum(thtc.c4)", tables=data)
    assert outcome.notice == "Thiếu số liệu: thtc[2].c4"
    assert evaluate("total(thtc.c4) = sum(thtc.c4)", tables=data, missing="zero")[0].passed


def test_long_notices_are_shortened():
    data = {"thtc": table(*({"c4": None} for _ in range(12)))}
    (outcome,) = evaluate("sum(thtc.c4) >= 0", tables=data)
    assert outcome.notice.endswith("thtc[8].c4 và 4 giá trị khác")


def test_compiled_rule_is_reusable_across_reports():
    rule = compile_rule("thtc.c4 <= sum(thtc.c4) - 1", SCHEMA)
    first = rule.evaluate(ValueSet(tables={"thtc": table({"c4": 1}, {"c4": 1})}))
    second = rule.evaluate(ValueSet(tables={"thtc": table({"c4": 5})}))
    assert [o.status for o in first] == ["passed", "passed"]
    assert [o.status for o in second] == ["failed"]
