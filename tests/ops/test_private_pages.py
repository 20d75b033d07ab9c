"""What a signed-in user gets stays theirs: no caching, a working-day session, the audit trail's
addresses through trusted proxies only, and no production start with a weak SECRET_KEY."""

import pytest
from django.urls import reverse

from ops.models import AuditEvent
from tests.factories import Cast
from tests.processes import run_manage
from tests.test_deploy import PRODUCTION_ENV


def test_pages_of_a_signed_in_user_are_never_cached(client, cast):
    client.force_login(cast.staff)
    for url in ["/", reverse("reports:notifications"), "/dang-nhap/"]:
        control = {d.strip() for d in client.get(url)["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= control, url


def test_a_session_lasts_a_working_day_by_default(client, cast, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    client.force_login(cast.staff)
    assert client.session.get_expiry_age() == 8 * 3600


def test_an_export_is_audited_with_the_client_address_behind_a_trusted_proxy(
    client, cast: Cast, settings
):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    client.force_login(cast.reviewer)
    client.get(
        reverse("review:rollup"),
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="evil, 198.51.100.23",
    )
    client.get(
        reverse("review:rollup"),
        REMOTE_ADDR="203.0.113.5",
        HTTP_X_FORWARDED_FOR="198.51.100.99",
    )
    addresses = list(AuditEvent.objects.order_by("pk").values_list("ip_address", flat=True))
    assert addresses == ["198.51.100.23", "203.0.113.5"]


@pytest.mark.parametrize(
    "key",
    [
        "change-me-to-50-random-characters",  # deploy/cchc.env.example
        "short-but-random-Zx81",
        "a" * 80,
        "django-insecure-" + "q8Yd0p2Lk5mN7vB1xC3zA6sD9fG4hJ0kL2" * 2,
    ],
)
def test_a_weak_secret_key_stops_the_deploy_check(key):
    result = run_manage(
        "check", "--deploy", "--fail-level", "ERROR", env={**PRODUCTION_ENV, "SECRET_KEY": key}
    )
    assert result.returncode != 0
    assert "ops.E003" in result.stderr and "SECRET_KEY yếu" in result.stderr
