"""The server side of spreadsheet-like entry: a pasted block is saved whole or not at all (the
one parser decides every cell); blank required values are "chưa nhập", counted apart, until
someone tries to submit the report; the previous period's column is named as prev() reads it
and flags a change beyond the template's factor."""

import datetime
from dataclasses import replace
from decimal import Decimal

import pytest

from indicators.models import TemplateVersion
from reports.access import OPERATOR
from reports.models import Report, ReportState
from reports.selectors import indicator_values
from reports.services import part_version, report_create, report_save_values
from reports.services.workflow import SubmissionRefused, report_reopen, report_submit
from reports.validation import REQUIRED_VALUE_BLANK as REQUIRED_BLANK
from tests.factories import make_period, record_approved, write_sections
from tests.reports.test_excel_roundtrip import appendix, publish, spec

URL = "/bao-cao/{pk}/phu-luc/pl1/"
AUTOSAVE = {"X-Autosave": "1", "X-Autosave-Delta": "1"}


def required_spec(code="mau-thu", kinds=("Y",)):
    """The hand-made template with two required numbers and a factor of 3."""
    template = spec(code=code)
    template.period_kinds = list(kinds)
    template.applies_from = datetime.date(2025, 1, 1)
    rows = template.appendices[0].indicators
    for i, row in enumerate(rows):
        if row.code in ("so_nv", "kinh_phi"):
            rows[i] = replace(row, required=True)
    return template


@pytest.fixture
def draft(cast) -> Report:
    publish(required_spec())
    report = report_create(unit=cast.department, period=cast.period, by=cast.staff)
    write_sections(report)
    return Report.objects.get(pk=report.pk)


def stored(report) -> dict:
    report = Report.objects.get(pk=report.pk)
    return {code: value for code, (value, _note) in indicator_values(report).items()}


def send(client, report, fields: dict, rows: list[str], block=()):
    version = part_version(Report.objects.get(pk=report.pk), "appendix:pl1")
    data = {"delta": rows, "block": list(block), "part_version": version}
    return client.post(URL.format(pk=report.pk), {**data, **fields}, headers=AUTOSAVE).json()


def test_a_pasted_block_is_saved_whole_or_not_at_all(client, cast, draft):
    client.force_login(cast.staff)
    rows = ["so_nv", "kinh_phi", "ty_le"]
    bad = {"pl1-v-so_nv": "12,5", "pl1-v-kinh_phi": "1.234,5", "pl1-v-ty_le": "97%"}
    answer = send(client, draft, bad, rows, block=rows)
    assert answer["saved"] is False
    assert list(answer["errors"]) == ["pl1-v-so_nv"]  # the parser's refusal, for its cell
    assert "12,5" in answer["errors"]["pl1-v-so_nv"][0]
    assert sorted(answer["unsaved"]) == sorted(rows)
    assert stored(draft) == {}  # nothing of the block, though two cells were readable
    # The same cells typed one by one (no block): the readable ones are saved.
    answer = send(client, draft, bad, rows)
    assert answer["unsaved"] == ["so_nv"]
    assert stored(draft) == {"kinh_phi": Decimal("1234.5"), "ty_le": Decimal(97)}
    # The block mended: saved whole, under the part's version like any save.
    answer = send(client, draft, {**bad, "pl1-v-so_nv": "12"}, rows, block=rows)
    assert answer["saved"] is True and answer["unsaved"] == []
    assert stored(draft)["so_nv"] == 12


def test_a_block_saved_against_an_older_version_is_refused_whole(client, cast, draft):
    client.force_login(cast.staff)
    version = part_version(draft, "appendix:pl1")
    report_save_values(
        report=draft,
        by=cast.staff,
        appendix=appendix(draft, "pl1"),
        values={"so_nv": (Decimal(3), "")},
        expected=version,
    )
    response = client.post(
        URL.format(pk=draft.pk),
        {
            "delta": ["so_nv", "ty_le"],
            "block": ["so_nv", "ty_le"],
            "part_version": version,
            "pl1-v-so_nv": "40",
            "pl1-v-ty_le": "50",
        },
        headers=AUTOSAVE,
    )
    assert response.status_code == 409
    assert stored(draft) == {"so_nv": 3}


