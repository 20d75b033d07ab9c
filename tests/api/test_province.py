"""The province's compiled report and the national export, read through the API."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from api.services import client_create, token_issue
from org.permissions import OPERATOR
from province.services import compile_province_report, sign_and_send
from tests.factories import write_sections
from tests.province.test_province_report import Demo

from .conftest import Api


@pytest.fixture
def demo(db):
    demo = Demo()
    demo.file("skhcn", 1)
    demo.file("stp", 2)
    demo.file("stc", 3, approve=False)  # under review: not compiled, not exported
    demo.file("syt", 5, submit=False, approve=False)  # a draft
    demo.compiled = compile_province_report(
        province=demo.province, period=demo.period, by=demo.reviewer
    )
    return demo


def token_for(demo, **fields):
    fields.setdefault("provinces", [demo.province])
    client = client_create(
        name=fields.pop("name", "Hệ thống báo cáo quốc gia"),
        purpose="Đọc số liệu",
        expires_at=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC),
        by=OPERATOR,
        **fields,
    )
    return token_issue(client=client, by=OPERATOR)[1]


# A signing date already past: a report is never signed ahead of its date.
SIGNED_ON = datetime.date(2026, 12, 1)


def sign(demo):
    write_sections(demo.compiled, by=demo.reviewer)  # the template's required sections
    return sign_and_send(report=demo.compiled, by=demo.signer, number="15", issued_on=SIGNED_ON)


def test_the_compiled_report_is_read_once_signed_with_each_values_breakdown(demo, client):
    call = Api(client, token_for(demo))
    url = f"reports/{demo.compiled.pk}/compilation/"
    assert call.get(url).status_code == 404  # a draft of the province: not for read clients
    sign(demo)
    response = call.get(url)
    assert response.status_code == 200, response.content
    body = json.loads(response.content, parse_float=Decimal)
    assert body["state"] == "signed" and body["province"] == "can-tho"
    counted = {s["unit"] for s in body["sources"] if s["counted"]}
    assert counted == {"can-tho-skhcn", "can-tho-stp"}
    # Neither the submitted nor the draft report is named: their existence is not this client's.
    assert {s["report"] for s in body["sources"] if not s["counted"]} == {None}
    approved = {demo.reports["skhcn"].pk, demo.reports["stp"].pk}
    sums = 0
    for code, entry in body["values"].items():
        assert {row["report"] for row in entry["breakdown"]} <= approved
        assert entry["hidden"] == 0
        if len(entry["reads"]) == 1 and entry["value"] is not None:
            (read,) = entry["reads"]
            parts = [row["values"].get(read) for row in entry["breakdown"]]
            numbers = [p for p in parts if isinstance(p, int | Decimal)]
            # An independent check of a sum: the breakdown's values add up to the value.
            if numbers and f"sum({read})" == _expression(demo, code):
                assert sum(numbers) == entry["value"], code
                sums += 1
    assert sums >= 5


def _expression(demo, code):
    from indicators.models import Indicator

    return (
        Indicator.objects.filter(appendix__version=demo.compiled.template_version, code=code)
        .values_list("aggregate", flat=True)
        .first()
    )


def test_a_department_report_has_no_compilation(demo, client):
    call = Api(client, token_for(demo))
    response = call.get(f"reports/{demo.reports['skhcn'].pk}/compilation/")
    assert response.status_code == 404
    assert response.json()["detail"] == "Báo cáo này không phải báo cáo tổng hợp của tỉnh."


def test_the_national_export_holds_the_signed_report_and_the_approved_ones(demo, client):
    sign(demo)
    national = Api(client, token_for(demo, name="Quốc gia", national=True, provinces=[]))
    response = national.get("export/2026-Y/")
    assert response.status_code == 200, response.content
    data = json.loads(response.content, parse_float=Decimal)
    assert data["format"] == "cchc-national-export" and data["format_version"] == 1
    assert data["period"]["code"] == "2026-Y"
    provinces = {p["code"]: p for p in data["provinces"]}
    # The provinces in force in 2026 (the merged ones ended in 2025).
    assert set(provinces) == {"can-tho", "gia-lai", "ho-chi-minh", "quang-tri-moi"}
    can_tho = provinces["can-tho"]
    assert can_tho["report"]["state"] == "signed" and can_tho["report"]["number"] == "15/BC-UBND"
    units = {u["code"]: u for u in can_tho["units"]}
    assert units["can-tho-stc"]["report"] is None and units["can-tho-syt"]["report"] is None
    skhcn = units["can-tho-skhcn"]["report"]
    assert skhcn["id"] == demo.reports["skhcn"].pk and skhcn["state"] == "approved"
    ids = {u["report"]["id"] for u in can_tho["units"] if u["report"]}
    for code, entry in can_tho["report"]["compiled"].items():
        assert set(entry["reports"]) <= ids, code
        assert entry["value"] == can_tho["report"]["values"].get(code)
    # Read back like the API's other values: what the report holds, typed.
    reader = Api(client, token_for(demo, name="Tỉnh"))
    values = reader.get(f"reports/{skhcn['id']}/values/").json()["values"]
    assert json.loads(json.dumps(skhcn["values"], default=float)) == values
    # The command writes the same document (but for when it was made).
    out = io.StringIO()
    call_command("export_national", "--period", "2026-Y", stdout=out)
    from_command = json.loads(out.getvalue(), parse_float=Decimal)
    assert {**from_command, "generated_at": None} == {**data, "generated_at": None}
    # Nothing changed: the same ETag, 304.
    again = national.get("export/2026-Y/", **{"If-None-Match": response["ETag"]})
    assert again.status_code == 304


def test_a_province_client_exports_only_its_provinces(demo, client):
    from org.models import Unit

    gia_lai = Unit.objects.get(code="gia-lai")
    call = Api(client, token_for(demo, name="Gia Lai", provinces=[gia_lai]))
    data = call.get("export/2026-Y/").json()
    assert [p["code"] for p in data["provinces"]] == ["gia-lai"]
    assert "can-tho" not in json.dumps(data)
    one_unit = Api(client, token_for(demo, name="Một sở", units=[demo.unit("skhcn")]))
    data = one_unit.get("export/2026-Y/").json()
    (province,) = data["provinces"]
    assert province["report"] is None  # the province's own report is not this client's
    assert [u["code"] for u in province["units"]] == ["can-tho-skhcn"]


def test_export_refuses_an_unknown_period(demo, client):
    call = Api(client, token_for(demo))
    assert call.get("export/2030-Y/").status_code == 404
    assert call.get("export/2030-X/").status_code == 400
    with pytest.raises(CommandError, match="Không có kỳ báo cáo 2030-Y"):
        call_command("export_national", "--period", "2030-Y", stdout=io.StringIO())
    with pytest.raises(CommandError, match="không hợp lệ"):
        call_command("export_national", "--period", "hôm nay", stdout=io.StringIO())
