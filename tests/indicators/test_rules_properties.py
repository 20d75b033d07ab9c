"""Property tests: no input string crashes compile_rule, no value crashes evaluate."""

import datetime
from decimal import Decimal

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from indicators.rules import (
    MAX_LENGTH,
    CompiledRule,
    RuleCompileError,
    Schema,
    TableData,
    ValueSet,
    compile_rule,
)
from indicators.rules.evaluator import INTERNAL_ERROR
from indicators.types import NOT_APPLICABLE, DocRef, ValueType

SCHEMA = Schema(
    indicators={
        "n": ValueType.INTEGER,
        "d": ValueType.DECIMAL,
        "p": ValueType.PERCENT,
        "ch": ValueType.CHOICE,
        "x": ValueType.TEXT,
        "r": ValueType.DOCREF,
        "dt": ValueType.DATE,
        "h": ValueType.HEADING,
    },
    tables={
        "t": {
            "n": ValueType.INTEGER,
            "x": ValueType.TEXT,
            "m": ValueType.MARK,
            "dt": ValueType.DATE,
        },
        "u": {"n": ValueType.INTEGER, "m": ValueType.MARK},
    },
)

PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def compile_or_problems(text):
    """Compile; the only acceptable failure is a RuleCompileError with well-formed problems."""
    try:
        return compile_rule(text, SCHEMA)
    except RuleCompileError as error:
        assert error.problems
        for problem in error.problems:
            assert isinstance(problem.message, str) and problem.message
            assert problem.line is None or problem.line >= 1
            assert problem.column is None or problem.column >= 1
            assert isinstance(problem.snippet, str)
        return None


# -- any text -------------------------------------------------------------------------------

TOKENS = [
    "n",
    "d",
    "p",
    "ch",
    "x",
    "r",
    "dt",
    "h",
    "t",
    "u",
    "t.n",
    "t.x",
    "t.m",
    "t.dt",
    "u.n",
    "u.m",
    "t.zz",
    "zz",
    "t.",
    ".",
    ",",
    "(",
    ")",
    "+",
    "-",
    "*",
    "/",
    "=",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "==",
    "<>",
    "≤",
    "≥",
    "≠",
    "if",
    "then",
    "else",
    "and",
    "or",
    "not",
    "IF",
    "AND",
    "filled",
    "na",
    "count_filled",
    "sum",
    "min",
    "max",
    "abs",
    "round",
    "count",
    "total",
    "prev",
    "date",
    "0",
    "1",
    "100",
    "0.5",
    "2.25",
    "0,5",
    '"Có"',
    "“x”",
    "'x'",
    'date("01/07/2025")',
    'date("99/99/9999")',
    "@",
    "#",
    ";",
    "\n",
]


@PROPERTY_SETTINGS
@given(st.text(max_size=300))
def test_random_text_only_raises_compile_errors(text):
    compile_or_problems(text)


@PROPERTY_SETTINGS
@given(st.lists(st.sampled_from(TOKENS), max_size=40).map(" ".join))
def test_token_soup_only_raises_compile_errors(text):
    compile_or_problems(text)


def test_huge_and_deep_inputs_only_raise_compile_errors():
    for text in [
        "(" * 5000,
        "(" * 999 + "n" + ")" * 999 + " = 1",
        "not " * 490 + "n = 1",
        "-" * 1990 + "n = 1",
        "abs(" * 300 + "n" + ")" * 300 + " = 1",
        "if n = 1 then " * 100 + "n = 1",
        "n" + " + n" * 600,
        "\x00\ud800\u202e = 1",
    ]:
        compile_or_problems(text)


# -- any value ------------------------------------------------------------------------------

ANY_VALUE = st.one_of(
    st.none(),
    st.just(NOT_APPLICABLE),
    st.just("/"),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.dates(),
    st.datetimes(),
    st.booleans(),
    st.floats(),
    st.builds(DocRef, st.sampled_from(["Kế hoạch", "Công văn"]), st.text(max_size=5), st.dates()),
    st.lists(st.integers(), max_size=2),
)


NUMBERS_OF_ANY_SIZE = st.one_of(
    st.integers(0, 10**4), st.decimals(min_value=-(10**6), max_value=10**6, places=3)
)
TYPED_VALUE = {
    ValueType.INTEGER: st.integers(0, 10**4),
    ValueType.CHOICE: st.integers(0, 3),
    ValueType.DECIMAL: NUMBERS_OF_ANY_SIZE,
    ValueType.PERCENT: st.decimals(min_value=0, max_value=100, places=2),
    ValueType.TEXT: st.sampled_from(["Có", "có ", "Không", ""]),
    ValueType.DOCREF: st.builds(DocRef, st.just("Kế hoạch"), st.just("01/KH"), st.dates()),
    ValueType.DATE: st.one_of(st.dates(), st.datetimes()),
    ValueType.MARK: st.booleans(),
    ValueType.HEADING: st.none(),
}


