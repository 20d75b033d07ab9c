"""Entry forms generated from a template version: one form per indicator appendix and a formset
per repeating-row table. Staff use them in reports; the template preview renders the same forms.

Fields keep the raw text the user typed, so a refused value stays on screen next to its message.
Missing required values do not block saving a draft: validation reports them.
"""

from functools import partial
from typing import NamedTuple

from django import forms
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _

from lib.limits import NOTE_MAX_CHARS, TABLE_MAX_ROWS
from lib.text import XmlSafeCharField

from .changes import value_change
from .derived import ENTRY_SKELETONS, version_stamp
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
        return input_text(self.value_type, value, self.value_choices)


def input_text(value_type, value, choices=()):
    """What an input shows for a canonical value (initial data), the Vietnamese way; raw text
    stays as typed."""
    if isinstance(value, str) or value is None:
        return value
    if value is NOT_APPLICABLE:
        return NA_MARK
    if value_type == ValueType.MARK:
        return bool(value)
    return format_value(value_type, value, choices=choices)


def indicator_field_names(row: Indicator) -> tuple[str, str, str]:
    return f"v-{row.code}", f"na-{row.code}", f"note-{row.code}"


class RowState(NamedTuple):
    """What one request fills into an indicator row of the entry table."""

    value: object  # what the value input shows (None: empty)
    na: bool
    note: str | None
    value_errors: list
    note_errors: list


class PreviousColumn:
    """The previous period's value beside each input, with the change and a quiet flag when
    the value moved by more than the template's factor (asking for a note, not an error).
    `values` maps code -> (value, note) of the previous report; `label` names it ("kỳ trước",
    "cùng kỳ năm trước")."""

    def __init__(self, rows, values: dict, *, label: str, factor):
        self.label, self.factor = label, factor
        self.values = {
            row.code: values[row.code][0]
            for row in rows
            if row.code in values and not row.is_heading
        }

    def cell(self, row: Indicator, current, note: str | None) -> str:
        """The inside of the row's cell: the value as printed, the change, the flag."""
        previous = self.values.get(row.code)
        text = escape(format_value(row.value_type, previous, choices=row.choices))
        # Words (a document, a text) are clamped to two lines; the whole is in the title.
        html = f'<span class="entry-clamp" title="{text}">{text}</span>' if len(text) > 12 else text
        change = value_change(row.value_type, current, previous, factor=self.factor)
        if change is None:
            return html
        html += f'<div class="entry-change" data-change>{escape(change.text)}</div>'
        if change.outlier:
            asked = escape(_("đã ghi chú lý do") if note else _("ghi chú lý do"))
            html += (
                f'<div class="entry-outlier{" is-noted" if note else ""}"'
                f' id="ct-{escape(row.code)}-bat-thuong" data-outlier>'
                f'<span aria-hidden="true">⚑ </span>{escape(change.outlier)}'
                f'<span class="visually-hidden"> {escape(self.label)}</span>: {asked}</div>'
            )
        return html


class IndicatorValuesForm(forms.Form):
    """Values of one indicator appendix. `initial` maps code -> (value, note)."""

    def __init__(
        self,
        *args,
        appendix: Appendix,
        rows: list[Indicator],
        initial_values=None,
        previous: PreviousColumn | None = None,
        **kw,
    ):
        super().__init__(*args, **kw)
        self.appendix = appendix
        self.rows = rows
        self.comments: dict[str, list] = {}  # code -> reviewer comments, set by the page
        self.previous = previous
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
                limit=NOTE_MAX_CHARS,
                initial=note,
                widget=FastTextInput(attrs={"class": "form-control form-control-sm"}),
            )

    def row_state(self, row: Indicator) -> RowState:
        """What the row's inputs show: the typed text once bound, else the initial values."""
        value, na, note = (self[name] for name in indicator_field_names(row))
        return RowState(value.value(), na.value(), note.value(), value.errors, note.errors)

    def current(self, row: Indicator):
        """The row's canonical value as it stands: parsed when valid, else the initial one."""
        name, na_name, _note = indicator_field_names(row)
        if not self.is_bound:
            return self[name].initial
        if name in self.errors:
            return None
        return NOT_APPLICABLE if self.cleaned_data.get(na_name) else self.cleaned_data[name]

    def values(self) -> dict[str, tuple[object, str]]:
        """code -> (canonical value, note) of the valid fields; call after is_valid()."""
        result = {}
        for row in self.rows:
            if row.is_heading:
                continue
            name, na_name, note_name = indicator_field_names(row)
            if name in self.errors or note_name in self.errors:
                continue  # the row stays as stored; the page shows what was typed
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
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_many_forms": _(
            "Bảng có quá nhiều dòng: tối đa %(num)d dòng; hãy bỏ bớt dòng rồi lưu lại."
        ),
    }

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
    TableRowForm,
    formset=BaseTableFormSet,
    extra=0,
    can_delete=True,
    can_order=True,
    max_num=TABLE_MAX_ROWS,
    validate_max=True,
)


