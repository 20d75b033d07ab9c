from django import template

from ..services.province import province_report

register = template.Library()


@register.simple_tag
def province_report_for(province, period):
    """The province's own report for the period, if compiled."""
    return province_report(province=province, period=period)
