"""Deployment checks run by `manage.py check --deploy` (scripts/serve and the web unit run it before
starting): what a production start needs beyond Django's own checks."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.http.request import validate_host


@register(deploy=True)
def site_url_check(app_configs, **kwargs):
    """E-mails carry links built on SITE_URL; without it they would be paths nobody can click."""
    url = settings.SITE_URL
    if not url:
        return [
            Error(
                "SITE_URL chưa đặt: đường dẫn trong e-mail cần địa chỉ của cổng.",
                hint="Đặt SITE_URL=https://cchc.example.gov.vn trong /etc/cchc/cchc.env.",
                id="ops.E001",
            )
        ]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path.strip("/"):
        return [
            Error(
                f"SITE_URL={url!r} không phải địa chỉ gốc của cổng.",
                hint="Dạng https://tên-miền, không kèm đường dẫn.",
                id="ops.E002",
            )
        ]
    found = []
    if not validate_host(parts.hostname, settings.ALLOWED_HOSTS):
        found.append(
            Warning(
                f"Tên miền của SITE_URL ({parts.hostname}) không có trong ALLOWED_HOSTS.",
                id="ops.W001",
            )
        )
    if parts.scheme != "https" and settings.SECURE_SSL_REDIRECT:
        found.append(
            Warning(
                "SITE_URL dùng http nhưng cổng chuyển mọi yêu cầu sang https.",
                hint="Đặt SITE_URL bắt đầu bằng https://.",
                id="ops.W002",
            )
        )
    return found


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
            id="ops.E003",
        )
    ]
