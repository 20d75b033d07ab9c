"""Entry forms generated from a template version: one form per indicator appendix and a formset
per repeating-row table. Staff use them in reports; the template preview renders the same forms.

Fields keep the raw text the user typed, so a refused value stays on screen next to its message.
Missing required values do not block saving a draft: validation reports them.
"""

from typing import NamedTuple

from django import forms
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from lib.text import XmlSafeCharField

from .models import Appendix, Column, Indicator
from .types import NA_MARK, NOT_APPLICABLE, ValueType
from .values import ValueParseError, format_value, parse_value
from .widgets import FastCheckboxInput, FastSelect, FastTextarea, FastTextInput

# Formats only: a number field shows no "0" hint, because blank and zero must look different.
PLACEHOLDERS = {
    ValueType.DATE: "dd/mm/yyyy",
    ValueType.DOCREF: "Kế hoạch số 01/KH-... ngày dd/mm/yyyy",
}


class ValueField(forms.CharField):
    """A text input that cleans to the canonical value of its value type."""

    def __init__(self, *, value_type: str, choices=None, **kwargs):
        self.value_type = ValueType(value_type)
        self.value_choices = [tuple(c) for c in (choices or [])]
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", self._widget())
        super().__init__(**kwargs)

    def _widget(self):
        attrs = {"class": "form-control form-control-sm", "data-type": self.value_type}
        if self.value_type == ValueType.CHOICE:
            options = [("", "—")] + [
                (str(code), f"{label} = {code}") for code, label in self.value_choices
            ]
            return FastSelect(
                choices=options, attrs={**attrs, "class": "form-select form-select-sm"}
            )
        if self.value_type == ValueType.MARK:
            return FastCheckboxInput(attrs={"class": "form-check-input", "data-type": "mark"})
        if self.value_type == ValueType.TEXT:
            return FastTextarea(attrs={**attrs, "rows": 1})
        if self.value_type in PLACEHOLDERS:
            attrs["placeholder"] = PLACEHOLDERS[self.value_type]
        if self.value_type in (ValueType.INTEGER, ValueType.DECIMAL, ValueType.PERCENT):
            attrs["inputmode"] = "decimal"
            attrs["class"] += " text-end"
        return FastTextInput(attrs=attrs)

    def to_python(self, value):
        if self.value_type == ValueType.MARK:
            return True if value in (True, "on", "X", "x", "1") else None
        try:
            return parse_value(self.value_type, value, choices=self.value_choices)
        except ValueParseError as exc:
            raise forms.ValidationError(exc.message, code="parse") from exc

    def validate(self, value):
        pass  # parse_value already refused what is invalid; emptiness is validation's concern

    def prepare_value(self, value):
        """Show canonical values (initial data) the Vietnamese way; raw text stays as typed."""
        if isinstance(value, str) or value is None:
            return value
        if value is NOT_APPLICABLE:
            return NA_MARK
        if self.value_type == ValueType.MARK:
            return bool(value)
        return format_value(self.value_type, value, choices=self.value_choices)


def indicator_field_names(row: Indicator) -> tuple[str, str, str]:
    return f"v-{row.code}", f"na-{row.code}", f"note-{row.code}"


class Entry(NamedTuple):
    row: Indicator
    value: forms.BoundField | None
    na: forms.BoundField | None
    note: forms.BoundField | None
    previous: str | None
    comments: list
    # The three inputs as HTML, rendered here: a template tag per input cost most of the
    # largest appendix's page time (166 rows, ~500 inputs).
    inputs: tuple = ("", "", "")


def render_input(bound: forms.BoundField, css: str = "", **attrs) -> str:
    """The input of a bound field with its id, extra classes and attributes, marked invalid
    when it has errors; the same markup as {{ field }} without the template machinery."""
    widget = bound.field.widget
    classes = " ".join(c for c in (widget.attrs.get("class", ""), css) if c)
    final = {"id": bound.auto_id, **attrs}
    if bound.help_text:
        final["aria-describedby"] = f"{bound.auto_id}_helptext"
    if bound.errors:
        classes += " is-invalid"
        final["aria-invalid"] = "true"
    if classes:
        final["class"] = classes
    return widget.render(bound.html_name, bound.value(), attrs=final)


