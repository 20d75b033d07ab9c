from django import template

from ..forms import entry_skeleton, render_entry_rows

register = template.Library()


@register.simple_tag
def entry_rows(form, history_url=""):
    """The rows of an indicator entry form (indicators.forms.EntrySkeleton.render)."""
    return render_entry_rows(form, history_url)


@register.simple_tag
def entry_jump_list(form):
    """The links to an indicator appendix's headings, rendered once per template version."""
    return entry_skeleton(form.appendix).jump_list
