"""The API's isolation is the pages': every endpoint, for every kind of client, against reports
of every state in the client's province and in another one; nothing leaks."""

import json

import pytest

from api.services import parts_etag
from reports.models import ReportState

from .conftest import STATE_PERIODS

DRAFTS = {ReportState.DRAFT, ReportState.RETURNED}
UNDER_REVIEW = {ReportState.SUBMITTED, ReportState.RESUBMITTED}


def client_kinds(cast):
    """name -> (registration, units it reaches, units it may write to, extra states it reads)."""
    a = {cast.department.code, cast.colleague_department.code}
    b = {cast.other_department.code}
    return {
        "read A": ({"provinces": [cast.province]}, a, set(), set()),
        "submitted A": (
            {"provinces": [cast.province], "reads_submitted": True},
            a,
            set(),
            UNDER_REVIEW,
        ),
        "write A": ({"provinces": [cast.province], "writes": True}, a, a, set()),
        "write one unit of A": (
            {"provinces": [cast.province], "units": [cast.department], "writes": True},
            {cast.department.code},
            {cast.department.code},
            set(),
        ),
        "read B": ({"provinces": [cast.other_province]}, b, set(), set()),
        "national": ({"national": True}, a | b, set(), set()),
    }


def may_read(report, reach, writable, extra) -> bool:
    code = report.unit.code
    if code not in reach:
        return False
    if report.state == ReportState.APPROVED or report.state in extra:
        return True
    return report.state in DRAFTS and code in writable


def ids_in(data) -> set[int]:
    """Every report id an answer names (keys "id" of reports and "report")."""
    found = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("id", "report") and isinstance(value, int):
                found.add(value)
            found |= ids_in(value)
    elif isinstance(data, list):
        for item in data:
            found |= ids_in(item)
    return found


def all_pages(api, path):
    results, url = [], path
    while url:
        response = api.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        results += body["results"]
        url = body["next"] and body["next"].removeprefix("http://testserver")
    return results


@pytest.mark.parametrize(
    "kind",
    ["read A", "submitted A", "write A", "write one unit of A", "read B", "national"],
)
def test_every_endpoint_shows_a_client_only_what_the_pages_would(
    kind, cast, estate, make_client, api, settings
):
    settings.API_RATE_PER_MINUTE = 10_000
    registration, reach, writable, extra = client_kinds(cast)[kind]
    _client, token = make_client(**registration)
    call = api(token)
    readable = {r.pk for r in estate.values() if may_read(r, reach, writable, extra)}
    foreign_units = {r.unit.code for r in estate.values()} - reach
    seen_ids, texts = set(), []

    def answer(response):
        texts.append(response.content.decode())
        if response.content:
            seen_ids.update(ids_in(response.json()))
        return response.status_code

    # Lists: the whole list, then with filters that name what is out of reach.
    listed = all_pages(call, "/api/v1/reports/?page_size=2")
    assert {r["id"] for r in listed} == readable
    texts.append(json.dumps(listed, ensure_ascii=False))
    for query in [
        f"province={cast.other_province.code}",
        f"province={cast.province.code}",
        f"unit={cast.other_department.code}",
        "state=draft&state=returned&state=submitted",
        "period=2026-Y",
    ]:
        assert answer(call.get(f"reports/?{query}")) == 200
    units = all_pages(call, "/api/v1/units/")
    assert {u["code"] for u in units} & foreign_units == set()
    texts.append(json.dumps(units, ensure_ascii=False))
    for code in {r.unit.code for r in estate.values()}:
        assert answer(call.get(f"units/{code}/")) == (404 if code in foreign_units else 200)
    for path in ["me/", "periods/", "templates/", "templates/mau-thu/versions/1/"]:
        assert answer(call.get(path)) == 200
    for kind in STATE_PERIODS.values():
        assert answer(call.get(f"export/2026-{kind}/")) == 200

    # Every report, every read endpoint: 200 for what it may read, else 404 as for no report.
    for report in estate.values():
        expected = 200 if report.pk in readable else 404
        if report.pk in readable:  # a department's report: no compilation to show
            assert call.get(f"reports/{report.pk}/compilation/").status_code == 404
        for part in ["", "values/", "tables/", "tables/bang/", "history/", "compilation/"]:
            response = call.get(f"reports/{report.pk}/{part}")
            wanted = 404 if part == "compilation/" else expected
            assert answer(response) == wanted, (report.state, report.unit.code, part)

    # Every report, both writes: 200 into its writable drafts, 403 for what it may only read.
    for report in estate.values():
        if report.pk not in readable:
            expected = 404
        elif report.unit.code in writable and report.state in DRAFTS:
            expected = 200
        else:
            expected = 403
        report.refresh_from_db()
        values = call(
            "PATCH",
            f"reports/{report.pk}/values/",
            {"values": {"so_nv": 12}},
            **{"If-Match": parts_etag(report, ["pl1"])},
        )
        assert answer(values) == expected, (report.state, report.unit.code, values.content)
        report.refresh_from_db()
        table = call(
            "PUT",
            f"reports/{report.pk}/tables/bang/",
            {"rows": [{"ten": "Dòng", "so": 3}]},
            **{"If-Match": parts_etag(report, ["bang"])},
        )
        assert answer(table) == expected, (report.state, report.unit.code, table.content)

    assert seen_ids <= readable
    everything = "\n".join(texts)
    for code in foreign_units:
        assert code not in everything
    for report in estate.values():
        if report.pk not in readable:
            assert f"/reports/{report.pk}/" not in everything


def test_a_report_out_of_reach_answers_as_one_that_does_not_exist(cast, estate, make_client, api):
    _client, token = make_client(provinces=[cast.other_province])
    call = api(token)
    approved_a = estate[(cast.department.code, ReportState.APPROVED)]
    missing = call.get("reports/999999/")
    foreign = call.get(f"reports/{approved_a.pk}/")
    assert missing.status_code == foreign.status_code == 404
    assert missing.json() == foreign.json() == {"detail": "Không có báo cáo này."}
