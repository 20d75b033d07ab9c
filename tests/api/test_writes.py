"""Writes through the API: the entry page's services, parsing and locking; all or nothing; the
client named as the author."""

from decimal import Decimal

import pytest

from api.services import parts_etag
from indicators.types import NOT_APPLICABLE
from org.permissions import OPERATOR
from reports.models import IndicatorValue, ReportState, TableRow
from reports.selectors import indicator_values, table_rows, value_history
from reports.services import ReportError, report_save_table, report_save_values


@pytest.fixture
def draft(cast, estate):
    return estate[(cast.department.code, ReportState.DRAFT)]


@pytest.fixture
def writer(cast, make_client, api):
    registered, token = make_client(
        name="Hệ thống một cửa điện tử tỉnh",
        provinces=[cast.province],
        units=[cast.department],
        writes=True,
    )
    return registered, api(token)


def etag_of(call, report):
    response = call.get(f"reports/{report.pk}/values/")
    assert response.status_code == 200
    return response["ETag"]


def patch(call, report, body, etag):
    headers = {"If-Match": etag} if etag else {}
    return call("PATCH", f"reports/{report.pk}/values/", body, **headers)


def stored(report):
    return indicator_values(report)


def test_a_write_goes_through_the_entry_services_and_names_the_client(draft, writer, cast):
    registered, call = writer
    response = patch(
        call,
        draft,
        {
            "values": {"so_nv": 24, "so_ht": 30, "ty_le": 74.72, "ghi_ro": "/", "co_kh": 1},
            "notes": {"so_nv": "Số liệu từ hệ thống một cửa"},
        },
        etag_of(call, draft),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["changed"] == 5
    assert body["values"]["so_nv"] == 24 and body["values"]["ghi_ro"] == "/"
    # The rule so_ht <= so_nv breaks, as it would on the entry page; a draft keeps the values.
    assert [v["rule"] for v in body["violations"] if v["severity"] == "error"] == ["ht_le_nv"]
    assert stored(draft) == {
        "so_nv": (24, "Số liệu từ hệ thống một cửa"),
        "so_ht": (30, ""),
        "ty_le": (Decimal("74.72"), ""),
        "ghi_ro": (NOT_APPLICABLE, ""),
        "co_kh": (1, ""),
    }
    draft.refresh_from_db()
    assert draft.part_versions["appendix:pl1"] == 2
    assert response["ETag"] == parts_etag(draft, ["pl1"])
    _indicator, entries = value_history(draft, "so_nv")
    assert [(str(who), before, after) for _at, who, before, after, _why in entries] == [
        ("None", "", "10"),  # fill() in the fixture: the operator, no user
        ("Hệ thống một cửa điện tử tỉnh", "10", "24"),
    ]
    assert entries[-1][1] == registered.user and entries[-1][1].is_system


def test_bad_values_get_422_with_each_reason_and_nothing_is_stored(draft, writer):
    _registered, call = writer
    before = stored(draft)
    history = IndicatorValue.history.count()
    response = patch(
        call,
        draft,
        {
            "values": {
                "so_nv": 12,  # valid, but not stored: all or nothing
                "so_ht": "mười",
                "dung_han": 2.5,
                "ty_le": 101,
                "co_kh": 7,
                "khong_co": 1,
                "ghi_them": {"x": 1},
            },
            "notes": {"so_nv": 5},
        },
        etag_of(call, draft),
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "7 giá trị không hợp lệ; không giá trị nào được ghi."
    refused = {(e["code"], e.get("field", "value")): e for e in body["errors"]}
    assert set(refused) == {
        ("so_ht", "value"),
        ("dung_han", "value"),
        ("ty_le", "value"),
        ("co_kh", "value"),
        ("khong_co", "value"),
        ("ghi_them", "value"),
        ("so_nv", "note"),
    }
    assert refused[("so_ht", "value")]["value"] == "mười"
    assert refused[("dung_han", "value")]["value"] == 2.5  # sent back as it was sent
    assert "phần thập phân" in refused[("dung_han", "value")]["message"]
    assert "từ 0 đến 100" in refused[("ty_le", "value")]["message"]
    assert "không có trong danh sách" in refused[("co_kh", "value")]["message"]
    assert refused[("khong_co", "value")]["message"] == (
        "Mẫu của báo cáo không có chỉ tiêu mã “khong_co”."
    )
    assert stored(draft) == before
    assert IndicatorValue.history.count() == history
    draft.refresh_from_db()
    assert draft.part_versions["appendix:pl1"] == 1


def test_a_stale_version_gets_409_and_nothing_is_stored(draft, writer, cast):
    _registered, call = writer
    etag = etag_of(call, draft)
    # Meanwhile the department saves the appendix on the entry page.
    report_save_values(
        report=draft,
        by=cast.staff,
        appendix=draft.template_version.appendices.get(code="pl1"),
        values={"so_nv": (11, "")},
        expected=1,
    )
    response = patch(call, draft, {"values": {"so_nv": 99, "so_ht": 1}}, etag)
    assert response.status_code == 409
    assert "Đọc lại rồi ghi lại" in response.json()["detail"]
    assert stored(draft)["so_nv"] == (11, "") and stored(draft)["so_ht"] == (8, "")
    fresh = response.json()["etag"]
    assert patch(call, draft, {"values": {"so_nv": 99}}, fresh).status_code == 200
    assert stored(draft)["so_nv"] == (99, "")


def test_only_the_parts_written_are_checked(draft, writer):
    _registered, call = writer
    etag = etag_of(call, draft)
    # Someone saves the table: another part, so the values' version still holds.
    report_save_table(
        report=draft,
        by=OPERATOR,
        appendix=draft.template_version.appendices.get(code="bang"),
        rows=[{"ten": "A", "so": 1}],
        expected=None,
    )
    assert patch(call, draft, {"values": {"so_nv": 13}}, etag).status_code == 200


@pytest.mark.parametrize("header", [None, "*", '"m1"', "abc", '"m1;pl1=x"'])
def test_a_write_without_the_version_it_read_gets_428(draft, writer, header):
    _registered, call = writer
    if header == '"m1"':
        header = f'"m{draft.template_version_id}"'  # our tag, but without the part written
    response = patch(call, draft, {"values": {"so_nv": 13}}, header)
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    assert stored(draft)["so_nv"] == (10, "")


def test_a_value_and_a_note_are_written_apart(draft, writer):
    _registered, call = writer
    assert (
        patch(call, draft, {"notes": {"so_nv": "Ghi chú"}}, etag_of(call, draft)).status_code == 200
    )
    assert stored(draft)["so_nv"] == (10, "Ghi chú")
    assert patch(call, draft, {"values": {"so_nv": 14}}, etag_of(call, draft)).status_code == 200
    assert stored(draft)["so_nv"] == (14, "Ghi chú")
    assert patch(call, draft, {"values": {"so_nv": None}}, etag_of(call, draft)).status_code == 200
    assert stored(draft)["so_nv"] == (None, "Ghi chú")
    values = call.get(f"reports/{draft.pk}/values/").json()
    assert "so_nv" not in values["values"] and values["notes"]["so_nv"] == "Ghi chú"


def test_numbers_are_written_and_read_exactly(draft, writer):
    _registered, call = writer
    raw = '{"values": {"ty_le": 99.123456, "so_nv": 12345678901234}}'
    response = call.client.patch(
        f"/api/v1/reports/{draft.pk}/values/",
        raw,
        content_type="application/json",
        headers={
            "Authorization": call.token and f"Bearer {call.token}",
            "If-Match": etag_of(call, draft),
        },
    )
    assert response.status_code == 200, response.content
    assert stored(draft)["ty_le"] == (Decimal("99.123456"), "")
    text = call.get(f"reports/{draft.pk}/values/").content.decode()
    assert '"ty_le":99.123456' in text.replace(" ", "")
    assert '"so_nv":12345678901234' in text.replace(" ", "")


def test_writes_into_what_the_client_may_not_write_are_refused(
    cast, estate, writer, make_client, api
):
    _registered, call = writer
    approved = estate[(cast.department.code, ReportState.APPROVED)]
    colleague = estate[(cast.colleague_department.code, ReportState.DRAFT)]
    refused = patch(call, approved, {"values": {"so_nv": 1}}, parts_etag(approved, ["pl1"]))
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Báo cáo đã được duyệt, không thể chỉnh sửa."
    # Another unit of the province: outside this client's units, so unknown to it.
    assert (
        patch(call, colleague, {"values": {"so_nv": 1}}, parts_etag(colleague, ["pl1"])).status_code
        == 404
    )
    _reader, token = make_client(name="Chỉ đọc", provinces=[cast.province])
    read_only = patch(api(token), approved, {"values": {"so_nv": 1}}, parts_etag(approved, ["pl1"]))
    assert read_only.status_code == 403
    assert read_only.json()["detail"] == "Chỉ đọc chỉ được đọc, không được ghi số liệu."
    assert stored(approved)["so_nv"] == (10, "") and stored(colleague)["so_nv"] == (10, "")


def test_a_returned_report_takes_writes_like_a_draft(cast, estate, writer):
    _registered, call = writer
    returned = estate[(cast.department.code, ReportState.RETURNED)]
    assert (
        patch(call, returned, {"values": {"so_nv": 15}}, etag_of(call, returned)).status_code == 200
    )
    assert stored(returned)["so_nv"] == (15, "")


def test_a_table_is_replaced_whole_or_not_at_all(draft, writer):
    _registered, call = writer
    url = f"reports/{draft.pk}/tables/bang/"
    etag = call.get(url)["ETag"]
    refused = call(
        "PUT",
        url,
        {"rows": [{"ten": "Một", "so": 1}, {"ten": "Hai", "so": "hai"}, {"ten": "Ba", "cot": 1}]},
        **{"If-Match": etag},
    )
    assert refused.status_code == 422
    assert [(e["row"], e["column"]) for e in refused.json()["errors"]] == [(2, "so"), (3, "cot")]
    assert not TableRow.objects.filter(report=draft, appendix__code="bang").exists()
    response = call(
        "PUT",
        url,
        {"rows": [{"ten": "Một", "so": 1}, {}, {"ten": "Hai", "so": "/"}]},
        **{"If-Match": etag},
    )
    assert response.status_code == 200, response.content
    assert response.json()["rows"] == [{"ten": "Một", "so": 1}, {"ten": "Hai", "so": "/"}]
    assert [cells for _n, cells in table_rows(draft)["bang"]["rows"]] == [
        {"ten": "Một", "so": 1},
        {"ten": "Hai", "so": NOT_APPLICABLE},
    ]
    stale = call("PUT", url, {"rows": []}, **{"If-Match": etag})
    assert stale.status_code == 409
    assert TableRow.objects.filter(report=draft, appendix__code="bang").count() == 2


def test_bodies_that_are_not_json_objects_or_too_large_are_refused(draft, writer, settings):
    _registered, call = writer
    etag = etag_of(call, draft)
    url = f"/api/v1/reports/{draft.pk}/values/"
    headers = {"Authorization": f"Bearer {call.token}", "If-Match": etag}
    garbage = call.client.patch(
        url, "{không phải json", content_type="application/json", headers=headers
    )
    assert garbage.status_code == 400 and "JSON" in garbage.json()["detail"]
    nan = call.client.patch(
        url, '{"values": {"so_nv": NaN}}', content_type="application/json", headers=headers
    )
    assert nan.status_code == 400
    as_list = call("PATCH", f"reports/{draft.pk}/values/", [1, 2], **{"If-Match": etag})
    assert as_list.status_code == 400
    form = call.client.patch(
        url, "so_nv=1", content_type="application/x-www-form-urlencoded", headers=headers
    )
    assert form.status_code == 415
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    large = patch(call, draft, {"values": {"ghi_ro": "x" * 200}}, etag)
    assert large.status_code == 413
    assert stored(draft)["so_nv"] == (10, "")


def test_staff_see_on_the_report_what_the_system_wrote(draft, writer, cast, client):
    _registered, call = writer
    assert (
        patch(
            call, draft, {"values": {"so_nv": 24, "ty_le": 97.5}}, etag_of(call, draft)
        ).status_code
        == 200
    )
    table = f"reports/{draft.pk}/tables/bang/"
    assert (
        call(
            "PUT",
            table,
            {"rows": [{"ten": "Một cửa", "so": 5}]},
            **{"If-Match": call.get(table)["ETag"]},
        ).status_code
        == 200
    )
    # A person edits another value afterwards: not listed as the system's.
    report_save_values(
        report=draft,
        by=cast.staff,
        appendix=draft.template_version.appendices.get(code="pl1"),
        values={"so_ht": (7, "")},
        expected=None,
    )
    client.force_login(cast.staff)
    entry = client.get(f"/bao-cao/{draft.pk}/phu-luc/pl1/").content.decode()
    assert 'name="pl1-v-so_nv" type="text" value="24"' in entry
    assert 'name="pl1-v-ty_le" type="text" value="97,5%"' in entry
    overview = client.get(f"/bao-cao/{draft.pk}/").content.decode()
    notice = overview.split('data-testid="system-writes"')[1].split("</div>")[0]
    assert "<strong>Hệ thống một cửa điện tử tỉnh</strong> (hệ thống kết nối)" in notice
    assert "đã ghi số liệu của 3 mục" in notice
    history = client.get(f"/bao-cao/{draft.pk}/lich-su/").content.decode()
    rows = history.split('data-testid="system-writes"')[1].split("</table>")[0]
    assert "1 Số nhiệm vụ</a></td><td>10</td><td>24</td>" in rows
    assert "2 Tỷ lệ</a></td><td>(trống)</td><td>97,5%</td>" in rows
    assert "Phụ lục 2 – BẢNG</a></td><td>(trống)</td><td>ghi lại các dòng</td>" in rows
    assert "Số hoàn thành" not in rows
    value = client.get(f"/bao-cao/{draft.pk}/lich-su/chi-tieu/so_nv/").content.decode()
    assert (
        'Hệ thống một cửa điện tử tỉnh <span class="badge text-bg-info">hệ thống kết nối</span>'
        in value
    )


def test_the_report_services_check_the_delegate_again(cast, estate, writer):
    """Should api.access ever let a write through, the report services still refuse it."""
    from reports.access import AccessRefused, Delegate

    registered, _call = writer
    delegate = Delegate(registered.user, [cast.department.pk])
    appendix = estate[(cast.department.code, ReportState.DRAFT)].template_version.appendices.get(
        code="pl1"
    )
    for report, refused in [
        (estate[(cast.colleague_department.code, ReportState.DRAFT)], AccessRefused),
        (estate[(cast.department.code, ReportState.APPROVED)], ReportError),  # the state first
    ]:
        with pytest.raises(refused):
            report_save_values(
                report=report,
                by=delegate,
                appendix=appendix,
                values={"so_nv": (1, "")},
                expected=None,
            )
    own = estate[(cast.department.code, ReportState.DRAFT)]
    assert report_save_values(
        report=own, by=delegate, appendix=appendix, values={"so_nv": (1, "")}, expected=None
    )
