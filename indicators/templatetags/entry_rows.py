from django import template

register = template.Library()

# The forms are imported on use: Django loads every tag library when its template engine
# starts, and processes that render no page (the PDF export) should not import them.


@register.simple_tag
def entry_rows(form, history_url=""):
    """The rows of an indicator entry form (indicators.forms.EntrySkeleton.render)."""
    from ..forms import render_entry_rows

    return render_entry_rows(form, history_url)


@register.simple_tag
def entry_jump_list(form):
    """The links to an indicator appendix's headings, rendered once per template version."""
    from ..forms import entry_skeleton

    return entry_skeleton(form.appendix).jump_list
