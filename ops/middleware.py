"""One log line per request: method, path, status, duration, user and unit, request id."""

import logging
import re
import time
import uuid

from django.conf import settings
from django.utils.cache import patch_cache_control

from . import audit
from .logging import request_id

logger = logging.getLogger("cchc.request")
# nginx may pass its own $request_id; anything else is replaced by ours.
SAFE_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        rid = incoming if SAFE_ID.match(incoming) else uuid.uuid4().hex[:16]
        token = request_id.set(rid)
        request.request_id = rid
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            self._log(request, response.status_code, started)
            audit.record_export(request, response)
            return response
        finally:
            request_id.reset(token)

    @staticmethod
    def _log(request, status, started):
        user = getattr(request, "user", None)
        authenticated = user is not None and user.is_authenticated
        fields = {
            "method": request.method,
            "path": request.path,
            "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000),
            "user": user.get_username() if authenticated else "-",
            "unit": (getattr(user, "unit_id", None) or "-") if authenticated else "-",
            "request_id": request_id.get(),
        }
        level = logging.ERROR if status >= 500 else logging.INFO
        if status < 400 and request.path.startswith(settings.STATIC_URL):
            level = logging.DEBUG  # static files: only with LOG_LEVEL=DEBUG
        logger.log(
            level,
            "%(method)s %(path)s %(status)s %(duration_ms)sms user=%(user)s unit=%(unit)s "
            "id=%(request_id)s",
            fields,
            extra={k: v for k, v in fields.items() if k != "request_id"},
        )


class HealthCheckMiddleware:
    """Answers /healthz before host validation and the HTTPS redirect: a load balancer probes
    each node by its address over plain HTTP."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            from .views import healthz

            return healthz(request)
        return self.get_response(request)


class PrivatePagesMiddleware:
    """Pages for a signed-in user are theirs alone: no shared or browser cache keeps them
    (a report left in a proxy's or the back button's cache after logout)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
