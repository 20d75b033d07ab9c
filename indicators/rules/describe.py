"""Aggregation expressions read aloud: what a province reviewer sees instead of the code.

    sum(so_nv_ke_hoach)                 Tổng Số nhiệm vụ đề ra trong kế hoạch của các đơn vị
    ratio(sum(a), sum(b))               Tỷ lệ (%) tổng A trên tổng B của các đơn vị
    count(co_tuyen_truyen_hop = 1)      Số đơn vị có “Có thực hiện tuyên truyền…” là Có
    count_units()                       Số đơn vị được tổng hợp

Codes become their indicators' labels, choice codes their texts, numbers Vietnamese numbers.
The text is parsed with the rule grammar (indicators.rules.aggregate compiles the same text);
describing never fails: a part it has no words for is named by its labels, never its code.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from lark import Token, Tree

from indicators.types import ValueType
from indicators.values import format_value

from .errors import RuleCompileError
from .grammar import parse

# Aggregates over the departments' values: the description ends "của các đơn vị".
OVER_UNITS = ("sum", "min", "max", "avg")
OPERATORS = {
    "=": "bằng", "==": "bằng", "!=": "khác", "<>": "khác", "≠": "khác",
    "<": "nhỏ hơn", "<=": "không quá", "≤": "không quá",
    ">": "lớn hơn", ">=": "không nhỏ hơn", "≥": "không nhỏ hơn",
    "+": "cộng", "-": "trừ", "*": "nhân", "/": "chia cho",
}  # fmt: skip
MANUAL = "Nhập tay"


@dataclass(frozen=True)
class Named:
    """What a code is called: its label, and for a choice indicator each code's text."""

    label: str
    choices: Mapping[int, str] = field(default_factory=dict)


def describe_aggregate(text: str, names: Mapping[str, Named]) -> str:
    """The expression in Vietnamese ("" when there is none)."""
    if not text.strip() or text.strip().lower() == "nhập tay":
        return MANUAL
    try:
        tree = parse(text)
    except RuleCompileError:
        return "Biểu thức tổng hợp chưa đúng"
    describer = _Describer(names)
    phrase = describer.visit(tree)
    if describer.over_units:
        phrase += " của các đơn vị"
    return phrase[:1].upper() + phrase[1:]


class _Describer:
    def __init__(self, names: Mapping[str, Named]):
        self.names = names
        self.over_units = False

    def visit(self, node) -> str:
        if isinstance(node, Token):
            return str(node)
        handler = getattr(self, f"visit_{node.data}", None)
        if handler is None:  # a construct without words: name what it reads
            return self.computed_from(self.labels_in(node))
        return handler(node)

    @staticmethod
    def computed_from(words: list[str]) -> str:
        return "giá trị tính từ " + ", ".join(words) if words else "giá trị"

    def labels_in(self, node) -> list[str]:
        return [
            self.label(str(t.children[0])) for t in node.iter_subtrees_topdown() if t.data == "name"
        ]

    def label(self, code: str) -> str:
        named = self.names.get(code)
        return named.label if named else code

    def visit_number(self, node):
        return format_value(ValueType.DECIMAL, Decimal(str(node.children[0])))

    def visit_string(self, node):
        return f"“{str(node.children[0])[1:-1]}”"

    def visit_name(self, node):
        return self.label(str(node.children[0]))

    def visit_column(self, node):
        table, column = (str(c) for c in node.children)
        return self.label(f"{table}.{column}")

    def visit_signed(self, node):
        op, operand = node.children
        inner = self.visit(operand)
        return f"âm {inner}" if op == "-" else inner

    def visit_sum(self, node):
        return self._chain(node)

    def visit_product(self, node):
        return self._chain(node)

    def visit_comparison(self, node):
        children = node.children
        parts = [self._operand(children[0])]
        for i in range(1, len(children), 2):
            op, right = str(children[i]), children[i + 1]
            choice = self._choice_text(children[i - 1], right)
            if choice is not None and OPERATORS[op] in ("bằng", "khác"):
                parts.append(f"là {choice}" if OPERATORS[op] == "bằng" else f"không là {choice}")
            else:
                parts.append(f"{OPERATORS[op]} {self._operand(right)}")
        return " ".join(parts)

    def visit_and_expr(self, node):
        return " và ".join(self.visit(c) for c in node.children)

    def visit_or_expr(self, node):
        return " hoặc ".join(self.visit(c) for c in node.children)

    def visit_negation(self, node):
        return f"không phải {self.visit(node.children[0])}"

    def visit_conditional(self, node):
        condition, then, *rest = node.children
        phrase = f"nếu {self.visit(condition)} thì {self.visit(then)}"
        return phrase + (f", nếu không thì {self.visit(rest[0])}" if rest else "")

    def visit_call(self, node):
        name_token, args = node.children
        name = str(name_token).lower()
        args = list(args.children) if args is not None else []
        words = [self.visit(a) for a in args]
        if name in OVER_UNITS and len(args) == 1 and _is_name(args[0]):
            self.over_units = True
        single = words[0] if len(words) == 1 else ", ".join(words)
        phrases = {
            "count_units": "số đơn vị được tổng hợp",
            "count": f"số đơn vị {_condition_verb(args)} {single}",
            "ratio": f"tỷ lệ (%) {words[0]} trên {words[-1]}" if words else "",
            "sum": f"tổng {single}",
            "min": f"{single} thấp nhất",
            "max": f"{single} cao nhất",
            "avg": f"trung bình {single}",
            "filled": f"đã điền {single}",
            "na": f"{single} không áp dụng",
            "count_filled": f"số mục đã điền trong {single}",
            "total": f"dòng tổng cộng của {single}",
            "abs": f"giá trị tuyệt đối của {single}",
            "round": f"{words[0]} làm tròn" if words else "",
            "prev": f"{single} kỳ trước",
            "last": f"{single} báo cáo gần nhất",
            "date": _date_words(args),
        }
        return phrases.get(name) or self.computed_from(words)

    def _chain(self, node):
        words = [self.visit(node.children[0])]
        for i in range(1, len(node.children), 2):
            words += [OPERATORS[str(node.children[i])], self.visit(node.children[i + 1])]
        return " ".join(words)

    def _operand(self, node) -> str:
        label = self.visit(node)
        # A label beside a comparison reads better delimited: “Số phiếu khảo sát” lớn hơn 0.
        return f"“{label}”" if _is_name(node) else label

    def _choice_text(self, left, right) -> str | None:
        """ "Có" for `co_x = 1` when co_x is a choice indicator whose code 1 reads "Có"."""
        if not (_is_name(left) and isinstance(right, Tree) and right.data == "number"):
            return None
        named = self.names.get(str(left.children[0]))
        number = Decimal(str(right.children[0]))
        if named is None or number != number.to_integral_value():
            return None
        return named.choices.get(int(number))


def _condition_verb(args) -> str:
    """Before comparisons "có" (có “Số phiếu” lớn hơn 0), before anything else "thỏa điều kiện:"."""
    if args and isinstance(args[0], Tree) and args[0].data in ("comparison", "and_expr", "or_expr"):
        return "có"
    return "thỏa điều kiện:"


def _is_name(node) -> bool:
    return isinstance(node, Tree) and node.data == "name"


def _date_words(args) -> str:
    if len(args) != 1 or not (isinstance(args[0], Tree) and args[0].data == "string"):
        return ""
    text = str(args[0].children[0])[1:-1]
    try:
        return datetime.date.fromisoformat(text).strftime("%d/%m/%Y")
    except ValueError:
        return text
