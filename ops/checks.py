"""Deployment checks of our own (`manage.py check --deploy`, run by scripts/serve and before the
web unit starts): an error stops the start."""

from django.conf import settings
from django.core.checks import Error, Tags, register

# What example files (deploy/cchc.env.example) and Django's startproject put there.
PLACEHOLDERS = ("change-me", "changeme", "django-insecure-")


@register(Tags.security, deploy=True)
def secret_key_is_strong(app_configs, **kwargs):
    """Django only warns (security.W009); a guessable key forges sessions and reset links."""
    key = settings.SECRET_KEY
    weak = len(key) < 50 or len(set(key)) < 5 or any(p in key.lower() for p in PLACEHOLDERS)
    if not weak:
        return []
    return [
        Error(
            "SECRET_KEY yếu: cần ít nhất 50 ký tự ngẫu nhiên, không phải giá trị mẫu.",
            hint="python3 -c 'import secrets; print(secrets.token_urlsafe(50))'",
            id="ops.E001",
        )
    ]
