"""What the entry pages' autosave endpoint answers when saving can no longer succeed, what it
answers for a refused value, and that table rows keep their STT contiguous once saved."""

import pytest
from django.urls import reverse

from documents.document import build_document
from reports.access import OPERATOR
from reports.models import Report
from reports.selectors import indicator_values, table_rows
from reports.services import (
    part_version,
    report_save_table,
)
from reports.services.workflow import report_submit
from tests.factories import PASSWORD
from tests.reports.test_excel_roundtrip import (
    VALUES,
    appendix,
    filled_draft,
)


@pytest.fixture
def draft(cast) -> Report:
    """A draft with every value type filled: a table whose STT column numbers its rows."""
    return filled_draft(cast)


def autosave(client, url, data):
    return client.post(url, data, headers={"X-Autosave": "1"})


def header_data(report, **changes) -> dict:
    data = {name: getattr(report, name) or "" for name in Report.HEADER_FIELDS}
    data["issued_on"] = ""
    data["part_version"] = part_version(report, "header")
    return {**data, **changes}


def table_data(report, rows: list[dict], *, deleted=(), order=None) -> dict:
    """The POST of the table's formset as the page sends it: every row form, with the hidden
    ORDER and DELETE fields entry.js keeps."""
    prefix = "t-ho_so"
    data = {
        f"{prefix}-TOTAL_FORMS": len(rows),
        f"{prefix}-INITIAL_FORMS": len(rows),
        "part_version": part_version(report, "appendix:ho_so"),
    }
    for index, cells in enumerate(rows):
        for code, text in cells.items():
            data[f"{prefix}-{index}-{code}"] = text
        data[f"{prefix}-{index}-ORDER"] = (order or list(range(1, len(rows) + 1)))[index]
        if index in deleted:
            data[f"{prefix}-{index}-DELETE"] = "on"
    return data


PAGES = {
    "header": lambda r: (reverse("reports:report_header", args=[r.pk]), header_data(r)),
    "indicators": lambda r: (
        reverse("reports:report_appendix", args=[r.pk, "pl1"]),
        {"pl1-v-so_nv": "17", "part_version": part_version(r, "appendix:pl1")},
    ),
    "table": lambda r: (
        reverse("reports:report_appendix", args=[r.pk, "ho_so"]),
        table_data(r, [{"stt": "1", "ten": "Thủ tục gõ sau khi đã gửi"}]),
    ),
}


@pytest.mark.parametrize("page", PAGES)
def test_autosave_after_a_colleague_submitted_says_who_and_when_in_json(client, cast, draft, page):
    url, data = PAGES[page](draft)  # the page was opened while the report was a draft
    report_submit(report=draft, by=cast.leader)
    before = (indicator_values(draft), table_rows(draft))
    assert client.login(username=cast.staff.username, password=PASSWORD)

    response = autosave(client, url, data)

    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    answer = response.json()
    assert answer["saved"] is False
    assert answer["refused"].startswith("Báo cáo đã được gửi lúc ")
    assert answer["refused"].endswith(f" bởi {cast.leader}; không thể sửa tiếp.")
    assert (indicator_values(draft), table_rows(draft)) == before


def test_an_autosave_by_someone_who_may_not_edit_is_refused_in_json(client, cast, draft):
    url, data = PAGES["indicators"](draft)
    assert client.login(username=cast.admin.username, password=PASSWORD)  # reads every report
    response = autosave(client, url, data)
    assert response.status_code == 403
    assert response.json()["refused"] == (
        "Bạn không còn quyền sửa báo cáo này; không thể sửa tiếp."
    )
    assert indicator_values(draft)["so_nv"] == VALUES["so_nv"]


def test_a_plain_post_after_submission_still_gets_the_403_page(client, cast, draft):
    url, data = PAGES["indicators"](draft)
    report_submit(report=draft, by=cast.leader)
    assert client.login(username=cast.staff.username, password=PASSWORD)
    response = client.post(url, data)
    assert response.status_code == 403
    assert "Báo cáo đã gửi, không thể chỉnh sửa." in response.content.decode()


@pytest.mark.parametrize("typed", ["31/02/2026", "hôm qua", "2026-13-01"])
def test_an_invalid_header_date_comes_back_as_a_message_for_the_field(client, cast, draft, typed):
    assert client.login(username=cast.staff.username, password=PASSWORD)
    url = reverse("reports:report_header", args=[draft.pk])

    response = autosave(client, url, header_data(draft, issued_on=typed, number="15"))

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == ["issued_on"]
    assert all(isinstance(message, str) and message for message in errors["issued_on"])
    assert "ngày" in errors["issued_on"][0].lower()
    assert Report.objects.get(pk=draft.pk).number == draft.number


def printed_stt(report) -> list[str]:
    part = next(a for a in build_document(report).appendices if a.title.startswith("HỒ SƠ"))
    return [row.cells[0].text for row in part.table.rows if row.kind != "total"]


def test_moved_and_removed_rows_keep_the_stt_contiguous_in_storage_and_print(client, cast, draft):
    rows = [
        {"stt": "1", "ten": "Cấp phép"},
        {"stt": "2", "ten": "Gia hạn"},
        {"stt": "3", "ten": "Thu hồi"},
        {"stt": "4", "ten": "Cấp lại"},
    ]
    report_save_table(
        by=OPERATOR,
        report=draft,
        appendix=appendix(draft, "ho_so"),
        rows=rows,
        total=None,
        expected=None,
    )
    draft.refresh_from_db()
    assert client.login(username=cast.staff.username, password=PASSWORD)
    url = reverse("reports:report_appendix", args=[draft.pk, "ho_so"])
    # On screen: "Cấp lại" moved to the top, "Gia hạn" removed; the STT inputs unchanged.
    data = table_data(draft, rows, deleted=[1], order=[2, 3, 4, 1])

    response = autosave(client, url, data)

    assert response.status_code == 200, response.content
    assert response.json()["saved"] is True
    stored = [cells for _id, cells in table_rows(draft)["ho_so"]["rows"]]
    assert [(c["stt"], c["ten"]) for c in stored] == [
        ("1", "Cấp lại"),
        ("2", "Cấp phép"),
        ("3", "Thu hồi"),
    ]
    assert printed_stt(draft) == ["1", "2", "3"]


def test_an_stt_the_user_wrote_as_letters_is_kept(draft):
    rows = [{"stt": "a)", "ten": "Cấp phép"}, {"stt": "c)", "ten": "Thu hồi"}]
    report_save_table(
        by=OPERATOR,
        report=draft,
        appendix=appendix(draft, "ho_so"),
        rows=rows,
        total=None,
        expected=None,
    )
    assert printed_stt(draft) == ["a)", "c)"]
