from django.contrib import messages
from django.utils.html import format_html, format_html_join


def show_problems(request, problems, *, lead: str = ""):
    """A refusal from the services as one error message listing every problem."""
    items = format_html_join("", "<li>{}</li>", ((str(p),) for p in problems))
    messages.error(request, format_html('{}<ul class="mb-0">{}</ul>', lead, items))
