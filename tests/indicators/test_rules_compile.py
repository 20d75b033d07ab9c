"""Compiling rules: what an administrator sees before saving a rule."""

import pickle

import pytest

from indicators.rules import (
    MAX_DEPTH,
    MAX_LENGTH,
    CompiledRule,
    RuleCompileError,
    Schema,
    TableData,
    ValueSet,
    compile_rule,
)
from indicators.types import ValueType

SCHEMA = Schema(
    indicators={
        "tong": ValueType.INTEGER,
        "a": ValueType.INTEGER,
        "b": ValueType.DECIMAL,
        "so_nv_ke_hoach": ValueType.INTEGER,
        "ty_le": ValueType.PERCENT,
        "co_ke_hoach": ValueType.CHOICE,
        "ten_ke_hoach": ValueType.TEXT,
        "ke_hoach_cchc": ValueType.DOCREF,
        "ngay_ban_hanh": ValueType.DATE,
        "tieu_de": ValueType.HEADING,
    },
    tables={
        "thtc": {"ten": ValueType.TEXT, "c4": ValueType.INTEGER, "c5": ValueType.INTEGER},
        "kh": {"so_nv": ValueType.INTEGER, "tot": ValueType.MARK, "cham": ValueType.MARK},
    },
)


def problems(text, schema=SCHEMA):
    with pytest.raises(RuleCompileError) as caught:
        compile_rule(text, schema)
    return caught.value.problems


def only_problem(text):
    found = problems(text)
    assert len(found) == 1, found
    return found[0]


# -- what a compiled rule tells the UI ------------------------------------------------------


def test_indicator_rule_lists_its_codes():
    rule = compile_rule("tong = a + b", SCHEMA)
    assert isinstance(rule, CompiledRule)
    assert rule.references == {"tong", "a", "b"}
    assert rule.row_table is None
    assert rule.uses_previous is False


def test_column_outside_aggregate_makes_a_row_rule():
    rule = compile_rule("thtc.c4 >= thtc.c5 + a", SCHEMA)
    assert rule.row_table == "thtc"
    assert rule.references == {("thtc", "c4"), ("thtc", "c5"), "a"}


def test_aggregates_alone_do_not_make_a_row_rule():
    rule = compile_rule("total(thtc.c4) = sum(thtc.c4) and count(kh) >= 1", SCHEMA)
    assert rule.row_table is None
    assert rule.references == {("thtc", "c4")}


def test_prev_is_flagged():
    assert compile_rule("tong >= prev(tong)", SCHEMA).uses_previous is True
    assert compile_rule("sum(thtc.c4) >= prev(sum(thtc.c4))", SCHEMA).uses_previous is True


@pytest.mark.parametrize(
    "text",
    [
        "IF co_ke_hoach = 1 THEN filled(ke_hoach_cchc)",
        "if co_ke_hoach = 1 then a = 0 else not na(a)",
        "a ≤ tong and tong ≠ 0 or a == 1 or a <> 2",
        "ten_ke_hoach = “Kế hoạch CCHC”",
        'ngay_ban_hanh >= date("1/7/2025") and ngay_ban_hanh < date("2026-01-01")',
        "tong =\n  a\n  + b",
        "round(b / a * 100, 2) <= ty_le and abs(a - tong) <= max(a, tong, 1)",
        "count_filled(kh.tot, kh.cham) = 1",
        "-a <= +tong",
        "((((a)))) = tong",
    ],
)
def test_valid_rules_compile(text):
    compile_rule(text, SCHEMA)


def test_compiled_rule_pickles_by_recompiling():
    rule = compile_rule("total(thtc.c4) = sum(thtc.c4)", SCHEMA)
    copy = pickle.loads(pickle.dumps(rule))
    values = ValueSet(tables={"thtc": TableData(rows=[(1, {"c4": 2})], total={"c4": 3})})
    assert copy.text == rule.text
    assert [o.status for o in copy.evaluate(values)] == ["failed"]


# -- syntax errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "column", "fragment"),
    [
        ("tong = a +", 1, 11, "chưa kết thúc"),
        ("tong = a + * b", 1, 12, "Không mong đợi '*'"),
        ("tong = a b", 1, 10, "mã chỉ tiêu 'b'"),
        ("a = tong\n  and @ b", 2, 7, "Ký tự không hợp lệ '@'"),
        ("(a = tong", 1, 10, "')'"),
        ("sum(a, b = tong", 1, 16, "')'"),
        ("if a = 1 filled(b)", 1, 10, "'then'"),
        ("ty_le <= 0,5", 1, 11, "dấu chấm"),
        ("ten_ke_hoach = 'Có'", 1, 16, "ngoặc kép"),
        ("nếu a = 1 thì b = 2", 1, 2, "không dấu"),
    ],
)
def test_syntax_error_position_and_message(text, line, column, fragment):
    problem = only_problem(text)
    assert (problem.line, problem.column) == (line, column)
    assert "Lỗi cú pháp" in problem.message
    assert fragment in problem.message


def test_snippet_puts_a_caret_under_the_problem():
    problem = only_problem("a = tong\n  and @ b")
    assert problem.snippet == "  and @ b\n      ^"
    assert str(problem).startswith("Dòng 2, cột 7: Lỗi cú pháp")


def test_snippet_of_a_long_line_is_cut_around_the_problem():
    text = " + ".join(["a"] * 300) + " @"
    problem = only_problem(text)
    shown, caret = problem.snippet.split("\n")
    assert len(shown) < 100
    assert shown[len(caret) - 1] == "@"


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_rule(text):
    assert only_problem(text).message == "Biểu thức trống."


def test_non_string_input_is_a_compile_error():
    assert only_problem(None).message == "Biểu thức trống."


# -- unknown codes --------------------------------------------------------------------------


