"""One set of length and row limits (lib.limits) for forms, autosave, Excel and services: what is
over is refused in Vietnamese next to what caused it, and nothing else is lost."""

import pytest
from django.urls import reverse

from lib.limits import (
    CELL_MAX_CHARS,
    NOTE_MAX_CHARS,
    REASON_MAX_CHARS,
    SECTION_MAX_CHARS,
    TABLE_MAX_ROWS,
    UPLOAD_MAX_TABLE_ROWS,
)
from reports.access import OPERATOR
from reports.models import Report
from reports.selectors import indicator_values, table_rows
from reports.services import (
    ReportError,
    part_version,
    report_save_section,
    report_save_table,
    report_save_values,
)
from reports.services.workflow import comment_add, report_return, report_submit
from tests.factories import PASSWORD
from tests.reports.test_excel_roundtrip import (
    ROWS,
    appendix,
    body_rows,
    edited,
    filled_draft,
    stored_state,
    upload,
    value_cell,
)

OVER = "Dài 30.000 ký tự, quá giới hạn 2.000 ký tự"
LONG = "x" * 30_000  # one unbreakable word


@pytest.fixture
def draft(cast) -> Report:
    return filled_draft(cast)


@pytest.fixture
def staff(client, cast):
    assert client.login(username=cast.staff.username, password=PASSWORD)
    return client


def appendix_post(report, **fields):
    """Two rows of the appendix page's form: a number and its note, an amount and its note."""
    return {
        "part_version": part_version(report, "appendix:pl1"),
        "pl1-v-so_nv": "16",
        "pl1-note-so_nv": "=SUM(A1)",
        "pl1-v-kinh_phi": "1.234,5",
        "pl1-note-kinh_phi": "tạm tính",
        **fields,
    }


def test_the_limits_match_what_reports_hold(cast):
    # The seed reports' longest section is ~14,000 characters and table 34 rows.
    assert SECTION_MAX_CHARS >= 50_000 and TABLE_MAX_ROWS >= 200
    assert NOTE_MAX_CHARS == CELL_MAX_CHARS == 2_000 and REASON_MAX_CHARS == 5_000
    assert UPLOAD_MAX_TABLE_ROWS >= TABLE_MAX_ROWS


