"""Problems found while compiling a rule, reported to the administrator in Vietnamese."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem in a rule's text; line and column are 1-based, None when not tied to a place."""

    message: str
    line: int | None = None
    column: int | None = None
    snippet: str = ""

    def __str__(self):
        if self.line is None:
            return self.message
        return f"Dòng {self.line}, cột {self.column}: {self.message}"


class RuleCompileError(ValueError):
    """The rule cannot be compiled; `problems` lists everything found, in text order."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


SNIPPET_WIDTH = 80


def snippet(text, line, column):
    """The source line with a caret under `column`, so the admin sees where the problem is.

    Long lines are cut to a window around the column so the message stays readable.
    """
    lines = text.split("\n")  # lark counts lines by "\n" only
    if line is None or column is None or not 1 <= line <= len(lines):
        return ""
    source = lines[line - 1]
    offset = max(column - 1, 0)
    start = max(0, offset - SNIPPET_WIDTH // 2)
    end = start + SNIPPET_WIDTH
    shown = ("…" if start else "") + source[start:end] + ("…" if end < len(source) else "")
    before = ("…" if start else "") + source[start:offset]
    # Keep tabs in the indent so the caret lines up under the character in any editor.
    indent = "".join("\t" if char == "\t" else " " for char in before)
    return f"{shown}\n{indent}^"


def problem_at(text, message, line, column):
    return Problem(message, line, column, snippet(text, line, column))