def table_formset(appendix: Appendix, columns: list[Column], *, data=None, rows=None):
    """A formset for a table's rows; `rows` is the initial list of {column code: value}."""
    return TableFormSet(data=data, prefix=f"t-{appendix.code}", columns=columns, initial=rows or [])


class StoredEntry:
    """An indicator appendix's entry table filled from stored values, without form fields: the
    page as it loads. Saving still parses through IndicatorValuesForm, and a refused save is
    shown again from that form. `values` maps code -> (canonical value, note)."""

    is_bound = False

    def __init__(self, appendix: Appendix, rows: list[Indicator], *, values, previous=None):
        self.appendix, self.rows, self.values = appendix, rows, values
        self.previous: PreviousColumn | None = previous
        self.comments: dict[str, list] = {}  # code -> reviewer comments, set by the page

    def non_field_errors(self):
        return []

    def row_state(self, row: Indicator) -> RowState:
        value, note = self.values.get(row.code, (None, ""))
        if value is NOT_APPLICABLE:  # the value input is left empty, "/" is ticked
            return RowState(None, True, note, [], [])
        return RowState(input_text(row.value_type, value, row.choices), False, note, [], [])

    def current(self, row: Indicator):
        return self.values.get(row.code, (None, ""))[0]


_MARKER = "\x00"  # stands for the value while an input is rendered once; no escaping touches it


class _Input:
    """One input of the entry table, rendered by its widget once (valid and invalid) around a
    marker; each request only puts its value in. Same markup as rendering the bound field."""

    def __init__(self, bound: forms.BoundField, css: str = "", **attrs):
        self.widget, self.name = bound.field.widget, bound.html_name
        self.classes = " ".join(c for c in (self.widget.attrs.get("class", ""), css) if c)
        self.attrs = {"id": bound.auto_id, **attrs}
        if bound.help_text:
            self.attrs["aria-describedby"] = f"{bound.auto_id}_helptext"
        self._parts: dict[bool, tuple] = {}

    def _final_attrs(self, invalid: bool) -> dict:
        final, classes = dict(self.attrs), self.classes
        if invalid:
            classes += " is-invalid"
            final["aria-invalid"] = "true"
        if classes:
            final["class"] = classes
        return final

    def _render_parts(self, invalid: bool) -> tuple:
        render = partial(self.widget.render, self.name, attrs=self._final_attrs(invalid))
        if isinstance(self.widget, forms.CheckboxInput):
            return render(False), render(True)
        head, tail = render(_MARKER).split(_MARKER)
        return render(None), head, tail

    def html(self, value, invalid: bool = False) -> str:
        if isinstance(self.widget, forms.Select):  # a few options: rendered each time
            return self.widget.render(self.name, value, attrs=self._final_attrs(invalid))
        parts = self._parts.get(invalid)
        if parts is None:
            parts = self._parts[invalid] = self._render_parts(invalid)
        if isinstance(self.widget, forms.CheckboxInput):
            return parts[self.widget.check_test(value)]
        shown = self.widget.format_value(value)
        return parts[0] if shown is None else f"{parts[1]}{escape(shown)}{parts[2]}"


class _Row(NamedTuple):
    row: Indicator
    head: str  # up to the colspan (headings), or up to the reviewer's comments
    middle: str = ""  # from the history link's end to the value input
    inputs: tuple = ()  # value, "/", note (_Input)


