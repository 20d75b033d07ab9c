"""JSON in and out of the API: numbers exact both ways, bodies bounded; the API's own
refusals (api.errors turns every refusal into its answer). Imports nothing of DRF's views:
DRF loads this module while it sets itself up."""

import json
import re
import secrets
from decimal import Decimal

from django.conf import settings
from rest_framework import exceptions, parsers, renderers
from rest_framework.utils.encoders import JSONEncoder


def _number_text(number: Decimal) -> str:
    """74.720000 -> "74.72", 1E+2 -> "100": the JSON number, digit for digit."""
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class ExactJSONEncoder(JSONEncoder):
    """Writes a Decimal as the JSON number it is (DRF's encoder would round it through a
    float: 12345678901234.123456 has more digits than a float keeps). Decimals are swapped for
    markers no input can forge, encoded, then the markers for the digits."""

    def iterencode(self, o, _one_shot=False):
        nonce = secrets.token_hex(8)
        numbers: list[str] = []

        def swap(value):
            if isinstance(value, Decimal):
                numbers.append(_number_text(value))
                return f"\x00{nonce}:{len(numbers) - 1}\x00"
            if isinstance(value, dict):
                return {key: swap(item) for key, item in value.items()}
            if isinstance(value, (list, tuple)):
                return [swap(item) for item in value]
            return value

        text = "".join(super().iterencode(swap(o), _one_shot))
        if not numbers:
            return iter([text])
        marker = re.compile(rf'"\\u0000{nonce}:(\d+)\\u0000"')
        return iter([marker.sub(lambda m: numbers[int(m.group(1))], text)])


class JSONRenderer(renderers.JSONRenderer):
    encoder_class = ExactJSONEncoder
    ensure_ascii = False
    charset = "utf-8"


class JSONParser(parsers.JSONParser):
    """Reads fractions as Decimal (0.1 stays 0.1), refuses NaN and Infinity, and refuses a body
    over DATA_UPLOAD_MAX_MEMORY_SIZE before reading it, as Django does for forms."""

    renderer_class = JSONRenderer

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        length = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
        if limit and length > limit:
            raise RequestTooLarge()
        raw = stream.read(limit + 1 if limit else -1) if stream is not None else b""
        if limit and len(raw) > limit:
            raise RequestTooLarge()
        try:
            return json.loads(raw.decode("utf-8"), parse_float=Decimal, parse_constant=_refuse)
        except (ValueError, UnicodeDecodeError) as exc:
            raise exceptions.ParseError(f"Nội dung không phải JSON hợp lệ (UTF-8): {exc}") from exc


def _refuse(name):
    raise ValueError(f"{name} không phải là số hợp lệ")


class RequestTooLarge(exceptions.APIException):
    status_code = 413
    default_code = "too_large"

    def __init__(self):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        super().__init__(f"Nội dung gửi lên quá lớn (tối đa {limit:,} byte).".replace(",", "."))


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = "Thiếu tiêu đề If-Match."
    default_code = "precondition_required"


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "Số liệu đã thay đổi từ lần đọc trước."
    default_code = "conflict"


class Unprocessable(exceptions.APIException):
    status_code = 422
    default_detail = "Số liệu không hợp lệ; không giá trị nào được ghi."
    default_code = "unprocessable"

    def __init__(self, detail: str, errors: list[dict]):
        super().__init__(detail)
        # As sent back: the refused values keep their JSON types (APIException would make
        # every leaf a string).
        self.detail = {"detail": detail, "errors": errors}
