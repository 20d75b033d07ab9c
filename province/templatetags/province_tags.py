from django import template

register = template.Library()


@register.simple_tag
def province_report_for(province, period):
    """The province's own report for the period, if compiled."""
    # Imported on use: Django loads every tag library when its template engine starts, and
    # processes that render no page (the PDF export) should not import the services.
    from ..services import province_report

    return province_report(province=province, period=period)
