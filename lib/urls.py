"""Absolute addresses for places a request does not reach: e-mails sent by the task workers."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` (from reverse()) on the portal's address, settings.SITE_URL."""
    return f"{settings.SITE_URL}{path}"
