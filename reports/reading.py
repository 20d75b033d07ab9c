"""Reads for people who read a report rather than type it: the read view of each part, where
each reviewer comment belongs (named by STT and label, never by machine code), and the top of
every report page (state, last return reason, open comments, changes since the last
submission)."""

from dataclasses import dataclass, field

from django.urls import reverse

from indicators.naming import row_names
from indicators.types import ValueType
from indicators.values import format_value

from .models import Report, ReportState
from .selectors import indicator_values, report_appendices, report_changes, table_rows
from .services.workflow import missing_explanations

BLANK = "—"  # a blank value in the read view: never a 0 placeholder
NUMERIC = (ValueType.INTEGER, ValueType.DECIMAL, ValueType.PERCENT)  # right-aligned


def shown(value_type, value, choices=None) -> str:
    """A stored value as the read view shows it: Vietnamese formatting, "/" for not
    applicable, "—" for blank."""
    return format_value(value_type, value, choices=choices) or BLANK


@dataclass
class ReadRow:
    """One printed row of an indicator appendix in the read view."""

    row: object
    value: str = ""
    note: str = ""
    previous: str | None = None  # None: no previous report
    comments: list = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return indicator_anchor(self.row.code)


def indicator_anchor(code: str) -> str:
    return f"ct-{code}"


def row_anchor(table: str, number: int) -> str:
    return f"dong-{table}-{number}"


def indicator_read_rows(report: Report, appendix, previous: Report | None, comments) -> list:
    """The read view of an indicator appendix, row by row, with the previous period's value
    and the reviewer's comments on each indicator."""
    values = indicator_values(report, [appendix])
    earlier = indicator_values(previous) if previous else None
    by_code: dict[str, list] = {}
    for comment in comments:
        if comment.target == "indicator":
            by_code.setdefault(comment.target_code, []).append(comment)
    rows = []
    for row in appendix.indicators.all():
        if row.is_heading:
            rows.append(ReadRow(row))
            continue
        value, note = values.get(row.code, (None, ""))
        before = None
        if earlier is not None:
            before = shown(row.value_type, earlier.get(row.code, (None, ""))[0], row.choices)
        rows.append(
            ReadRow(
                row,
                shown(row.value_type, value, row.choices),
                note,
                before,
                by_code.get(row.code, []),
            )
        )
    return rows


def table_read(report: Report, appendix, comments) -> dict:
    """The read view of a repeating-row table: its columns, each saved row's cells as shown
    (with the comments on that row), and the total row."""
    columns = list(appendix.columns.all())
    stored = table_rows(report, [appendix])[appendix.code]
    by_row: dict[str, list] = {}
    for comment in comments:
        if comment.target == "row":
            by_row.setdefault(comment.target_code, []).append(comment)

    numeric = {c.code: c.value_type in NUMERIC for c in columns}

    def cells(values):
        return [
            (c.header, shown(c.value_type, values.get(c.code), c.choices), numeric[c.code])
            for c in columns
        ]

    total = stored["total"]
    return {
        "columns": columns,
        "rows": [
            {
                "number": number,
                "cells": cells(values),
                "anchor": row_anchor(appendix.code, number),
                "target_code": f"{appendix.code}:{number}",
                "comments": by_row.get(f"{appendix.code}:{number}", []),
            }
            for number, values in stored["rows"]
        ],
        "total": [(header, value if right else "", right) for header, value, right in cells(total)]
        if total
        else None,
    }


# --- where comments belong ------------------------------------------------------------------


def _shorten(text: str, size: int = 70) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def comment_places(report: Report, appendices=None) -> dict[tuple[str, str], tuple[str, str]]:
    """(target, target code) -> (what the comment is about, in words; the address of the item)
    for every item of the report a reviewer may comment on."""
    pk = report.pk
    places = {("report", ""): ("Cả báo cáo", reverse("reports:report_detail", args=[pk]))}
    for section in report.template_version.outline.all():
        url = reverse("reports:report_section", args=[pk, section.code]) + "#nhan-xet"
        places[("section", section.code)] = (f"Mục {section.stt}. {section.title}", url)
    appendices = appendices if appendices is not None else report_appendices(report)
    tables = table_rows(report, [a for a in appendices if a.is_table])
    for appendix in appendices:
        page = reverse("reports:report_appendix", args=[pk, appendix.code])
        name = appendix.name or appendix.title
        if appendix.is_table:
            for number, _cells in tables[appendix.code]["rows"]:
                places[("row", f"{appendix.code}:{number}")] = (
                    f"{name}, dòng {number}",
                    f"{page}#{row_anchor(appendix.code, number)}",
                )
            continue
        rows = list(appendix.indicators.all())
        for row, row_name in zip(rows, row_names(rows), strict=True):
            if not row.is_heading:
                label = _shorten(row_name)
                places[("indicator", row.code)] = (
                    f"Chỉ tiêu {label} ({name})",
                    f"{page}#{indicator_anchor(row.code)}",
                )
    return places


def comment_place(comment, places) -> tuple[str, str]:
    """What a comment is about and where that is; an item gone from the template (after an
    upgrade) is named as such, never by its code."""
    gone = {"section": "Mục đã bỏ khỏi mẫu", "indicator": "Chỉ tiêu đã bỏ khỏi mẫu"}
    fallback = (gone.get(comment.target, "Dòng bảng đã xoá"), places[("report", "")][1])
    return places.get((comment.target, comment.target_code), fallback)


def report_comments(report: Report, appendices=None) -> list:
    """Every comment on the report, each with `about` (its item in words) and `url`."""
    comments = list(report.comments.select_related("author", "addressed_by"))
    places = comment_places(report, appendices) if comments else {}
    for comment in comments:
        comment.about, comment.url = comment_place(comment, places)
    return comments


# --- the top of every report page -----------------------------------------------------------


def last_return(report: Report):
    """The last time the report was returned (its StateChange, with the reason), or None."""
    return (
        report.state_changes.filter(target=ReportState.RETURNED)
        .select_related("by")
        .order_by("-at", "-pk")
        .first()
    )


def report_top(report: Report, *, comments, with_changes: bool = True) -> dict:
    """What every page of the report shows first. `with_changes` is off on the pages where
    computing the changes would mean reading the whole report again (a report being edited)."""
    # Only a report sent again or waiting to be sent again was ever returned.
    was_returned = report.state in (ReportState.RETURNED, ReportState.RESUBMITTED)
    returned = last_return(report) if was_returned else None
    return {
        "returned": returned,
        "open_comments": [c for c in comments if c.addressed_at is None],
        "changes": report_changes(report) if with_changes else None,
    }


def approval_concerns(report: Report, *, comments, violations) -> list[str]:
    """What a reviewer approving now would pass over, in words ("2 nhận xét chưa xử lý");
    empty when approving needs no second look."""
    concerns = []
    open_comments = sum(1 for c in comments if c.addressed_at is None)
    if open_comments:
        concerns.append(f"{open_comments} nhận xét chưa xử lý")
    unexplained = len(missing_explanations(report, violations))
    if unexplained:
        concerns.append(f"{unexplained} cảnh báo chưa có giải trình")
    return concerns
