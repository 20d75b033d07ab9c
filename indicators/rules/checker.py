"""Turn a lark tree into checked nodes, collecting every problem with a Vietnamese message.

The tree depth is capped by grammar.parse, so the recursive walk here is bounded.
"""

import difflib
from dataclasses import dataclass, field
from decimal import Decimal

from lark import Token, Tree

from indicators.types import ValueType

from . import nodes as n
from .errors import Problem, problem_at
from .nodes import Kind
from .values import normalize_text, parse_date

KIND_OF_TYPE = {
    ValueType.INTEGER: Kind.NUMBER,
    ValueType.DECIMAL: Kind.NUMBER,
    ValueType.PERCENT: Kind.NUMBER,
    ValueType.CHOICE: Kind.NUMBER,
    ValueType.TEXT: Kind.TEXT,
    ValueType.DOCREF: Kind.TEXT,
    ValueType.DATE: Kind.DATE,
    ValueType.MARK: Kind.MARK,
}

ORDERED_KINDS = {Kind.NUMBER, Kind.DATE}  # kinds that < <= > >= make sense for
EQUALITY_OPS = {"=", "==", "!=", "<>", "≠"}
# Function name -> (fewest, most) arguments; None = no upper bound.
ARITY = {
    "filled": (1, 1),
    "na": (1, 1),
    "count_filled": (1, None),
    "sum": (1, None),
    "min": (1, None),
    "max": (1, None),
    "abs": (1, 1),
    "round": (1, 2),
    "count": (1, 1),
    "total": (1, 1),
    "prev": (1, 1),
    "last": (1, 1),
    "date": (1, 1),
}
MAX_ROUND_DIGITS = 10
MAX_PROBLEMS = 20  # a wall of messages helps nobody; the first ones show the pattern
MAX_SUGGESTIONS = 10  # difflib is slow on long garbage input


@dataclass
class Scope:
    """Where column references land: the rule itself, an aggregate's argument, or prev() /
    last()."""

    kind: str  # "rule" | "aggregate" | "prev" | "last"
    columns: list = field(default_factory=list)


@dataclass
class CheckResult:
    root: n.Node
    row_table: str | None
    references: frozenset
    uses_previous: bool
    problems: list
    uses_latest: bool = False


def check(text, tree, schema, kinds=(Kind.BOOL,)):
    """`kinds`: what the whole expression may be; a rule is a condition, a score expression
    (parindex) a condition or a number."""
    return Checker(text, schema, kinds).run(tree)


