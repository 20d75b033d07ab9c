from django import template

from ..forms import render_entry_rows

register = template.Library()


@register.simple_tag
def entry_rows(form, history_url=""):
    """The rows of an indicator entry form (indicators.forms.render_entry_rows)."""
    return render_entry_rows(form, history_url)
