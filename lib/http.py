"""Helpers on HTTP requests that every app may use."""

from django.conf import settings


def client_ip(request) -> str:
    """The address nginx saw (the last X-Forwarded-For entry it appended), when it is trusted."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.TRUST_X_FORWARDED_FOR and forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")
