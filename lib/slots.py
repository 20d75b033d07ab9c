"""Places on a lower app's page where the apps above it show their own parts.

The app that owns the page declares a slot (`report_tabs = Slot("report_tabs")`) and renders it
(`{% load slots %}{% slot "report_tabs" report=report %}`); an app above registers a provider in
its AppConfig.ready (`report_tabs.register(fn)`). A provider takes the slot's keyword arguments
and returns a template name with its context, or None when it has nothing to show. The page's
app so never imports, names or includes the code, templates or URLs of the apps above it
(docs/decisions/0009).
"""

from collections.abc import Callable

from django import template
from django.utils.safestring import mark_safe

Part = tuple[str, dict] | None
_slots: dict[str, "Slot"] = {}


class Slot:
    def __init__(self, name: str):
        if name in _slots:
            raise ValueError(f"slot {name!r} declared twice")
        self.name = name
        self.providers: list[Callable[..., Part]] = []
        _slots[name] = self

    def register(self, provider: Callable[..., Part]) -> Callable[..., Part]:
        if provider not in self.providers:
            self.providers.append(provider)
        return provider

    def parts(self, **kwargs) -> list[tuple[str, dict]]:
        return [part for part in (provider(**kwargs) for provider in self.providers) if part]


register = template.Library()


@register.simple_tag(takes_context=True)
def slot(context, name: str, **kwargs) -> str:
    """Every registered provider's part, rendered in the page's context (request, CSRF, perms)."""
    html = []
    for template_name, extra in _slots[name].parts(**kwargs):
        with context.push(**extra):
            html.append(context.template.engine.get_template(template_name).render(context))
    return mark_safe("".join(html))  # noqa: S308 - templates rendered with autoescape
