"""How the OpenAPI schema describes our token authentication (drf-spectacular extension,
registered when the app is ready)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.TokenAuthentication"
    name = "maTruyCap"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Mã truy cập quản trị hệ thống cấp cho hệ thống kết nối "
            "(manage.py create_api_client hoặc trang quản trị), gửi trong tiêu đề "
            "Authorization: Bearer <mã>.",
        }


def openapi_json() -> str:
    """The API's OpenAPI 3 document as committed in docs/api/openapi.json: generated from the
    code, checked against the OpenAPI specification, in Vietnamese."""
    from django.utils import translation
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer
    from drf_spectacular.validation import validate_schema

    with translation.override("vi"):
        schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    return OpenApiJsonRenderer().render(schema, renderer_context={}).decode() + "\n"
