"""Who is calling: bearer tokens of registered clients, and how often each client may call."""

from django.conf import settings
from rest_framework import authentication, exceptions, permissions, throttling

from .models import Token
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


class ClientRateThrottle(throttling.SimpleRateThrottle):
    """A budget of calls per minute for each client (its own, or API_RATE_PER_MINUTE), kept in
    the shared cache so every web process counts the same calls."""

    scope = "client"

    def get_rate(self):
        return f"{settings.API_RATE_PER_MINUTE}/min"

    def allow_request(self, request, view):
        token = request.auth
        if isinstance(token, Token) and token.client.rate_per_minute:
            self.num_requests, self.duration = token.client.rate_per_minute, 60
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, Token):
            return None
        return f"api-throttle:{request.auth.client_id}"