class IndicatorValuesForm(forms.Form):
    """Values of one indicator appendix. `initial` maps code -> (value, note)."""

    def __init__(
        self,
        *args,
        appendix: Appendix,
        rows: list[Indicator],
        initial_values=None,
        previous_values=None,
        **kw,
    ):
        super().__init__(*args, **kw)
        self.appendix = appendix
        self.rows = rows
        self.comments: dict[str, list] = {}  # code -> reviewer comments, set by the page
        # code -> the previous period's value as printed, shown beside each input
        self.previous = (
            {
                row.code: format_value(
                    row.value_type, previous_values[row.code][0], choices=row.choices
                )
                for row in rows
                if previous_values and row.code in previous_values and not row.is_heading
            }
            if previous_values is not None
            else None
        )
        initial_values = initial_values or {}
        for row in rows:
            if row.is_heading:
                continue
            value, note = initial_values.get(row.code, (None, ""))
            name, na_name, note_name = indicator_field_names(row)
            self.fields[name] = ValueField(
                value_type=row.value_type,
                choices=row.choices,
                label=row.label,
                initial=None if value is NOT_APPLICABLE else value,
                help_text=row.help_text,
            )
            self.fields[na_name] = forms.BooleanField(
                label=_("không áp dụng (/)"),
                required=False,
                initial=value is NOT_APPLICABLE,
                widget=FastCheckboxInput,
            )
            self.fields[note_name] = XmlSafeCharField(
                label=_("Ghi chú"),
                required=False,
                initial=note,
                widget=FastTextInput(attrs={"class": "form-control form-control-sm"}),
            )

    def entries(self):
        """One Entry per printed row; headings have no fields; `previous` is None when there is
        no previous report; `comments` are the reviewer's remarks on that indicator."""
        for row in self.rows:
            previous = None if self.previous is None else self.previous.get(row.code, "")
            comments = self.comments.get(row.code, [])
            if row.is_heading:
                yield Entry(row, None, None, None, previous, comments)
            else:
                value, na, note = (self[name] for name in indicator_field_names(row))
                inputs = (
                    render_input(value),
                    render_input(
                        na,
                        "form-check-input",
                        **{
                            "data-na-toggle": "on",
                            "aria-label": _("Không áp dụng: %(label)s") % {"label": row.label},
                        },
                    ),
                    render_input(
                        note,
                        **{
                            "aria-label": _("Ghi chú: %(label)s") % {"label": row.label},
                        },
                    ),
                )
                yield Entry(row, value, na, note, previous, comments, inputs)

    def values(self) -> dict[str, tuple[object, str]]:
        """code -> (canonical value, note) of the valid fields; call after is_valid()."""
        result = {}
        for row in self.rows:
            if row.is_heading:
                continue
            name, na_name, note_name = indicator_field_names(row)
            if name in self.errors:
                continue
            value = NOT_APPLICABLE if self.cleaned_data.get(na_name) else self.cleaned_data[name]
            result[row.code] = (value, self.cleaned_data.get(note_name, "").strip())
        return result


class TableRowForm(forms.Form):
    """One row of a repeating-row table; fields are the table's column codes."""

    def __init__(self, *args, columns: list[Column], **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = columns
        for column in columns:
            self.fields[column.code] = ValueField(
                value_type=column.value_type, choices=column.choices, label=column.header
            )
            if column.is_ordinal:
                self.fields[column.code].widget.attrs["data-ordinal"] = ""

    def row_values(self) -> dict[str, object]:
        return {c.code: self.cleaned_data.get(c.code) for c in self.columns}

    def is_blank(self) -> bool:
        return all(value in (None, "") for value in self.row_values().values())


class BaseTableFormSet(forms.BaseFormSet):
    def __init__(self, *args, columns: list[Column], **kwargs):
        self.columns = columns
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "columns": self.columns}

    def rows(self) -> list[dict[str, object]]:
        """Kept rows in the order the user arranged them; blank and deleted rows dropped.
        Call after is_valid()."""
        return [form.row_values() for form in self.ordered_forms if not form.is_blank()]