class EntrySkeleton:
    """The <tr> rows of templates/indicators/includes/indicator_form.html with everything that
    depends only on the template version rendered once (STT, labels, units, code lists, the
    inputs' names, ids and aria attributes); `render` puts in one request's values, messages,
    comments and previous values. Built in Python: the largest appendix has 166 rows."""

    def __init__(self, form: "IndicatorValuesForm"):
        self.rows = form.rows
        labels = {
            key: escape(text)
            for key, text in (
                ("unit", _("Đơn vị tính")),
                ("value", _("Số liệu")),
                ("na", _("Không áp dụng (/)")),
                ("note", _("Ghi chú")),
            )
        }
        self.na_cell = f'</td><td class="text-center entry-na" data-label="{labels["na"]}">'
        self.note_cell = f'</td><td data-label="{labels["note"]}">'
        self.done, self.remark = escape(_("đã xử lý")), escape(_("Nhận xét:"))
        self.history = f'">{escape(_("lịch sử"))}</a>'
        required_mark = ' <span class="text-danger" title="{}">*</span>'.format(
            escape(_("Bắt buộc"))
        )
        self.items = []
        for row in form.rows:
            stt, label, unit = escape(row.stt), escape(row.label), escape(row.unit)
            if row.is_heading:
                self.items.append(
                    _Row(
                        row,
                        f'<tr class="entry-heading" data-heading id="{_anchor(row)}">'
                        f'<td class="text-center fw-bold">{stt}</td>'
                        f'<td class="fw-bold indent-{row.level}">{label}</td>'
                        f'<td>{unit}</td><td colspan="',
                    )
                )
                continue
            value, na, note = (form[name] for name in indicator_field_names(row))
            head = [
                f'<tr id="{_anchor(row)}" data-indicator="{escape(row.code)}">'
                f'<td class="text-center">{stt}</td><td class="indent-{row.level}">'
                f'<label class="d-inline" for="{value.auto_id}">{label}</label>'
            ]
            if row.required:
                head.append(required_mark)
            if row.help_text:
                head.append(
                    f'<div class="form-text mt-0" id="{value.auto_id}_helptext">'
                    f"{escape(row.help_text)}</div>"
                )
            inputs = (
                _Input(value),
                _Input(
                    na,
                    "form-check-input",
                    **{
                        "data-na-toggle": "on",
                        "aria-label": _("Không áp dụng: %(label)s") % {"label": row.label},
                    },
                ),
                _Input(note, **{"aria-label": _("Ghi chú: %(label)s") % {"label": row.label}}),
            )
            middle = (
                f'</td><td class="small" data-label="{labels["unit"]}">{unit}</td>'
                f'<td data-label="{labels["value"]}">'
            )
            self.items.append(_Row(row, "".join(head), middle, inputs))
        # Every printed level: headings and the numbered rows that carry a value ("1. Kế hoạch
        # CCHC"), in printed order; bullets ("-", "+") are items, not places to go to.
        self.jump_list = mark_safe(
            "".join(
                f'<li><a class="dropdown-item small indent-{row.level}" href="#{_anchor(row)}">'
                f"{escape(row.stt)} {escape(Truncator(row.label).chars(80))}</a></li>"
                for row in form.rows
                if row.is_heading or row.stt.strip().strip("-+*•–")
            )
        )

    def render(self, source, history_url: str = "") -> str:
        """The rows filled from `source` (an IndicatorValuesForm, bound or not, or a
        StoredEntry); `history_url` + code links each row to its value history (empty: no
        link)."""
        previous = source.previous
        colspan = '4"></td></tr>' if previous is not None else '3"></td></tr>'
        if previous is not None:
            previous_cell = (
                '<td class="text-end small entry-previous" data-previous'
                f' data-label="{escape(capfirst(previous.label))}">'
            )
        # A space, so the link never reads as part of the label ("ban hànhlịch sử").
        link = f' <a class="small text-muted" href="{escape(history_url)}' if history_url else ""
        parts = []
        for item in self.items:
            row = item.row
            if row.is_heading:
                parts.append(item.head + colspan)
                continue
            state = source.row_state(row)
            value, na, note = item.inputs
            comments = "".join(self._comment(c) for c in source.comments.get(row.code, ()))
            parts.append(
                f"{item.head}{comments}"
                + (f"{link}{escape(row.code)}/{self.history}" if link else "")
                + f"{item.middle}{value.html(state.value, bool(state.value_errors))}"
                f"{_feedback(state.value_errors)}{self.na_cell}{na.html(state.na)}{self.note_cell}"
                f"{note.html(state.note, bool(state.note_errors))}{_feedback(state.note_errors)}"
                "</td>"
                + (
                    f"{previous_cell}{previous.cell(row, source.current(row), state.note)}</td>"
                    if previous is not None
                    else ""
                )
                + "</tr>"
            )
        return mark_safe("\n".join(parts))

    def _comment(self, comment) -> str:
        addressed = (
            f' <span class="text-success">({self.done})</span>' if comment.addressed_at else ""
        )
        return (
            f'<div class="small text-warning-emphasis" data-comment><strong>{self.remark}</strong> '
            f"{escape(comment.text)}{addressed}</div>"
        )


def entry_skeleton(appendix: Appendix) -> EntrySkeleton:
    """The appendix's skeleton, built once per published version in each process
    (indicators.derived.ENTRY_SKELETONS); a draft's on each call, so it is never stale."""

    def build():
        empty = IndicatorValuesForm(
            appendix=appendix, rows=list(appendix.indicators.all()), prefix=appendix.code
        )
        return EntrySkeleton(empty)

    return ENTRY_SKELETONS.get(appendix.pk, version_stamp(appendix.version), build)


def _anchor(row: Indicator) -> str:
    return f"muc-{row.pk}" if row.is_heading else f"ct-{escape(row.code)}"


def render_entry_rows(source, history_url: str = "") -> str:
    """The rows of an indicator entry table (EntrySkeleton.render) for a form or StoredEntry."""
    return entry_skeleton(source.appendix).render(source, history_url)


def _feedback(errors) -> str:
    return "".join(
        f'<div class="invalid-feedback d-block">{escape(error)}</div>' for error in errors
    )