def test_unknown_indicator_suggests_the_close_code():
    problem = only_problem("so_nv_ke_hoch >= 1")
    assert problem.message == (
        "Không có chỉ tiêu 'so_nv_ke_hoch' trong mẫu. Có phải 'so_nv_ke_hoach'?"
    )
    assert (problem.line, problem.column) == (1, 1)


def test_wrong_case_is_suggested():
    assert "Có phải 'tong'?" in only_problem("TONG = a").message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("thtcc.c4 = 1", "Không có bảng 'thtcc' trong mẫu. Có phải 'thtc'?"),
        ("thtc.c9 = 1", "Bảng 'thtc' không có cột 'c9'."),
        ("thtc = 1", "'thtc' là bảng, không phải chỉ tiêu"),
        ("tieu_de = 1", "'tieu_de' là dòng tiêu đề, không mang số liệu."),
        ("avg(a) = 1", "Không có hàm 'avg'."),
        ("count(a) = 1", "Hàm count() nhận mã bảng, không nhận a."),
        ("total(a) = 1", "Hàm total() nhận một cột bảng"),
        ("filled(a + b)", "Hàm filled() nhận mã chỉ tiêu hoặc cột bảng, không nhận a + b."),
        ("abs(a, b) = 1", "Hàm abs() cần đúng 1 đối số, có 2."),
        ("round(b, 11) = 1", "round() phải là số nguyên từ 0 đến 10"),
        ('date("31/02/2025") = ngay_ban_hanh', 'Ngày không hợp lệ: "31/02/2025"'),
    ],
)
def test_unknown_or_misused_names(text, message):
    assert message in only_problem(text).message


def test_all_problems_are_listed_in_text_order():
    found = problems("x1 = tong +\n thtc.zz + abs(yy)")
    assert [(p.line, p.column) for p in found] == [(1, 1), (2, 2), (2, 16)]
    assert "x1" in found[0].message
    assert "'zz'" in found[1].message
    assert "'yy'" in found[2].message


# -- type mismatches ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ngay_ban_hanh = so_nv_ke_hoach", "Không so sánh được ngay_ban_hanh (ngày) với "),
        ("ngay_ban_hanh + 1 = ngay_ban_hanh", "Phép tính '+' cần số, nhưng ngay_ban_hanh là ngày."),
        ("ten_ke_hoach * 2 = 4", "Phép tính '*' cần số, nhưng ten_ke_hoach là văn bản."),
        ('ten_ke_hoach < "B"', "Văn bản chỉ so sánh bằng '=' hoặc '!='"),
        ("ke_hoach_cchc = 1", "Không so sánh được ke_hoach_cchc (văn bản) với 1 (số)."),
        ("kh.tot = 1", "Ô đánh dấu chỉ dùng trong filled(), na() hoặc count_filled()."),
        ("a + b", "Quy tắc phải là một điều kiện đúng/sai"),
        ("if a then b = 1", "Điều kiện sau 'if' cần điều kiện đúng/sai, nhưng a là số."),
        ("if a = 1 then b", "Phần sau 'then' cần điều kiện đúng/sai, nhưng b là số."),
        ("not a", "'not' cần điều kiện đúng/sai"),
        ("a = 1 and b", "'and' cần điều kiện đúng/sai, nhưng b là số."),
        ("(a = 1) + 1 = 2", "Phép tính '+' cần số, nhưng a = 1 là điều kiện đúng/sai."),
        ("sum(thtc.ten) = 1", "Hàm sum() cần số, nhưng thtc.ten là văn bản."),
    ],
)
def test_type_mismatch_messages(text, message):
    assert message in only_problem(text).message


def test_columns_of_two_tables_row_by_row_are_rejected():
    problem = only_problem("thtc.c4 = kh.so_nv")
    assert "kh.so_nv thuộc bảng kh, khác bảng thtc" in problem.message
    assert (problem.line, problem.column) == (1, 11)


def test_other_table_through_an_aggregate_is_fine():
    rule = compile_rule("thtc.c4 <= sum(kh.so_nv) + count(kh)", SCHEMA)
    assert rule.row_table == "thtc"


def test_aggregate_over_two_tables_is_rejected():
    assert (
        "Hàm sum() chỉ dùng cột của một bảng" in only_problem("sum(thtc.c4 + kh.so_nv) = 1").message
    )


def test_prev_of_a_row_value_is_rejected():
    assert "prev() không dùng được với từng dòng" in only_problem("prev(thtc.c4) = 1").message
    assert "Không lồng prev()" in only_problem("prev(prev(a)) = 1").message
    assert "last() không dùng được với từng dòng" in only_problem("last(thtc.c4) = 1").message
    assert "Không lồng prev() trong last()" in only_problem("last(prev(a)) = 1").message
    assert "dùng last(sum(thtc.c4))" in only_problem("last(thtc.c4) = 1").message


# -- limits ---------------------------------------------------------------------------------


def test_too_long():
    text = "a = " + " + ".join(["tong"] * 500)
    assert len(text) > MAX_LENGTH
    assert "quá dài" in only_problem(text).message


def test_too_deep_is_reported_not_a_crash():
    problem = only_problem("-" * 500 + "a = 1")
    assert f"tối đa {MAX_DEPTH} cấp" in problem.message


def test_deep_parentheses_and_long_sums_are_fine():
    compile_rule("(" * 900 + "a" + ")" * 900 + " = 1", SCHEMA)
    compile_rule("tong = " + " + ".join(["a"] * 400), SCHEMA)


def test_garbage_lists_a_bounded_number_of_problems():
    found = problems(" + ".join(f"x{index}" for index in range(200)) + " = 1")
    assert len(found) == 21
    assert found[-1].message == "... và 180 lỗi khác."
