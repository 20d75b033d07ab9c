"""Who is calling: bearer tokens of registered clients, and how often each client may call."""

import datetime
import math

from django.conf import settings
from django.utils import timezone
from rest_framework import authentication, exceptions, permissions, throttling

from .models import Call, Token
from .services import token_for, token_used


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <token>`. The request's user becomes the client's history
    account, so the change history records the client as the author of what it writes;
    request.auth is the Token."""

    keyword = b"bearer"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                "Tiêu đề Authorization phải có dạng “Bearer <mã>”, không có khoảng trắng trong mã."
            )
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raw = ""
        token = token_for(raw)
        if token is None:
            raise exceptions.AuthenticationFailed(
                "Mã truy cập không đúng, đã bị thu hồi hoặc đã hết hạn."
            )
        token_used(token)
        return token.client.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="cchc"'


class IsClient(permissions.BasePermission):
    """Every endpoint answers registered clients only; what each may reach is api.access."""

    def has_permission(self, request, view):
        return isinstance(request.auth, Token)


class ClientRateThrottle(throttling.BaseThrottle):
    """A budget of calls per minute for each client (its own figure, or API_RATE_PER_MINUTE),
    counted in the call log every web process writes: one indexed count per call, shared by
    all processes. Refused calls (429) do not count, so a client is served again as soon as
    its earlier calls leave the minute."""

    window = datetime.timedelta(seconds=60)

    def allow_request(self, request, view):
        token = request.auth
        if not isinstance(token, Token):
            return True
        self.rate = token.client.rate_per_minute or settings.API_RATE_PER_MINUTE
        self.now = timezone.now()
        self.recent = Call.objects.filter(
            client_id=token.client_id, at__gt=self.now - self.window
        ).exclude(status=429)
        self.count = self.recent.count()
        return self.count < self.rate

    def wait(self):
        """Seconds until enough of the minute's calls are older than a minute."""
        oldest = self.recent.order_by("at").values_list("at", flat=True)[
            self.count - self.rate : self.count - self.rate + 1
        ]
        if not oldest:
            return 1
        return max(1, math.ceil((oldest[0] + self.window - self.now).total_seconds()))
