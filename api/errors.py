"""Every refusal of the API as JSON with its reason in Vietnamese (REST_FRAMEWORK's
EXCEPTION_HANDLER)."""

from django.core.exceptions import RequestDataTooBig
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from .rendering import RequestTooLarge

# DRF's own messages for these, in the portal's words.
_MESSAGES = {
    exceptions.NotAuthenticated: "Cần mã truy cập: gửi tiêu đề “Authorization: Bearer <mã>”.",
    exceptions.MethodNotAllowed: "Địa chỉ này không nhận phương thức {method}.",
    exceptions.UnsupportedMediaType: "Chỉ nhận nội dung JSON (Content-Type: application/json).",
    exceptions.NotAcceptable: "Chỉ trả lời dạng JSON (Accept: application/json).",
}


def exception_handler(exc, context):
    request = context.get("request")
    if isinstance(exc, RequestDataTooBig):  # Django's own check, when it read the body first
        exc = RequestTooLarge()
    message = _MESSAGES.get(type(exc))
    if message:
        exc.detail = message.format(method=getattr(request, "method", ""))
    elif isinstance(exc, exceptions.Throttled):
        exc.detail = f"Gọi quá nhiều lần; thử lại sau {exc.wait or 1:.0f} giây."
    return drf_exception_handler(exc, context)