def slot(vtype):
    """Mostly a value of the declared type, sometimes missing, n/a or anything at all."""
    return st.one_of(TYPED_VALUE[vtype], TYPED_VALUE[vtype], ANY_VALUE)


def table_data(columns):
    row = st.fixed_dictionaries({}, optional={code: slot(vtype) for code, vtype in columns.items()})
    rows = st.lists(st.tuples(st.integers(0, 10**6), row), max_size=5)
    total = st.one_of(st.none(), row)
    return st.builds(TableData, rows=rows, total=total)


VALUE_SETS = st.builds(
    ValueSet,
    indicators=st.fixed_dictionaries(
        {}, optional={code: slot(vtype) for code, vtype in SCHEMA.indicators.items()}
    ),
    tables=st.fixed_dictionaries(
        {}, optional={code: table_data(columns) for code, columns in SCHEMA.tables.items()}
    ),
)

RULES = [
    "n = d + p * ch - n / d",
    "n >= d >= p",
    "p + d <= 100",
    "if ch = 1 then filled(x) else na(x) or n = 0",
    'x = "Có" and r != "" and not (dt < date("01/01/2025"))',
    "sum(n, d, p) = min(n, d) + max(p, ch) + abs(n) + round(d / n, 2)",
    "count_filled(n, x, r, dt) >= 2",
    "t.n = n + sum(t.n) - count(t) and filled(t.x)",
    "count_filled(t.m, t.n, t.x) = 1 or t.dt >= dt",
    't.dt = dt or t.dt > date("01/01/2020")',
    "total(t.n) = sum(t.n) and max(u.n) >= min(u.n) and count(u) >= 0",
    "n = prev(n) + sum(t.n) - prev(total(t.n))",
    "sum(t.n * n) / count(t) >= prev(max(u.n))",
]
COMPILED = [compile_rule(text, SCHEMA) for text in RULES]


def assert_sane(rule, outcomes, values, previous):
    assert outcomes
    for outcome in outcomes:
        assert outcome.status in {"passed", "failed", "skipped"}
        assert INTERNAL_ERROR not in (outcome.notice or "")
        if outcome.status == "skipped":
            assert isinstance(outcome.notice, str) and outcome.notice
        assert isinstance(outcome.refs, tuple)
        assert isinstance(outcome.seen, dict)
    rows = values.tables.get(rule.row_table, TableData()).rows if rule.row_table else []
    if rows and not (rule.uses_previous and previous is None):
        assert [outcome.row_id for outcome in outcomes] == [row_id for row_id, _ in rows]


@PROPERTY_SETTINGS
@given(VALUE_SETS, st.one_of(st.none(), VALUE_SETS), st.sampled_from(["skip", "zero"]))
def test_random_values_never_crash_evaluate(values, previous, missing):
    for rule in COMPILED:
        outcomes = rule.evaluate(values, previous, missing)
        assert_sane(rule, outcomes, values, previous)


def test_malformed_value_set_is_reported_not_raised():
    (outcome,) = COMPILED[0].evaluate(None)
    assert (outcome.status, outcome.notice) == ("skipped", INTERNAL_ERROR)


# -- expressions built from the grammar -----------------------------------------------------

ATOMS = st.one_of(
    st.sampled_from(["n", "d", "p", "ch", "x", "r", "dt", "h", "zz", "t.n", "t.x", "t.m", "u.n"]),
    st.sampled_from(["count(t)", "total(t.n)", "sum(u.n)", "prev(n)", "t", "t.zz"]),
    st.decimals(min_value=0, max_value=1000, places=2).map(str),
    st.sampled_from(['"Có"', 'date("01/07/2025")', "0", "1"]),
)
BINARY = ["+", "-", "*", "/", "=", "!=", "<", "<=", ">", ">=", "and", "or"]
FUNCTIONS = ["filled", "na", "count_filled", "sum", "min", "max", "abs", "round", "count"]
FUNCTIONS += ["total", "prev", "date", "avg"]


def spread(template):
    """Format `template` with the parts of a drawn tuple."""
    return lambda parts: template.format(*parts)


