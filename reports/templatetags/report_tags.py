from django import template
from django.utils.safestring import mark_safe

from lib.html import sanitize_html

from .. import selectors

register = template.Library()

# Services are imported on use: Django loads every tag library when its template engine
# starts, and processes that render no page (the PDF export) should not import them.


@register.filter
def sanitize(html):
    """Rich text shown as HTML always passes the sanitiser, even text a user just typed."""
    return mark_safe(sanitize_html(html or ""))  # noqa: S308 - sanitised just above


@register.simple_tag
def report_tabs(report):
    """The outline sections and appendices the report's tabs link to (selectors.report_tabs)."""
    return selectors.report_tabs(report)


@register.filter
def explanation(violation, explanations: dict) -> str:
    """The department's explanation answering a warning ("" when none)."""
    from ..validation import explanation_key

    return (explanations or {}).get(explanation_key(violation), "")


@register.inclusion_tag("reports/includes/upgrade_offer.html", takes_context=True)
def upgrade_offer(context, version):
    """On a template's newest published version: the open reports still on older versions,
    with the button that moves them (the version page belongs to indicators, reports to us)."""
    from ..services.upgrade import newest_published, reports_behind

    behind = 0
    if version == newest_published(version.template):
        behind = reports_behind(version.template).count()
    return {"version": version, "behind": behind, "number": version.number, **context.flatten()}