def test_a_30000_character_note_is_refused_beside_it_and_the_other_values_save(staff, draft):
    url = reverse("reports:report_appendix", args=[draft.pk, "pl1"])
    response = staff.post(
        url, appendix_post(draft, **{"pl1-v-so_nv": "21", "pl1-note-kinh_phi": LONG})
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert OVER in page
    assert LONG in page  # what was typed stays in its input
    values = indicator_values(draft)
    assert values["so_nv"][0] == 21
    assert values["kinh_phi"][1] == "tạm tính"


def test_autosave_refuses_the_long_note_in_json_and_saves_the_rest(staff, draft):
    url = reverse("reports:report_appendix", args=[draft.pk, "pl1"])
    response = staff.post(
        url,
        {
            **appendix_post(draft, **{"pl1-v-so_nv": "22", "pl1-note-kinh_phi": LONG}),
            "delta": ["so_nv", "kinh_phi"],
        },
        headers={"X-Autosave": "1", "X-Autosave-Delta": "1"},
    )
    answer = response.json()
    assert answer["saved"] is False
    assert [OVER in m for m in answer["errors"]["pl1-note-kinh_phi"]] == [True]
    assert indicator_values(draft)["so_nv"][0] == 22
    assert indicator_values(draft)["kinh_phi"][1] == "tạm tính"


def test_a_long_text_value_and_a_long_table_cell_are_refused_like_any_bad_value(staff, draft):
    url = reverse("reports:report_appendix", args=[draft.pk, "pl1"])
    response = staff.post(url, appendix_post(draft, **{"pl1-v-ghi_ro": LONG}))
    assert response.status_code == 400 and OVER in response.content.decode()
    with pytest.raises(ReportError, match=OVER):
        report_save_table(
            by=OPERATOR,
            report=draft,
            appendix=appendix(draft, "ho_so"),
            rows=[{"stt": "1", "ten": LONG}],
            expected=None,
        )


def test_a_table_of_more_rows_than_the_limit_is_refused_whole(staff, draft):
    before = table_rows(draft)
    rows = [{"stt": str(i), "ten": f"Thủ tục {i}"} for i in range(TABLE_MAX_ROWS + 1)]
    with pytest.raises(ReportError, match="Có 501 dòng, quá giới hạn 500 dòng"):
        report_save_table(
            by=OPERATOR, report=draft, appendix=appendix(draft, "ho_so"), rows=rows, expected=None
        )
    prefix = "t-ho_so"
    data = {
        f"{prefix}-TOTAL_FORMS": len(rows),
        f"{prefix}-INITIAL_FORMS": 0,
        "part_version": part_version(draft, "appendix:ho_so"),
    }
    for index, cells in enumerate(rows):
        data.update({f"{prefix}-{index}-{k}": v for k, v in cells.items()})
        data[f"{prefix}-{index}-ORDER"] = index + 1
    response = staff.post(reverse("reports:report_appendix", args=[draft.pk, "ho_so"]), data)
    assert response.status_code == 400
    assert "Bảng có quá nhiều dòng: tối đa 500 dòng" in response.content.decode()
    assert table_rows(draft) == before


def test_services_refuse_what_forms_refuse(draft, cast):
    with pytest.raises(ReportError, match=OVER):
        report_save_values(
            by=OPERATOR,
            report=draft,
            appendix=appendix(draft, "pl1"),
            values={"so_nv": (3, LONG)},
            expected=None,
        )
    section = draft.template_version.outline.first()
    with pytest.raises(ReportError, match="quá giới hạn 100.000 ký tự"):
        report_save_section(
            report=draft, by=OPERATOR, outline=section, html="<p>" + "y" * 100_001, expected=None
        )
    assert indicator_values(draft)["so_nv"] == (16, "=SUM(A1)")


def test_a_long_section_is_refused_on_its_page_and_the_stored_text_stays(staff, draft):
    section = draft.sections.first()
    url = reverse("reports:report_section", args=[draft.pk, section.outline.code])
    data = {
        "content": "<p>" + "y" * SECTION_MAX_CHARS + "</p>",
        "part_version": part_version(draft, f"section:{section.outline.code}"),
    }
    response = staff.post(url, data)
    assert response.status_code == 400
    assert "quá giới hạn 100.000 ký tự" in response.content.decode()
    section.refresh_from_db()
    assert len(section.content) < 1000


def test_review_texts_are_bounded(draft, cast, client):
    report_submit(report=draft, by=cast.leader)
    long_reason = "z" * (REASON_MAX_CHARS + 1)
    with pytest.raises(ReportError, match="quá giới hạn 5.000 ký tự"):
        comment_add(
            report=draft, by=cast.reviewer, target="report", target_code="", text=long_reason
        )
    with pytest.raises(ReportError, match="quá giới hạn 5.000 ký tự"):
        report_return(report=draft, by=cast.reviewer, reason=long_reason)
    assert client.login(username=cast.reviewer.username, password=PASSWORD)
    response = client.post(
        reverse("reports:report_decide", args=[draft.pk]),
        {"decision": "return", "comment": long_reason},
    )
    assert response.status_code in (200, 400)
    assert "quá giới hạn 5.000 ký tự" in response.content.decode()
    assert Report.objects.get(pk=draft.pk).state == "submitted"


def test_an_excel_upload_with_a_long_note_or_too_many_rows_is_refused_whole(staff, draft):
    before = stored_state(draft)

    def long_note(workbook):
        cell = value_cell(workbook, "Phụ lục 1", "kinh_phi")
        workbook["Phụ lục 1"].cell(cell.row, cell.column + 1).value = LONG

    response = upload(staff, draft, edited(draft, long_note))
    page = response.content.decode()
    assert "Ghi chú" in page and OVER in page

    def many_rows(workbook):
        sheet = workbook["Phụ lục 2"]
        first = sheet.max_row + 1  # below the total row: read as rows all the same
        for i in range(TABLE_MAX_ROWS + 1 - len(body_rows(sheet))):
            sheet.cell(first + i, 2).value = f"Thủ tục {i}"
            sheet.cell(first + i, 3).value = i

    response = upload(staff, draft, edited(draft, many_rows))
    assert "quá giới hạn 500 dòng của một bảng" in response.content.decode()
    assert stored_state(draft) == before
    assert len(ROWS) == 2
