"""Login and password-reset throttling: the client's address, per-address limits beside
django-axes' per-username ones, and usernames of any length.

The address (lib.http.client_ip, which django-axes and the API's call log read too) comes from
X-Forwarded-For only through proxies listed in TRUSTED_PROXIES; anyone else's header is ignored,
so rotating it from outside changes nothing.
"""

import datetime
import logging

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from lib.http import client_ip

logger = logging.getLogger(__name__)
# axes' username columns.
AXES_USERNAME_MAX = 255

__all__ = ["client_ip"]  # AXES_CLIENT_IP_CALLABLE names it here


def client_username(request, credentials) -> str | None:
    """The username axes records, cut to its column: a longer one is refused like any wrong
    login (and recorded) instead of failing the insert."""
    field = settings.AXES_USERNAME_FORM_FIELD
    username = (credentials or {}).get(field) or request.POST.get(field)
    return username[:AXES_USERNAME_MAX] if isinstance(username, str) else username


def failures_from_address(request) -> int:
    since = timezone.now() - (get_cool_off(request) or datetime.timedelta(0))
    attempts = AccessAttempt.objects.filter(
        ip_address=get_client_ip_address(request), attempt_time__gte=since
    )
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AddressLimitHandler(AxesDatabaseHandler):
    """axes' database handler, also locking an address after AXES_ADDRESS_FAILURE_LIMIT
    failures over every username (password spraying), beside a username+address after
    AXES_FAILURE_LIMIT."""

    def get_failures(self, request, credentials=None) -> int:
        per_user = super().get_failures(request, credentials)
        if failures_from_address(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(per_user, get_failure_limit(request, credentials))
        return per_user


RESET_WINDOW = datetime.timedelta(hours=1)


@transaction.atomic
def password_reset_record(*, address: str | None, user) -> str:
    """Record a password-reset request (an audit event) and say what to do with it: "refuse"
    (PASSWORD_RESET_ADDRESS_LIMIT reached from this address within the hour; not recorded),
    "drop" (the account had PASSWORD_RESET_ACCOUNT_LIMIT e-mails within the hour: answer as
    usual, send nothing) or "send"."""
    from .models import AuditEvent

    recent = AuditEvent.objects.filter(
        kind=AuditEvent.Kind.PASSWORD_RESET, at__gte=timezone.now() - RESET_WINDOW
    )
    if recent.filter(ip_address=address).count() >= settings.PASSWORD_RESET_ADDRESS_LIMIT:
        return "refuse"
    sent_to_account = recent.filter(user=user).count() if user is not None else 0
    AuditEvent.objects.create(
        kind=AuditEvent.Kind.PASSWORD_RESET, user=user, ip_address=address, detail=""
    )
    return "drop" if sent_to_account >= settings.PASSWORD_RESET_ACCOUNT_LIMIT else "send"
