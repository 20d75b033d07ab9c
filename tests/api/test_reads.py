"""Reads: reference data, reports filtered and paged, typed values, tables, history, ETags."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from indicators.types import NOT_APPLICABLE
from org.permissions import OPERATOR
from org.services import unit_succeed
from reports.models import Report, ReportState
from reports.services import report_save_table, report_save_values
from reports.services.workflow import report_approve, report_return, report_submit
from tests.factories import make_department, make_province

from .conftest import put_in_state


@pytest.fixture
def reader(cast, make_client, api):
    _registered, token = make_client(provinces=[cast.province], reads_submitted=True)
    return api(token)


@pytest.fixture
def approved(cast, estate):
    return estate[(cast.department.code, ReportState.APPROVED)]


def save(report, appendix, **values):
    Report.objects.filter(pk=report.pk).update(state=ReportState.DRAFT)
    report.refresh_from_db()
    report_save_values(
        report=report,
        by=OPERATOR,
        appendix=report.template_version.appendices.get(code=appendix),
        values=values,
        expected=None,
    )
    return put_in_state(report, ReportState.APPROVED)


def test_values_come_as_typed_json_by_code(approved, reader):
    save(
        approved,
        "pl1",
        so_nv=(16, "theo kế hoạch"),
        ty_le=(Decimal("74.72"), ""),
        ghi_ro=(NOT_APPLICABLE, ""),
        ghi_them=("Triển khai “đúng” hạn", ""),
        dung_han=(None, ""),
    )
    response = reader.get(f"reports/{approved.pk}/values/")
    assert response.status_code == 200
    text = response.content.decode()
    assert '"ty_le":74.72' in text  # a number, never "74.72" nor 74.71999999
    body = response.json()
    assert body["values"] == {
        "so_nv": 16,
        "so_ht": 8,
        "ty_le": 74.72,
        "ghi_ro": "/",
        "ghi_them": "Triển khai “đúng” hạn",
    }
    assert "dung_han" not in body["values"]  # blank: absent
    assert body["notes"] == {"so_nv": "theo kế hoạch"}
    assert body["state"] == "approved"


def test_tables_come_row_by_row_with_their_total(approved, reader):
    Report.objects.filter(pk=approved.pk).update(state=ReportState.DRAFT)
    report_save_table(
        report=approved,
        by=OPERATOR,
        appendix=approved.template_version.appendices.get(code="bang"),
        rows=[{"ten": "Sở Tư pháp", "so": 3}, {"ten": "Sở Y tế", "so": NOT_APPLICABLE}],
        expected=None,
    )
    put_in_state(approved, ReportState.APPROVED)
    tables = reader.get(f"reports/{approved.pk}/tables/").json()["tables"]
    assert tables == {
        "bang": {
            "rows": [{"ten": "Sở Tư pháp", "so": 3}, {"ten": "Sở Y tế", "so": "/"}],
            "total": None,
        }
    }
    one = reader.get(f"reports/{approved.pk}/tables/bang/").json()
    assert one["rows"] == tables["bang"]["rows"] and one["table"] == "bang"
    assert reader.get(f"reports/{approved.pk}/tables/khong_co/").status_code == 404


def test_an_unchanged_read_answers_304_and_a_change_a_new_etag(approved, reader, cast):
    for path in [f"reports/{approved.pk}/", f"reports/{approved.pk}/values/", "reports/"]:
        first = reader.get(path)
        assert first.status_code == 200 and first["ETag"]
        again = reader.get(path, **{"If-None-Match": first["ETag"]})
        assert again.status_code == 304 and again.content == b""
    etag = reader.get(f"reports/{approved.pk}/values/")["ETag"]
    report_etag = reader.get(f"reports/{approved.pk}/")["ETag"]
    save(approved, "pl1", so_nv=(17, ""))
    changed = reader.get(f"reports/{approved.pk}/values/", **{"If-None-Match": etag})
    assert changed.status_code == 200 and changed.json()["values"]["so_nv"] == 17
    assert (
        reader.get(f"reports/{approved.pk}/", **{"If-None-Match": report_etag}).status_code == 200
    )


def test_reports_are_filtered_and_paged_by_a_cursor(cast, estate, reader):
    ids = [r["id"] for r in reader.get("reports/?page_size=100").json()["results"]]
    # approved, submitted and resubmitted of the two departments of province A
    assert len(ids) == 6
    first = reader.get("reports/?page_size=4").json()
    assert len(first["results"]) == 4 and first["previous"] is None
    second = reader.get(first["next"].removeprefix("http://testserver")).json()
    assert [r["id"] for r in first["results"] + second["results"]] == ids
    assert second["next"] is None
    only = reader.get(f"reports/?unit={cast.department.code}&state=approved").json()["results"]
    assert [r["id"] for r in only] == [estate[(cast.department.code, ReportState.APPROVED)].pk]
    h1 = reader.get("reports/?period=2026-H1").json()["results"]
    assert {(r["unit"], r["state"]) for r in h1} == {
        (cast.department.code, "submitted"),
        (cast.colleague_department.code, "submitted"),
    }
    assert reader.get(f"reports/?province={cast.province.code}&kind=cchc").json()["results"]
    assert reader.get("reports/?kind=khac").json()["results"] == []
    bad_period = reader.get("reports/?period=2026-X")
    assert bad_period.status_code == 400
    assert "viết dạng NĂM-LOẠI" in bad_period.json()["period"][0]
    bad = reader.get("reports/?updated_since=hôm qua&state=xong")
    assert bad.status_code == 400 and set(bad.json()) == {"updated_since", "state"}
    bad_cursor = reader.get("reports/?cursor=rac")
    assert bad_cursor.status_code == 404
    assert bad_cursor.json()["detail"] == "Con trỏ trang (cursor) không hợp lệ."


def test_updated_since_gives_what_changed_for_an_incremental_sync(cast, estate, reader):
    mark = timezone.now()
    assert reader.get("reports/", updated_since=mark.isoformat()).status_code == 200
    later = reader.get(f"reports/?updated_since={mark.isoformat().replace('+', '%2B')}")
    assert later.json()["results"] == []
    approved = estate[(cast.colleague_department.code, ReportState.APPROVED)]
    save(approved, "pl1", so_nv=(3, ""))
    later = reader.get(f"reports/?updated_since={mark.isoformat().replace('+', '%2B')}")
    assert [r["id"] for r in later.json()["results"]] == [approved.pk]


def test_history_names_who_moved_the_report(cast, version, reader):
    from reports.services import report_create
    from tests.reports.test_workflow import fill

    report = report_create(unit=cast.department, period=cast.period, by=cast.staff)
    fill(report, so_nv=10, so_ht=8)
    report = report_submit(report=report, by=cast.leader)
    report = report_return(report=report, by=cast.reviewer, reason="Bổ sung số liệu")
    report = report_submit(report=report, by=cast.leader)
    report = report_approve(report=report, by=cast.reviewer)
    changes = reader.get(f"reports/{report.pk}/history/").json()["changes"]
    assert [(c["from_state"], c["to_state"], c["by_system"]) for c in changes] == [
        ("draft", "submitted", False),
        ("submitted", "returned", False),
        ("returned", "resubmitted", False),
        ("resubmitted", "approved", False),
    ]
    assert changes[1]["comment"] == "Bổ sung số liệu"
    assert changes[1]["by"] == str(cast.reviewer)


def test_units_carry_their_validity_and_successor(cast, reader):
    successor = make_province("tinh-c", "tỉnh Cà Mau", valid_from=datetime.date(2025, 7, 1))
    merged = make_department(successor, "skhcn", "Sở Khoa học và Công nghệ")
    unit_succeed(
        units=[cast.department], successor=merged, on=datetime.date(2025, 7, 1), by=cast.admin
    )
    unit = reader.get(f"units/{cast.department.code}/").json()
    assert unit["valid_to"] == "2025-06-30" and unit["successor"] == merged.code
    assert unit["province"] == cast.province.code and unit["kind"] == "department"
    codes = [
        u["code"] for u in reader.get(f"units/?province={cast.province.code}").json()["results"]
    ]
    assert codes == sorted(
        [
            cast.province.code,
            cast.department.code,
            cast.colleague_department.code,
            cast.home_affairs.code,
        ]
    )
    # The successor's province is not this client's: not listed.
    assert reader.get(f"units/{merged.code}/").status_code == 404


def test_templates_and_a_version_with_codes_units_and_types(version, reader):
    templates = reader.get("templates/").json()
    assert [(t["code"], [v["number"] for v in t["versions"]]) for t in templates] == [
        ("mau-thu", [1])
    ]
    structure = reader.get("templates/mau-thu/versions/1/").json()
    pl1 = structure["appendices"][0]
    rows = {row["code"]: row for row in pl1["indicators"] if row["code"]}
    assert rows["so_nv"]["unit"] == "Nhiệm vụ" and rows["so_nv"]["value_type"] == "integer"
    assert rows["co_kh"]["choices"] == [{"code": 1, "label": "Có"}, {"code": 0, "label": "Không"}]
    assert structure["appendices"][1]["columns"][1]["code"] == "so"
    assert structure["rules"][0]["expression"] == "so_ht <= so_nv"
    assert reader.get("templates/mau-thu/versions/2/").status_code == 404


def test_periods_are_listed_with_their_codes(cast, reader):
    periods = reader.get("periods/").json()
    assert {"code": "2026-Y", "label": "năm 2026", "is_open": True}.items() <= periods[0].items()


def test_queries_do_not_grow_with_the_reports_listed_or_the_values_read(cast, estate, reader):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    reader.get("me/")  # the token's last use is noted once a minute: not in the counts below
    counts = []
    for size in (1, 6):
        with CaptureQueriesContext(connection) as queries:
            assert len(reader.get(f"reports/?page_size={size}").json()["results"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]
    approved = estate[(cast.department.code, ReportState.APPROVED)]
    with CaptureQueriesContext(connection) as queries:
        reader.get(f"reports/{approved.pk}/values/")
    # the token, the minute's calls, the reach (2), the report, its template's appendices, rows
    # and columns (3), its values and table rows (2), the log: 11, whatever the report holds
    assert len(queries) <= 11, "\n".join(q["sql"][:150] for q in queries.captured_queries)
