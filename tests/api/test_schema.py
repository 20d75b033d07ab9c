"""The OpenAPI document: valid, committed as the code generates it, served with its
documentation page from our own files; and what the API answers fits it."""

import json
import re
from pathlib import Path

import jsonschema
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import CommandError, call_command
from openapi_spec_validator import validate

from api.schema import openapi_json
from api.services import parts_etag
from reports.models import ReportState

SCHEMA_FILE = Path(settings.BASE_DIR) / "docs" / "api" / "openapi.json"


def test_the_committed_schema_is_what_the_code_generates():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == openapi_json(), (
        "docs/api/openapi.json is stale: run manage.py api_schema"
    )


def test_the_schema_is_valid_openapi_3_in_vietnamese():
    document = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    validate(document)
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "API cổng báo cáo CCHC"
    vietnamese = re.compile("[à-ỹĐđ]")
    for path, operations in document["paths"].items():
        assert path.startswith("/api/v1/")
        for operation in operations.values():
            assert vietnamese.search(operation["summary"])
            assert vietnamese.search(operation.get("description", "đ")), operation["summary"]
            for parameter in operation.get("parameters", []):
                assert vietnamese.search(parameter.get("description", "")), parameter["name"]
            assert operation["security"] == [{"maTruyCap": []}]
    for name, component in document["components"]["schemas"].items():
        for field, spec in component.get("properties", {}).items():
            text = spec.get("description", "")
            assert not text or vietnamese.search(text), (name, field, text)


def test_api_schema_check_fails_when_the_file_is_stale(tmp_path, monkeypatch):
    from api.management.commands import api_schema

    stale = tmp_path / "openapi.json"
    stale.write_text("{}", encoding="utf-8")
    monkeypatch.setattr(api_schema, "SCHEMA_FILE", stale)
    with pytest.raises(CommandError, match="đã cũ"):
        call_command("api_schema", "--check")
    call_command("api_schema")
    call_command("api_schema", "--check")
    assert stale.read_text(encoding="utf-8") == openapi_json()


def test_the_schema_and_its_documentation_page_need_no_token(client):
    schema = client.get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="vi">' in html
    assert "Tài liệu API v1" in html
    # Every script and stylesheet comes from our static files, none from a CDN, none inline.
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))]
    assets = [s for s in sources if s.startswith(settings.STATIC_URL) or "/static/" in s]
    assert len(assets) >= 4
    for asset in assets:
        assert finders.find(asset.split("static/", 1)[1]), asset
    assert "<script>" not in html and "<style" not in html


def _validator(document, schema_name):
    return jsonschema.Draft4Validator(
        {"$ref": f"#/components/schemas/{schema_name}", "components": document["components"]},
    )


def _openapi_to_jsonschema(node):
    """OpenAPI 3.0's nullable as JSON Schema understands it."""
    if isinstance(node, dict):
        node = {k: _openapi_to_jsonschema(v) for k, v in node.items()}
        if node.pop("nullable", False):
            if "type" in node:
                node["type"] = [node["type"], "null"]
            elif "oneOf" in node:
                node["oneOf"] = [*node["oneOf"], {"type": "null"}]
            elif "allOf" in node:
                node = {"anyOf": [node, {"type": "null"}]}
        return node
    if isinstance(node, list):
        return [_openapi_to_jsonschema(v) for v in node]
    return node


def test_answers_fit_the_schema(cast, estate, make_client, api):
    document = _openapi_to_jsonschema(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    _client, token = make_client(provinces=[cast.province], writes=True, reads_submitted=True)
    call = api(token)
    draft = estate[(cast.department.code, ReportState.DRAFT)]
    approved = estate[(cast.department.code, ReportState.APPROVED)]
    answers = {
        "Client": call.get("me/"),
        "PaginatedReportList": call.get("reports/"),
        "PaginatedUnitList": call.get("units/"),
        "ReportDetail": call.get(f"reports/{approved.pk}/"),
        "Values": call.get(f"reports/{approved.pk}/values/"),
        "Tables": call.get(f"reports/{approved.pk}/tables/"),
        "OneTable": call.get(f"reports/{approved.pk}/tables/bang/"),
        "History": call.get(f"reports/{approved.pk}/history/"),
        "Version": call.get("templates/mau-thu/versions/1/"),
        "ValuesWritten": call(
            "PATCH",
            f"reports/{draft.pk}/values/",
            {"values": {"so_nv": 5, "so_ht": 9, "ty_le": 74.72, "ghi_ro": "/"}},
            **{"If-Match": parts_etag(draft, ["pl1"])},
        ),
        "Refused": call(
            "PATCH",
            f"reports/{draft.pk}/values/",
            {"values": {"so_nv": "mười"}},
            **{"If-Match": parts_etag(draft, ["pl1"])},
        ),
        "Error": call.get("reports/999999/"),
    }
    for name, response in answers.items():
        assert response.status_code < 500
        _validator(document, name).validate(response.json())
    for item in call.get("periods/").json():
        _validator(document, "Period").validate(item)
    for item in call.get("templates/").json():
        _validator(document, "Template").validate(item)
