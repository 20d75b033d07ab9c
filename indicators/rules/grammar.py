"""The rule grammar and the parser that turns a rule's text into a lark tree.

The grammar is LALR(1): lark parses it with an explicit stack, so deeply nested input cannot
exhaust Python's recursion; the tree depth is then capped before anything walks it recursively.
Chains such as `a + b + c` and `a >= b >= c` are flat nodes, so long sums stay shallow.
"""

import functools
import re
from pathlib import Path

from lark import Lark, Tree
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from .errors import Problem, RuleCompileError, problem_at

MAX_LENGTH = 2000
MAX_DEPTH = 40

GRAMMAR = r"""
?start: rule

?rule: _IF or_expr _THEN or_expr (_ELSE rule)? -> conditional
     | or_expr

?or_expr: and_expr (_OR and_expr)*
?and_expr: not_expr (_AND not_expr)*
?not_expr: _NOT not_expr -> negation
         | comparison
?comparison: sum (COMP_OP sum)*
?sum: product (ADD_OP product)*
?product: unary (MUL_OP unary)*
?unary: ADD_OP unary -> signed
      | atom
?atom: NUMBER -> number
     | STRING -> string
     | NAME "(" [args] ")" -> call
     | NAME "." NAME -> column
     | NAME -> name
     | "(" rule ")"
args: rule ("," rule)*

// Keywords win over NAME (priority 2) but only as whole words: "iffy" stays a NAME.
_IF.2: /if\b/i
_THEN.2: /then\b/i
_ELSE.2: /else\b/i
_AND.2: /and\b/i
_OR.2: /or\b/i
_NOT.2: /not\b/i
COMP_OP: /<=|>=|!=|==|<>|=|<|>|≤|≥|≠/
ADD_OP: "+" | "-"
MUL_OP: "*" | "/"
NUMBER: /[0-9]+(\.[0-9]+)?/
// Straight quotes, or the curly quotes a word processor puts in.
STRING: /"[^"\n]*"/ | /“[^”\n]*”/
NAME: /[A-Za-z_][A-Za-z0-9_]*/
%ignore /\s+/
"""

# How the parser's expectations are named to the administrator, most helpful first.
TOKEN_LABELS = {
    "_THEN": "'then'",
    "_ELSE": "'else'",
    "RPAR": "')'",
    "COMMA": "','",
    "COMP_OP": "phép so sánh (=, <, <=, ...)",
    "ADD_OP": "'+' hoặc '-'",
    "MUL_OP": "'*' hoặc '/'",
    "_AND": "'and'",
    "_OR": "'or'",
    "_IF": "'if'",
    "_NOT": "'not'",
    "NAME": "mã chỉ tiêu",
    "NUMBER": "số",
    "STRING": 'chuỗi "..."',
    "LPAR": "'('",
    "DOT": "'.'",
    "$END": "hết biểu thức",
}


@functools.cache
def parser():
    # Built once per process; a LALR parser is stateless between parse() calls. Building the
    # tables costs ~0.2-0.4 s, so lark keeps them in a file next to our bytecode (as trusted as
    # the .pyc files; lark keys it by grammar, options and its version): ~2 ms to load after.
    cache = Path(__file__).resolve().parent / "__pycache__" / "grammar.lark-cache"
    try:
        cache.parent.mkdir(exist_ok=True)
    except OSError:
        cache = None  # a read-only install: build the tables each start
    return Lark(
        GRAMMAR,
        parser="lalr",
        lexer="basic",
        propagate_positions=True,
        maybe_placeholders=True,
        cache=str(cache) if cache else False,
    )


def parse(text):
    """Parse `text` into a lark tree, or raise RuleCompileError with the syntax problem."""
    if not isinstance(text, str) or not text.strip():
        raise RuleCompileError([Problem("Biểu thức trống.")])
    if len(text) > MAX_LENGTH:
        message = f"Biểu thức quá dài ({len(text)} ký tự, tối đa {MAX_LENGTH})."
        raise RuleCompileError([Problem(message)])
    try:
        tree = parser().parse(text)
    except UnexpectedInput as error:
        raise RuleCompileError([_syntax_problem(text, error)]) from None
    except (LarkError, RecursionError) as error:  # defensive: any other parser failure
        raise RuleCompileError([Problem(f"Lỗi cú pháp: {error}")]) from None
    _check_depth(text, tree)
    return tree


def _check_depth(text, tree):
    """Reject trees deeper than MAX_DEPTH, walking them without recursion."""
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            message = f"Biểu thức lồng nhau quá sâu (tối đa {MAX_DEPTH} cấp)."
            meta = node.meta
            raise RuleCompileError([problem_at(text, message, meta.line, meta.column)])
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tree))


def _syntax_problem(text, error):
    if isinstance(error, UnexpectedCharacters):
        line, column = error.line, error.column
        char = text[error.pos_in_stream] if 0 <= error.pos_in_stream < len(text) else ""
        message = f"Ký tự không hợp lệ {char!r}." + _character_hint(char)
    elif isinstance(error, UnexpectedToken) and error.token.type == "$END":
        line, column = _end_position(text)
        message = f"Biểu thức chưa kết thúc: cần {_expected(error)}."
    elif isinstance(error, UnexpectedToken):
        token = error.token
        line, column = token.line, token.column
        message = f"Không mong đợi {_describe(token)} ở đây; cần {_expected(error)}."
        message += _token_hint(text, token)
    else:
        line, column = getattr(error, "line", None), getattr(error, "column", None)
        message = "Biểu thức chưa kết thúc." if line is None else "Lỗi cú pháp."
    if not isinstance(line, int) or line < 1:
        line, column = _end_position(text)
    return problem_at(text, f"Lỗi cú pháp: {message}", line, column)


def _end_position(text):
    """Line and column just after the last non-blank character."""
    body = text.rstrip()
    line = body.count("\n") + 1
    return line, len(body) - (body.rfind("\n") + 1) + 1


def _expected(error):
    try:
        # The exact set of acceptable tokens; LALR's `expected` includes merged lookaheads.
        names = error.interactive_parser.accepts()
    except Exception:
        names = error.expected
    labels = [label for name, label in TOKEN_LABELS.items() if name in names]
    return ", ".join(labels) or "biểu thức khác"


def _describe(token):
    if token.type in {"NAME", "NUMBER", "STRING"}:
        return f"{TOKEN_LABELS[token.type]} {str(token)!r}"
    return repr(str(token))


def _character_hint(char):
    if char == "'":
        return ' Chuỗi văn bản đặt trong ngoặc kép, ví dụ "Có".'
    if char.isalpha():
        return " Mã chỉ tiêu và từ khóa viết không dấu, ví dụ so_nv_ke_hoach, if ... then ..."
    return ""


def _token_hint(text, token):
    # "0,5" is how Vietnamese writes a half; the rule language uses "0.5".
    if token.type == "COMMA" and re.match(r"\d,\d", text[token.start_pos - 1 : token.end_pos + 1]):
        return " Số thập phân viết bằng dấu chấm, ví dụ 0.5."
    if token.type == "NAME" and token.lower() in {"neu", "thi", "va", "hoac", "khong"}:
        return " Từ khóa viết bằng tiếng Anh: if, then, else, and, or, not."
    return ""
