"""Benchmark of the rule engine on a full report: 150 indicators, 60 rules, 3 tables x 50 rows.

Run either as pytest-benchmark tests:
    .venv/bin/pytest benchmarks/bench_rules.py --benchmark-enable
or as a plain script printing figures:
    .venv/bin/python benchmarks/bench_rules.py
Target: validating the whole report well under 50 ms.
"""

import sys
import timeit
from decimal import Decimal
from pathlib import Path

# Runnable as a script from anywhere: the project root is not on sys.path then.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from indicators.rules import Schema, TableData, ValueSet, compile_rule  # noqa: E402
from indicators.types import NOT_APPLICABLE, ValueType  # noqa: E402

INDICATORS = 150
ROWS = 50


def build_schema():
    indicators = {f"i{index}": ValueType.INTEGER for index in range(INDICATORS - 10)}
    indicators |= {f"p{index}": ValueType.PERCENT for index in range(5)}
    indicators |= {"co_kh": ValueType.CHOICE, "ten_kh": ValueType.TEXT, "ngay_kh": ValueType.DATE}
    indicators |= {"so_vb": ValueType.INTEGER, "vb_kh": ValueType.DOCREF}
    numbers = {f"c{index}": ValueType.INTEGER for index in range(4, 13)}
    marks = dict.fromkeys(("tot", "hoan_thanh", "cham", "chua"), ValueType.MARK)
    counts = dict.fromkeys(("so_nv", "so_ht"), ValueType.INTEGER)
    services = dict.fromkeys(("tiep_nhan", "truc_tuyen"), ValueType.INTEGER)
    tables = {
        "thtc": {"ten": ValueType.TEXT, **numbers},
        "kh": {"ten": ValueType.TEXT, **counts, **marks},
        "dvc": {"ten": ValueType.TEXT, **services},
    }
    return Schema(indicators=indicators, tables=tables)


def build_rules():
    """60 rules of every kind: 36 on indicators, 15 row by row, 9 aggregates and links."""
    rules = [f"i{k} = i{k + 1} + i{k + 2} + i{k + 3}" for k in range(0, 60, 5)]  # 12
    rules += [f"i{k} <= i{k + 1}" for k in range(60, 100, 5)]  # 8
    rules += [f"i{k} >= i{k + 1} >= i{k + 2}" for k in range(100, 120, 5)]  # 4
    rules += ["p0 + p1 <= 100", "p2 + p3 + p4 = 100", "round(i0 / i1 * 100, 2) >= 0"]
    rules += ["if co_kh = 1 then filled(so_vb)", "if i120 = 0 then i121 = 0 or na(i121)"]
    rules += ["count_filled(i122, i123, i124) >= 2", "abs(i125 - i126) <= max(i127, i128, 10)"]
    rules += ['ten_kh != "" and ngay_kh >= date("01/01/2019")', "filled(vb_kh)"]
    rules += ["i130 = prev(i130) + i131 - i132", "i136 + i137 <= i138", "not (i139 < 0)"]
    rules += [
        "thtc.c4 = thtc.c5 + thtc.c6",
        "thtc.c7 = thtc.c8 + thtc.c9",
        "thtc.c10 = thtc.c11 + thtc.c12",
        "thtc.c4 = thtc.c7 + thtc.c10",
        "thtc.c8 <= thtc.c7",
        "filled(thtc.ten)",
        "count_filled(kh.tot, kh.hoan_thanh, kh.cham, kh.chua) = 1",
        "kh.so_ht <= kh.so_nv",
        "if kh.so_nv = 0 then kh.so_ht = 0",
        "filled(kh.ten) and kh.so_nv >= 0",
        "dvc.truc_tuyen <= dvc.tiep_nhan",
        "dvc.tiep_nhan >= 0",
        "thtc.c4 <= sum(thtc.c4)",
        "kh.so_nv <= max(kh.so_nv)",
        "dvc.truc_tuyen * 100 <= dvc.tiep_nhan * 100",
    ]
    rules += [f"total(thtc.c{k}) = sum(thtc.c{k})" for k in range(4, 9)]
    rules += ["sum(thtc.c6) = i133", "count(kh) = i134", "sum(dvc.tiep_nhan) >= i135"]
    rules += ["sum(kh.so_ht) <= sum(kh.so_nv)"]
    assert len(rules) == 60
    return rules


def build_values():
    indicators = {f"i{index}": index % 7 for index in range(INDICATORS - 10)}
    indicators |= {f"p{index}": Decimal("20") for index in range(5)}
    indicators |= {"co_kh": 1, "ten_kh": "Kế hoạch CCHC", "so_vb": 3, "vb_kh": None}
    indicators |= {"i121": NOT_APPLICABLE, "ngay_kh": None}
    thtc = [(row, {"ten": f"TTHC {row}"} | _numbers(row)) for row in range(1, ROWS + 1)]
    kh = [
        (row, {"ten": f"KH {row}", "so_nv": 10, "so_ht": row % 11, "tot": row % 2 == 0})
        for row in range(1, ROWS + 1)
    ]
    dvc = [(row, {"ten": "DV", "tiep_nhan": row, "truc_tuyen": row // 2}) for row in range(1, ROWS)]
    total = {f"c{index}": 466 for index in range(4, 13)}
    tables = {
        "thtc": TableData(rows=thtc, total=total),
        "kh": TableData(rows=kh),
        "dvc": TableData(rows=dvc + [(ROWS, {"tiep_nhan": "abc"})]),
    }
    return ValueSet(indicators=indicators, tables=tables)


def _numbers(row):
    received = row * 3
    return {"c4": received, "c5": 0, "c6": received, "c7": received, "c8": received, "c9": 0}


def validate(rules, values, previous):
    """Evaluate every rule, as the report's validation does; returns the outcome count."""
    return sum(len(rule.evaluate(values, previous, missing="zero")) for rule in rules)


def compile_all(schema, texts):
    return [compile_rule(text, schema) for text in texts]


def test_validate_full_report(benchmark):
    rules = compile_all(build_schema(), build_rules())
    values = build_values()
    outcomes = benchmark(validate, rules, values, values)
    assert outcomes > 200


def test_compile_sixty_rules(benchmark):
    schema, texts = build_schema(), build_rules()
    rules = benchmark(compile_all, schema, texts)
    assert len(rules) == 60


def best_ms(function):
    runs, _ = timeit.Timer(function).autorange()
    return min(timeit.repeat(function, number=runs, repeat=5)) / runs * 1000


def main():
    schema, texts, values = build_schema(), build_rules(), build_values()
    rules = compile_all(schema, texts)  # also builds the parser, once per process
    print(f"compile 60 rules: {best_ms(lambda: compile_all(schema, texts)):.2f} ms")
    print(f"validate full report: {best_ms(lambda: validate(rules, values, values)):.2f} ms")
    print(f"outcomes per validation: {validate(rules, values, values)}")


if __name__ == "__main__":
    main()
