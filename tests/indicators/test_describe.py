"""Aggregation expressions in words (indicators.rules.describe): what the province's reviewers
read on the "Tổng hợp" tab instead of `sum(so_nv_ke_hoach)`."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.rules.describe import Named, describe_aggregate

NAMES = {
    "so_nv_ke_hoach": Named("Số nhiệm vụ đề ra"),
    "so_nv_hoan_thanh": Named("Số nhiệm vụ hoàn thành"),
    "co_tuyen_truyen": Named("Có tuyên truyền CCHC", {1: "Có", 0: "Không"}),
    "so_phieu": Named("Số lượng phiếu khảo sát"),
    "ty_le_hai_long": Named("Tỷ lệ hài lòng"),
}


@pytest.mark.parametrize(
    ("expression", "words"),
    [
        ("sum(so_nv_ke_hoach)", "Tổng Số nhiệm vụ đề ra của các đơn vị"),
        (
            "ratio(sum(so_nv_hoan_thanh), sum(so_nv_ke_hoach))",
            "Tỷ lệ (%) tổng Số nhiệm vụ hoàn thành trên tổng Số nhiệm vụ đề ra của các đơn vị",
        ),
        ("count(co_tuyen_truyen = 1)", "Số đơn vị có “Có tuyên truyền CCHC” là Có"),
        ("count(co_tuyen_truyen != 1)", "Số đơn vị có “Có tuyên truyền CCHC” không là Có"),
        ("count(so_phieu > 0)", "Số đơn vị có “Số lượng phiếu khảo sát” lớn hơn 0"),
        (
            "count(so_phieu >= 1000.5 and co_tuyen_truyen = 0)",
            "Số đơn vị có “Số lượng phiếu khảo sát” không nhỏ hơn 1.000,5 và "
            "“Có tuyên truyền CCHC” là Không",
        ),
        ("count(filled(so_phieu))", "Số đơn vị thỏa điều kiện: đã điền Số lượng phiếu khảo sát"),
        ("count_units()", "Số đơn vị được tổng hợp"),
        ("avg(ty_le_hai_long)", "Trung bình Tỷ lệ hài lòng của các đơn vị"),
        ("max(ty_le_hai_long)", "Tỷ lệ hài lòng cao nhất của các đơn vị"),
        (
            "sum(so_nv_ke_hoach) - sum(so_nv_hoan_thanh)",
            "Tổng Số nhiệm vụ đề ra trừ tổng Số nhiệm vụ hoàn thành của các đơn vị",
        ),
        ("nhập tay", "Nhập tay"),
        ("sum(so_nv_ke_hoach", "Biểu thức tổng hợp chưa đúng"),
    ],
)
def test_an_expression_reads_in_vietnamese(expression, words):
    assert describe_aggregate(expression, NAMES) == words


CODE = re.compile(r"\b[a-z]+_[a-z_]+\b|\b(sum|count|ratio|avg|min|max)\(|[<>=]")
codes = st.sampled_from(["so_nv_ke_hoach", "so_nv_hoan_thanh", "so_phieu"])
aggregates = st.builds(lambda f, c: f"{f}({c})", st.sampled_from(["sum", "min", "max"]), codes)
conditions = st.builds(
    lambda c, op, n: f"count({c} {op} {n})", codes, st.sampled_from(["=", "<", ">=", "!="]),
    st.integers(0, 10**6),
)  # fmt: skip
expressions = st.recursive(
    st.one_of(aggregates, conditions, st.just("count_units()")),
    lambda inner: (
        st.builds(
            lambda a, op, b: f"{a} {op} {b}", inner, st.sampled_from(["+", "-", "*", "/"]), inner
        )
        | st.builds(lambda a, b: f"ratio({a}, {b})", inner, inner)
    ),
    max_leaves=6,
)


@given(expressions)
def test_no_code_or_function_of_any_expression_reaches_the_words(expression):
    words = describe_aggregate(expression, NAMES)
    assert not CODE.search(words), words
    assert words[0].isupper()