def grow(children):
    return st.one_of(
        st.tuples(children, st.sampled_from(BINARY), children).map(" ".join),
        children.map("({})".format),
        children.map("not {}".format),
        children.map("-{}".format),
        st.tuples(st.sampled_from(FUNCTIONS), st.lists(children, min_size=1, max_size=3)).map(
            lambda call: f"{call[0]}({', '.join(call[1])})"
        ),
        st.tuples(children, children).map(spread("(if {} then {})")),
        st.tuples(children, children, children).map(spread("(if {} then {} else {})")),
    )


GRAMMAR_EXPRESSIONS = st.recursive(ATOMS, grow, max_leaves=12)


@PROPERTY_SETTINGS
@given(GRAMMAR_EXPRESSIONS, VALUE_SETS, st.sampled_from(["skip", "zero"]))
def test_grammar_built_expressions_compile_or_report_and_evaluate(text, values, missing):
    rule = compile_or_problems(text)
    if rule is not None:
        assert isinstance(rule, CompiledRule)
        previous = values if rule.uses_previous else None
        assert_sane(rule, rule.evaluate(values, previous, missing), values, previous)


# -- well-typed expressions always compile --------------------------------------------------

NUMBER_ATOMS = st.one_of(
    st.sampled_from(["n", "d", "p", "ch", "t.n", "count(t)", "total(t.n)", "sum(u.n)"]),
    st.sampled_from(["max(u.n)", "prev(n)", "prev(count(u))", "count_filled(n, t.m, x)"]),
    st.integers(0, 500).map(str),
    st.decimals(min_value=0, max_value=100, places=1).map(str),
)


def grow_number(children):
    return st.one_of(
        st.tuples(children, st.sampled_from(["+", "-", "*", "/"]), children).map(" ".join),
        children.map("({})".format),
        children.map("-{}".format),
        children.map("abs({})".format),
        children.map("round({}, 2)".format),
        children.map("sum({})".format),
        st.tuples(st.sampled_from(["sum", "min", "max"]), children, children).map(
            spread("{}({}, {})")
        ),
    )


NUMBERS = st.recursive(NUMBER_ATOMS, grow_number, max_leaves=6)
COMPARISONS = st.one_of(
    st.tuples(NUMBERS, st.sampled_from(["=", "!=", "<", "<=", ">", ">="]), NUMBERS).map(" ".join),
    st.tuples(NUMBERS, NUMBERS, NUMBERS).map(spread("{} >= {} >= {}")),
    st.sampled_from(
        ["filled(n)", "na(t.x)", 'x = "Có"', "r != x", 'dt >= date("01/01/2025")', "t.dt != dt"]
        + ["dt <= t.dt", "count_filled(t.m, t.dt) >= 1"]
        + ["dt <= t.dt", "count_filled(t.m, t.dt) >= 1"]
    ),
)


def grow_condition(children):
    return st.one_of(
        st.tuples(children, st.sampled_from(["and", "or"]), children).map(" ".join),
        children.map("not ({})".format),
        st.tuples(children, children).map(spread("(if {} then {})")),
        st.tuples(children, children, children).map(spread("(if {} then {} else {})")),
    )


CONDITIONS = st.recursive(COMPARISONS, grow_condition, max_leaves=5)


@PROPERTY_SETTINGS
@given(CONDITIONS, VALUE_SETS, st.one_of(st.none(), VALUE_SETS), st.sampled_from(["skip", "zero"]))
def test_well_typed_expressions_compile_and_evaluate(text, values, previous, missing):
    assume(len(text) <= MAX_LENGTH)
    try:
        rule = compile_rule(text, SCHEMA)
    except RuleCompileError as error:  # only the nesting cap may refuse a well-typed rule
        assert all("lồng nhau quá sâu" in problem.message for problem in error.problems), error
        return
    assert rule.row_table in (None, "t")
    assert_sane(rule, rule.evaluate(values, previous, missing), values, previous)


@given(
    st.decimals(min_value=-(10**12), max_value=10**12, places=6),
    st.integers(-(10**9), 10**9),
)
def test_arithmetic_on_report_sized_numbers_is_exact(d, n):
    rule = compile_rule("d + n - n = d and n * 2 = n + n and (d + n) * 3 = 3 * d + 3 * n", SCHEMA)
    (outcome,) = rule.evaluate(ValueSet({"d": d, "n": n}))
    assert outcome.status == "passed"


def test_dates_in_values_compare_with_date_literals():
    rule = compile_rule('dt >= date("01/07/2025")', SCHEMA)
    late = ValueSet({"dt": datetime.date(2025, 7, 1)})
    early = ValueSet({"dt": datetime.date(2025, 6, 30)})
    assert rule.evaluate(late)[0].status == "passed"
    assert rule.evaluate(early)[0].status == "failed"
    assert rule.evaluate(ValueSet({"dt": Decimal(1)}))[0].status == "skipped"