def test_blank_required_values_are_quiet_until_submission_is_tried(client, cast, draft):
    client.force_login(cast.staff)
    page = client.get(URL.format(pk=draft.pk))
    assert REQUIRED_BLANK not in page.text
    assert page.context["blanks"] == 2
    assert page.context["checks"]["blanks"] == ["pl1-v-so_nv", "pl1-v-kinh_phi"]
    assert REQUIRED_BLANK not in client.get(f"/bao-cao/{draft.pk}/").text
    answer = send(client, draft, {"pl1-v-so_nv": "4"}, ["so_nv"])
    assert answer["blanks"] == ["pl1-v-kinh_phi"]
    assert not any(v["message"] == REQUIRED_BLANK for v in answer["violations"])

    with pytest.raises(SubmissionRefused):
        report_submit(report=draft, by=cast.leader)
    assert Report.objects.get(pk=draft.pk).submission_tried_at is not None
    page = client.get(URL.format(pk=draft.pk))
    assert [(v.message, v.blank) for v in page.context["violations"]] == [(REQUIRED_BLANK, True)]
    assert page.context["checks"]["violations"][0]["fields"] == ["pl1-v-kinh_phi"]
    assert REQUIRED_BLANK in client.get(f"/bao-cao/{draft.pk}/").text


def test_a_reopened_revision_starts_quiet(cast, draft):
    values = {"so_nv": (Decimal(4), ""), "kinh_phi": (Decimal(1), "")}
    report_save_values(
        report=draft, by=cast.staff, appendix=appendix(draft, "pl1"), values=values, expected=None
    )
    submitted = report_submit(report=draft, by=cast.leader)
    assert submitted.submission_tried_at is not None
    Report.objects.filter(pk=draft.pk).update(
        state=ReportState.APPROVED, approved_at="2026-12-20T09:00+07:00"
    )
    copy = report_reopen(report=Report.objects.get(pk=draft.pk), by=cast.admin, reason="Sửa")
    assert copy.submission_tried_at is None and not copy.blanks_are_errors


@pytest.fixture
def with_last_year(cast, draft) -> Report:
    last_year = report_create(
        unit=cast.department, period=make_period(year=2025), by=OPERATOR, historical=True
    )
    values = {"so_nv": (Decimal(10), ""), "kinh_phi": (Decimal(100), ""), "ty_le": (97, "")}
    report_save_values(
        report=last_year,
        by=OPERATOR,
        appendix=appendix(last_year, "pl1"),
        values={k: (Decimal(v), n) for k, (v, n) in values.items()},
        expected=None,
    )
    record_approved(last_year)  # prev() reads approved reports only
    return last_year


def previous_cell(html: str, code: str) -> str:
    row = html.split(f'data-indicator="{code}"')[1].split("</tr>")[0]
    return row.split("data-previous")[1]


def test_the_previous_column_shows_the_change_and_flags_what_moved_beyond_the_factor(
    client, cast, draft, with_last_year
):
    report_save_values(
        report=draft,
        by=cast.staff,
        appendix=appendix(draft, "pl1"),
        values={"so_nv": (Decimal(40), ""), "kinh_phi": (Decimal(150), "")},
        expected=None,
    )
    client.force_login(cast.staff)
    page = client.get(URL.format(pk=draft.pk)).text
    assert '<th scope="col" class="col-w-8">Kỳ trước</th>' in page
    assert "+30 (+300%)" in previous_cell(page, "so_nv")
    assert "gấp 4 lần" in previous_cell(page, "so_nv")
    assert "+50 (+50%)" in previous_cell(page, "kinh_phi")
    assert "data-outlier" not in previous_cell(page, "kinh_phi")
    # The autosave answers with the cell of each row it saved: a note given, the flag says so.
    answer = send(
        client, draft, {"pl1-v-so_nv": "40", "pl1-note-so_nv": "Thêm nhiệm vụ"}, ["so_nv"]
    )
    assert "gấp 4 lần" in answer["previous"]["so_nv"]
    assert "đã ghi chú lý do" in answer["previous"]["so_nv"]
    # The template's factor decides: at x5, four times is no outlier.
    TemplateVersion.objects.filter(pk=draft.template_version_id).update(outlier_factor=5)
    answer = send(client, draft, {"pl1-v-so_nv": "40"}, ["so_nv"])
    assert "data-outlier" not in answer["previous"]["so_nv"]
    assert "+30 (+300%)" in answer["previous"]["so_nv"]


def test_a_six_month_report_compares_with_the_same_months_of_last_year(client, cast):
    publish(required_spec(code="mau-6-thang", kinds=("H1",)))
    last = report_create(
        unit=cast.department, period=make_period("H1", 2025), by=OPERATOR, historical=True
    )
    report_save_values(
        report=last,
        by=OPERATOR,
        appendix=appendix(last, "pl1"),
        values={"so_nv": (Decimal(6), "")},
        expected=None,
    )
    record_approved(last)
    current = report_create(
        unit=cast.department, period=make_period("H1", 2026, is_open=True), by=cast.staff
    )
    client.force_login(cast.staff)
    page = client.get(URL.format(pk=current.pk)).text
    assert ">Cùng kỳ năm trước</th>" in page
    assert "Cột “Cùng kỳ năm trước” lấy từ báo cáo 6 tháng đầu năm 2025" in page
    assert previous_cell(page, "so_nv").startswith(' data-label="Cùng kỳ năm trước">6</td>')