class Checker:
    def __init__(self, text, schema, kinds=(Kind.BOOL,)):
        self.text = text
        self.schema = schema
        self.kinds = kinds
        self.problems = []
        self.references = set()
        self.uses_previous = False
        self.uses_latest = False
        self.scopes = [Scope("rule")]

    # -- entry point ------------------------------------------------------------------------

    def run(self, tree):
        root = self.visit(tree)
        if root.kind not in (*self.kinds, Kind.ERROR):
            wanted = (
                "Biểu thức phải là một điều kiện đúng/sai hoặc một số"
                if Kind.NUMBER in self.kinds
                else "Quy tắc phải là một điều kiện đúng/sai, ví dụ a <= b"
            )
            self.error(root, f"{wanted}; {root.text} là {root.kind.value}.")
        row_table = self.single_table(self.scopes.pop(), "Quy tắc theo dòng")
        if root.kind is Kind.ERROR and not self.problems:  # defensive: never compile an error
            self.problems.append(Problem("Biểu thức không hợp lệ."))
        problems = sorted(set(self.problems), key=lambda p: (p.line or 0, p.column or 0))
        if len(problems) > MAX_PROBLEMS:
            more = len(problems) - MAX_PROBLEMS
            problems = problems[:MAX_PROBLEMS] + [Problem(f"... và {more} lỗi khác.")]
        references = frozenset(self.references)
        return CheckResult(
            root, row_table, references, self.uses_previous, problems, self.uses_latest
        )

    # -- helpers ----------------------------------------------------------------------------

    def error(self, where, message):
        """Record a problem at a node or token; returns an ERROR node to stop follow-ups."""
        self.problems.append(problem_at(self.text, message, where.line, where.column))
        text = str(where) if isinstance(where, Token) else where.text
        return n.Node(Kind.ERROR, text, where.line, where.column)

    def place(self, item):
        """(source text, line, column) of a tree or token."""
        if isinstance(item, Token):
            return str(item), item.line, item.column
        meta = item.meta
        return self.text[meta.start_pos : meta.end_pos], meta.line, meta.column

    def require(self, node, kinds, context):
        """Check a node's kind; report and return False if it is not one of `kinds`."""
        if node.kind is Kind.ERROR or node.kind in kinds:
            return node.kind is not Kind.ERROR
        expected = " hoặc ".join(kind.value for kind in kinds)
        message = f"{context} cần {expected}, nhưng {node.text} là {node.kind.value}."
        if node.kind is Kind.MARK:
            message += " Ô đánh dấu chỉ dùng trong filled(), na() hoặc count_filled()."
        self.error(node, message)
        return False

    def single_table(self, scope, context):
        """The one table a scope's column references belong to; two tables is an error."""
        tables = list(dict.fromkeys(column.table for column in scope.columns))
        if len(tables) > 1:
            other = next(column for column in scope.columns if column.table != tables[0])
            self.error(
                other,
                f"{context} chỉ dùng cột của một bảng: {other.text} thuộc bảng {other.table}, "
                f"khác bảng {tables[0]}. Dùng sum(), count() hoặc total() để lấy số liệu "
                f"tổng hợp của bảng kia.",
            )
        return tables[0] if tables else None

    def suggest(self, code, candidates):
        """' Có phải ...?' naming the code the admin probably meant, or ''."""
        if len(self.problems) >= MAX_SUGGESTIONS:
            return ""
        lowered = {candidate.lower(): candidate for candidate in candidates}
        if code.lower() in lowered:
            return f" Có phải {lowered[code.lower()]!r}?"
        close = difflib.get_close_matches(code, list(candidates), n=1, cutoff=0.75)
        return f" Có phải {close[0]!r}?" if close else ""

    # -- dispatch ---------------------------------------------------------------------------

    def visit(self, tree):
        handler = getattr(self, f"visit_{tree.data}")
        return handler(tree, *self.place(tree))

    def visit_number(self, tree, text, line, column):
        return n.Literal(Kind.NUMBER, text, line, column, Decimal(str(tree.children[0])))

    def visit_string(self, tree, text, line, column):
        return n.Literal(Kind.TEXT, text, line, column, normalize_text(text[1:-1]))

    def visit_name(self, tree, text, line, column):
        code = text
        here = n.Node(Kind.ERROR, text, line, column)
        vtype = self.schema.indicators.get(code)
        if vtype is None:
            if code in self.schema.tables:
                hint = f"dùng count({code}) để đếm số dòng hoặc {code}.<mã cột> để lấy một cột."
                return self.error(here, f"{code!r} là bảng, không phải chỉ tiêu: {hint}")
            message = f"Không có chỉ tiêu {code!r} trong mẫu."
            return self.error(here, message + self.suggest(code, self.schema.indicators))
        if vtype == ValueType.HEADING:
            return self.error(here, f"{code!r} là dòng tiêu đề, không mang số liệu.")
        self.references.add(code)
        return n.Indicator(KIND_OF_TYPE[vtype], text, line, column, code)

    def visit_column(self, tree, text, line, column):
        table, code = (str(token) for token in tree.children)
        here = n.Node(Kind.ERROR, text, line, column)
        columns = self.schema.tables.get(table)
        if columns is None:
            message = f"Không có bảng {table!r} trong mẫu."
            return self.error(here, message + self.suggest(table, self.schema.tables))
        vtype = columns.get(code)
        if vtype is None:
            message = f"Bảng {table!r} không có cột {code!r}."
            return self.error(here, message + self.suggest(code, columns))
        if vtype not in KIND_OF_TYPE:
            return self.error(here, f"Cột {text} là tiêu đề, không mang số liệu.")
        self.references.add((table, code))
        node = n.Column(KIND_OF_TYPE[vtype], text, line, column, table, code)
        scope = self.scopes[-1]
        if scope.kind in ("prev", "last"):
            f = scope.kind
            return self.error(
                node,
                f"{f}() không dùng được với từng dòng ({text}); "
                f"dùng {f}(sum({text})) hoặc {f}(total({text})).",
            )
        scope.columns.append(node)
        return node

    def visit_signed(self, tree, text, line, column):
        sign, operand_tree = tree.children
        operand = self.visit(operand_tree)
        if not self.require(operand, [Kind.NUMBER], f"Dấu {sign!s}"):
            return n.Node(Kind.ERROR, text, line, column)
        if sign == "+":
            return operand
        return n.Negate(Kind.NUMBER, text, line, column, operand)

    def visit_sum(self, tree, text, line, column):
        operands, ops = self.chain(tree)
        # Name the operator next to each operand: "a + ten" -> "Phép tính '+' cần số ...".
        labels = [ops[max(index - 1, 0)] for index in range(len(operands))]
        valid = [
            self.require(operand, [Kind.NUMBER], f"Phép tính {label!r}")
            for operand, label in zip(operands, labels, strict=True)
        ]
        kind = Kind.NUMBER if all(valid) else Kind.ERROR
        return n.Arithmetic(kind, text, line, column, operands, ops)

    visit_product = visit_sum

    def visit_comparison(self, tree, text, line, column):
        operands, ops = self.chain(tree)
        ok = True
        for left, op, right in zip(operands, ops, operands[1:], strict=False):
            ok = self.check_pair(left, op, right) and ok
        kind = Kind.BOOL if ok else Kind.ERROR
        return n.Comparison(kind, text, line, column, operands, ops)

    def check_pair(self, left, op, right):
        if Kind.ERROR in (left.kind, right.kind):
            return False
        for side in (left, right):
            if side.kind is Kind.MARK:
                self.require(side, [Kind.NUMBER], f"Phép so sánh {op!r}")
                return False
        if left.kind is not right.kind:
            self.error(
                right,
                f"Không so sánh được {left.text} ({left.kind.value}) "
                f"với {right.text} ({right.kind.value}).",
            )
            return False
        if op not in EQUALITY_OPS and left.kind not in ORDERED_KINDS:
            self.error(
                left,
                f"{left.kind.value.capitalize()} chỉ so sánh bằng '=' hoặc '!=', "
                f"không dùng {op!r}.",
            )
            return False
        return True

    def chain(self, tree):
        """Operands and operators of a flat chain `x op y op z`."""
        operands = [self.visit(child) for child in tree.children[::2]]
        ops = [str(token) for token in tree.children[1::2]]
        return operands, ops

    def visit_negation(self, tree, text, line, column):
        operand = self.visit(tree.children[0])
        ok = self.require(operand, [Kind.BOOL], "'not'")
        return n.Not(Kind.BOOL if ok else Kind.ERROR, text, line, column, operand)

    def visit_and_expr(self, tree, text, line, column):
        return self.logic("and", tree, text, line, column)

    def visit_or_expr(self, tree, text, line, column):
        return self.logic("or", tree, text, line, column)

    def logic(self, op, tree, text, line, column):
        operands = [self.visit(child) for child in tree.children]
        valid = [self.require(operand, [Kind.BOOL], f"{op!r}") for operand in operands]
        kind = Kind.BOOL if all(valid) else Kind.ERROR
        return n.Logic(kind, text, line, column, op, operands)

    def visit_conditional(self, tree, text, line, column):
        parts = [self.visit(child) for child in tree.children]
        labels = ["Điều kiện sau 'if'", "Phần sau 'then'", "Phần sau 'else'"]
        valid = [
            self.require(part, [Kind.BOOL], label)
            for part, label in zip(parts, labels[: len(parts)], strict=True)
        ]
        condition, then, *rest = parts
        otherwise = rest[0] if rest else None
        kind = Kind.BOOL if all(valid) else Kind.ERROR
        return n.Conditional(kind, text, line, column, condition, then, otherwise)

    # -- function calls ---------------------------------------------------------------------

    def visit_call(self, tree, text, line, column):
        name_token, args_tree = tree.children
        name = str(name_token).lower()
        args = list(args_tree.children) if args_tree is not None else []
        if name not in ARITY:
            message = f"Không có hàm {str(name_token)!r}. Các hàm: {', '.join(ARITY)}."
            return self.fail_call(name_token, message, args)
        if not self.arity_ok(name, args, name_token):
            return n.Node(Kind.ERROR, text, line, column)
        return getattr(self, f"call_{name}")(name, args, text, line, column)

    def fail_call(self, where, message, args):
        """Report a bad call, still checking its arguments so all problems show at once."""
        node = self.error(where, message)
        for arg in args:
            self.visit(arg)
        return node

    def arity_ok(self, name, args, where):
        """True if the call has an acceptable number of arguments; reports otherwise."""
        low, high = ARITY[name]
        if low <= len(args) and (high is None or len(args) <= high):
            return True
        if high == low:
            expected = f"đúng {low} đối số"
        elif high is None:
            expected = f"ít nhất {low} đối số"
        else:
            expected = f"từ {low} đến {high} đối số"
        self.fail_call(where, f"Hàm {name}() cần {expected}, có {len(args)}.", args)
        return False

    def reference(self, name, arg):
        """Visit an argument that must be an indicator code or a table column."""
        if not isinstance(arg, Tree) or arg.data not in ("name", "column"):
            place = self.place(arg)
            node = n.Node(Kind.ERROR, *place)
            self.visit(arg)
            return self.error(
                node, f"Hàm {name}() nhận mã chỉ tiêu hoặc cột bảng, không nhận {place[0]}."
            )
        return self.visit(arg)

    def call_filled(self, name, args, text, line, column):
        refs = [self.reference(name, arg) for arg in args]
        kind = Kind.ERROR if refs[0].kind is Kind.ERROR else Kind.BOOL
        return n.Presence(kind, text, line, column, name, refs)

    call_na = call_filled

    def call_count_filled(self, name, args, text, line, column):
        refs = [self.reference(name, arg) for arg in args]
        kind = Kind.ERROR if any(ref.kind is Kind.ERROR for ref in refs) else Kind.NUMBER
        return n.Presence(kind, text, line, column, name, refs)

    def call_sum(self, name, args, text, line, column):
        if len(args) == 1:
            return self.aggregate(name, args[0], text, line, column)
        values = [self.visit(arg) for arg in args]
        valid = [self.require(value, [Kind.NUMBER], f"Hàm {name}()") for value in values]
        kind = Kind.NUMBER if all(valid) else Kind.ERROR
        return n.Scalar(kind, text, line, column, name, values)

    call_min = call_max = call_sum

    def aggregate(self, name, arg_tree, text, line, column):
        """One argument using table columns: computed over that table's rows."""
        self.scopes.append(Scope("aggregate"))
        arg = self.visit(arg_tree)
        table = self.single_table(self.scopes.pop(), f"Hàm {name}()")
        valid = self.require(arg, [Kind.NUMBER], f"Hàm {name}()")
        kind = Kind.NUMBER if valid else Kind.ERROR
        if table is None:  # sum(x) of a single value is that value
            return n.Scalar(kind, text, line, column, name, [arg])
        return n.Aggregate(kind, text, line, column, name, table, arg)

    def call_abs(self, name, args, text, line, column):
        value = self.visit(args[0])
        kind = Kind.NUMBER if self.require(value, [Kind.NUMBER], "Hàm abs()") else Kind.ERROR
        return n.Scalar(kind, text, line, column, name, [value])

    def call_round(self, name, args, text, line, column):
        value = self.visit(args[0])
        kind = Kind.NUMBER if self.require(value, [Kind.NUMBER], "Hàm round()") else Kind.ERROR
        digits = 0
        if len(args) == 2:
            digits = self.round_digits(args[1])
            kind = Kind.ERROR if digits is None else kind
        return n.Scalar(kind, text, line, column, name, [value], digits)

    def round_digits(self, arg):
        """The literal digit count of round(x, digits), or None after reporting a problem."""
        text = self.place(arg)[0]
        is_whole = isinstance(arg, Tree) and arg.data == "number" and text.isdigit()
        if is_whole and int(text) <= MAX_ROUND_DIGITS:
            return int(text)
        self.visit(arg)
        self.error(
            self.node_at(arg),
            f"Số chữ số thập phân của round() phải là số nguyên từ 0 đến {MAX_ROUND_DIGITS}, "
            f"không phải {text}.",
        )
        return None

    def call_count(self, name, args, text, line, column):
        arg = args[0]
        table = self.place(arg)[0]
        if not (isinstance(arg, Tree) and arg.data == "name" and table in self.schema.tables):
            hint = " Để đếm số chỉ tiêu có số liệu, dùng count_filled(a, b, ...)."
            if isinstance(arg, Tree) and arg.data == "name":
                hint = self.suggest(table, self.schema.tables) or hint
            message = f"Hàm count() nhận mã bảng, không nhận {table}." + hint
            return self.error(self.node_at(arg), message)
        return n.RowCount(Kind.NUMBER, text, line, column, table)

    def call_total(self, name, args, text, line, column):
        arg = args[0]
        if not (isinstance(arg, Tree) and arg.data == "column"):
            return self.fail_call(
                self.node_at(arg), "Hàm total() nhận một cột bảng, ví dụ total(thtc.c4).", [arg]
            )
        self.scopes.append(Scope("aggregate"))  # the total row is not the current row
        column_node = self.visit(arg)
        self.scopes.pop()
        if column_node.kind is Kind.ERROR:
            return column_node
        valid = self.require(column_node, [Kind.NUMBER], "Hàm total()")
        kind = Kind.NUMBER if valid else Kind.ERROR
        return n.Total(kind, text, line, column, column_node.table, column_node.code)

    def call_prev(self, name, args, text, line, column):
        """prev(x): the previous period of the same kind; last(x): the latest earlier report."""
        outer = next((s.kind for s in self.scopes if s.kind in ("prev", "last")), None)
        if outer:
            where = n.Node(Kind.ERROR, text, line, column)
            return self.fail_call(where, f"Không lồng {name}() trong {outer}().", args)
        if name == "last":
            self.uses_latest = True
        else:
            self.uses_previous = True
        self.scopes.append(Scope(name))
        arg = self.visit(args[0])
        self.scopes.pop()
        if arg.kind is Kind.ERROR:
            return arg
        return n.Previous(arg.kind, text, line, column, arg, name)

    call_last = call_prev

    def call_date(self, name, args, text, line, column):
        arg = args[0]
        literal = self.place(arg)[0]
        value = None
        if isinstance(arg, Tree) and arg.data == "string":
            value = parse_date(literal[1:-1])
        if value is None:
            return self.error(
                self.node_at(arg),
                f'Ngày không hợp lệ: {literal}. Viết date("dd/mm/yyyy"), ví dụ date("01/07/2025").',
            )
        return n.Literal(Kind.DATE, text, line, column, value)

    def node_at(self, item):
        return n.Node(Kind.ERROR, *self.place(item))
