"""Widgets for the entry forms that render without a template per input.

An appendix page holds several hundred inputs; Django's template-based widget rendering costs
about a millisecond each, which made the largest appendix slow. These produce the same markup
with one f-string each (attributes escaped).
"""

from html import escape

from django import forms
from django.utils.safestring import mark_safe


def flatatt(attrs: dict) -> str:
    """django.forms.utils.flatatt without format_html_join, which cost more than the rest of an
    input (several hundred a page): True is a bare attribute, False and None are left out."""
    parts = []
    for key, value in sorted(attrs.items()):
        if value is True:
            parts.append(f" {key}")
        elif value is not False and value is not None:
            parts.append(f' {key}="{escape(str(value))}"')
    return "".join(parts)


class FastTextInput(forms.TextInput):
    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, {**(attrs or {}), "type": "text", "name": name})
        shown = self.format_value(value)
        if shown is not None:
            final["value"] = shown
        return mark_safe(f"<input{flatatt(final)}>")


class FastTextarea(forms.Textarea):
    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        text = escape(str(self.format_value(value) or ""))
        return mark_safe(f"<textarea{flatatt(final)}>\n{text}</textarea>")


class FastCheckboxInput(forms.CheckboxInput):
    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, {**(attrs or {}), "type": "checkbox", "name": name})
        if self.check_test(value):
            final["checked"] = True
        return mark_safe(f"<input{flatatt(final)}>")


class FastSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        selected = {str(v) for v in self.format_value(value)}
        options = "".join(
            f'<option value="{escape(str(code))}"{" selected" if str(code) in selected else ""}>'
            f"{escape(str(label))}</option>"
            for code, label in self.choices
        )
        return mark_safe(f"<select{flatatt(final)}>{options}</select>")
