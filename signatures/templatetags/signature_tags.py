from django import template

from signatures.access import can_sign

register = template.Library()


@register.filter
def may_sign(user, report) -> bool:
    """{% if request.user|may_sign:report %}: the signing buttons on the core's pages."""
    return can_sign(user, report)
