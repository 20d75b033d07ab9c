"""Score expressions (indicators.rules.compile_score) and the points they suggest, against an
oracle written here."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.rules import RuleCompileError, Schema, TableData, ValueSet, compile_score
from parindex.suggestions import points_for

SCHEMA = Schema(
    indicators={"done": "integer", "plan": "integer", "rate": "percent", "name": "text"},
    tables={"t": {"c": "integer"}},
)


def _oracle(done, plan, max_points):
    if plan == 0:
        return None
    share = min(max(Decimal(done) / Decimal(plan), Decimal(0)), Decimal(1))
    return (Decimal(max_points) * share).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@given(
    st.integers(min_value=-10, max_value=10**9),
    st.integers(min_value=0, max_value=10**9),
    st.sampled_from(["0.5", "2", "3", "4.25", "6"]),
)
def test_a_share_gives_its_part_of_the_points(done, plan, max_points):
    program = compile_score("done / plan", SCHEMA)
    value, seen, notice = program.evaluate(ValueSet(indicators={"done": done, "plan": plan}))
    expected = _oracle(done, plan, max_points)
    if expected is None:
        assert value is None and "chia cho 0" in notice
    else:
        assert points_for(value, Decimal(max_points)) == expected
        assert seen == {"done": done, "plan": plan}


@given(st.integers(min_value=0, max_value=100), st.integers(min_value=0, max_value=100))
def test_a_condition_gives_all_or_nothing(done, plan):
    program = compile_score("done >= plan", SCHEMA)
    assert program.is_condition
    value, _seen, _notice = program.evaluate(ValueSet(indicators={"done": done, "plan": plan}))
    assert points_for(value, Decimal(3)) == (Decimal(3) if done >= plan else Decimal(0))


def test_aggregated_tables_are_allowed_and_a_missing_value_says_so():
    program = compile_score("sum(t.c) / plan", SCHEMA)
    rows = [(1, {"c": 2}), (2, {"c": 3})]
    values = ValueSet(indicators={"plan": 10}, tables={"t": TableData(rows=rows)})
    assert program.evaluate(values)[0] == Decimal("0.5")
    value, _seen, notice = compile_score("done / plan", SCHEMA).evaluate(ValueSet())
    assert value is None and "Thiếu số liệu" in notice


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name", "một điều kiện đúng/sai hoặc một số"),
        ("t.c > 1", "gộp các dòng của bảng t"),
        ("done >= prev(done)", "chỉ đọc báo cáo năm"),
        ("don / plan", "Có phải 'done'?"),
    ],
)
def test_what_a_score_expression_may_not_be(text, message):
    with pytest.raises(RuleCompileError) as caught:
        compile_score(text, SCHEMA)
    assert message in " ".join(str(p) for p in caught.value.problems)