TableFormSet = forms.formset_factory(
    TableRowForm, formset=BaseTableFormSet, extra=0, can_delete=True, can_order=True
)


def table_formset(appendix: Appendix, columns: list[Column], *, data=None, rows=None):
    """A formset for a table's rows; `rows` is the initial list of {column code: value}."""
    return TableFormSet(data=data, prefix=f"t-{appendix.code}", columns=columns, initial=rows or [])


def render_entry_rows(form: IndicatorValuesForm, history_url: str = "") -> str:
    """The <tr> rows of templates/indicators/includes/indicator_form.html, built in Python: the
    largest appendix has 166 rows and per-row template lookups cost several times a bare page.
    `history_url` + code links each row to its value history (empty: no link)."""
    with_previous = form.previous is not None
    required_mark = ' <span class="text-danger" title="{}">*</span>'.format(escape(_("Bắt buộc")))
    done = escape(_("đã xử lý"))
    remark = escape(_("Nhận xét:"))
    history = escape(_("lịch sử"))
    # Column names each cell carries for the phone layout (cells shown as cards).
    labels = {
        key: escape(text)
        for key, text in (
            ("unit", _("Đơn vị tính")),
            ("value", _("Số liệu")),
            ("na", _("Không áp dụng (/)")),
            ("note", _("Ghi chú")),
            ("previous", _("Kỳ trước")),
        )
    }
    parts = []
    for entry in form.entries():
        row = entry.row
        stt, label, unit = escape(row.stt), escape(row.label), escape(row.unit)
        if row.is_heading:
            parts.append(
                f'<tr class="entry-heading" data-heading id="muc-{row.pk}">'
                f'<td class="text-center fw-bold">{stt}</td>'
                f'<td class="fw-bold indent-{row.level}">{label}</td>'
                f'<td>{unit}</td><td colspan="{4 if with_previous else 3}"></td></tr>'
            )
            continue
        value_id = entry.value.auto_id
        cell = [f'<label class="d-inline" for="{value_id}">{label}</label>']
        if row.required:
            cell.append(required_mark)
        if row.help_text:
            help_text = escape(row.help_text)
            cell.append(f'<div class="form-text mt-0" id="{value_id}_helptext">{help_text}</div>')
        for comment in entry.comments:
            addressed = (
                f' <span class="text-success">({done})</span>' if comment.addressed_at else ""
            )
            cell.append(
                f'<div class="small text-warning-emphasis" data-comment><strong>{remark}</strong> '
                f"{escape(comment.text)}{addressed}</div>"
            )
        if history_url:
            cell.append(
                f'<a class="small text-muted" href="{escape(history_url)}{escape(row.code)}/">'
                f"{history}</a>"
            )
        value_input, na_input, note_input = entry.inputs
        parts.append(
            f'<tr id="ct-{escape(row.code)}" data-indicator="{escape(row.code)}">'
            f'<td class="text-center">{stt}</td>'
            f'<td class="indent-{row.level}">{"".join(cell)}</td>'
            f'<td class="small" data-label="{labels["unit"]}">{unit}</td>'
            f'<td data-label="{labels["value"]}">{value_input}{_feedback(entry.value)}</td>'
            f'<td class="text-center entry-na" data-label="{labels["na"]}">{na_input}</td>'
            f'<td data-label="{labels["note"]}">{note_input}{_feedback(entry.note)}</td>'
            + (
                f'<td class="text-end text-muted small" data-previous'
                f' data-label="{labels["previous"]}">{escape(entry.previous)}</td>'
                if with_previous
                else ""
            )
            + "</tr>"
        )
    return mark_safe("\n".join(parts))


def _feedback(bound: forms.BoundField) -> str:
    return "".join(
        f'<div class="invalid-feedback d-block">{escape(error)}</div>' for error in bound.errors
    )
