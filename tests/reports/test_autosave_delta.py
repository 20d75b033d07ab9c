"""Delta autosave on indicator appendices: the page sends only the rows changed since the last
save, with the part's version; the server saves those and answers with their messages only."""

import pytest

from reports.models import Report
from reports.selectors import indicator_values
from reports.services import part_version
from tests.factories import PASSWORD
from tests.reports.test_entry_page import draft  # noqa: F401  (fixture)

PLANNED, DONE = "pl2_thong_ke-v-so_nv_ke_hoach", "pl2_thong_ke-v-so_nv_hoan_thanh"
RULE = "Số nhiệm vụ đã hoàn thành không được vượt số nhiệm vụ đề ra"


@pytest.fixture
def page(client, draft):  # noqa: F811
    report, staff = draft
    client.login(username=staff.username, password=PASSWORD)
    url = f"/bao-cao/{report.pk}/phu-luc/pl2_thong_ke/"
    client.get(url)

    def send(fields: dict, rows: list[str], version=None):
        version = (
            part_version(Report.objects.get(pk=report.pk), "appendix:pl2_thong_ke")
            if (version is None)
            else version
        )
        return client.post(
            url,
            {"delta": rows, "part_version": version, **fields},
            headers={"X-Autosave": "1", "X-Autosave-Delta": "1"},
        )

    return report, send


def stored(report) -> dict:
    return {code: value for code, (value, _note) in indicator_values(report).items()}


def test_only_the_sent_rows_are_saved_and_the_others_keep_their_values(page):
    report, send = page
    assert send({PLANNED: "7", DONE: "4"}, ["so_nv_ke_hoach", "so_nv_hoan_thanh"]).json()["saved"]
    # The next save names one row only: the other row is not in the request and stays stored.
    answer = send({DONE: "5"}, ["so_nv_hoan_thanh"]).json()
    assert answer["saved"] is True
    assert answer["version"] == 2
    assert stored(report)["so_nv_ke_hoach"] == 7
    assert stored(report)["so_nv_hoan_thanh"] == 5


def test_the_answer_carries_the_messages_of_the_sent_rows_and_the_rules_reading_them(page):
    report, send = page
    answer = send({PLANNED: "3", DONE: "5"}, ["so_nv_ke_hoach", "so_nv_hoan_thanh"]).json()
    assert len(answer["violations"]) == 1
    assert answer["violations"][0]["message"].startswith(f"{RULE} trong kế hoạch CCHC")
    assert set(answer["violations"][0]["fields"]) == {DONE, PLANNED}
    assert RULE in answer["violations_html"]  # the panel changed, so it comes along
    assert {PLANNED, DONE} <= set(answer["scope"])
    # A row sends all its inputs; a note added leaves the checks as they were: no panel.
    other = send(
        {PLANNED: "3", "pl2_thong_ke-note-so_nv_ke_hoach": "ghi chú"}, ["so_nv_ke_hoach"]
    ).json()
    assert [(v["message"][: len(RULE)], v["index"]) for v in other["violations"]] == [
        (RULE, 1)  # its place in the panel, for the way back
    ]
    assert "violations_html" not in other
    # A row no rule that fails reads: no messages about other rows.
    quiet = send({"pl2_thong_ke-v-kt_so_phong_ban": "2"}, ["kt_so_phong_ban"]).json()
    assert quiet["violations"] == [] and "violations_html" not in quiet
    # Fixing the value clears the rule's marks on both inputs and renews the panel.
    fixed = send({PLANNED: "5"}, ["so_nv_ke_hoach"]).json()
    assert fixed["violations"] == []
    assert {PLANNED, DONE} <= set(fixed["scope"])
    assert RULE not in fixed["violations_html"]


def test_a_refused_value_comes_back_for_its_input_and_the_other_sent_rows_are_saved(page):
    report, send = page
    answer = send({PLANNED: "mười", DONE: "4"}, ["so_nv_ke_hoach", "so_nv_hoan_thanh"]).json()
    assert answer["saved"] is False
    assert list(answer["errors"]) == [PLANNED]
    assert stored(report).get("so_nv_hoan_thanh") == 4
    assert "so_nv_ke_hoach" not in stored(report)


def test_a_stale_version_is_a_conflict_and_nothing_is_saved(page):
    report, send = page
    send({PLANNED: "7"}, ["so_nv_ke_hoach"])  # a colleague's save: version 0 -> 1
    response = send({PLANNED: "9"}, ["so_nv_ke_hoach"], version=0)
    assert response.status_code == 409
    assert "vừa được người khác lưu" in response.json()["conflict"]
    assert stored(report)["so_nv_ke_hoach"] == 7


def test_rows_of_another_appendix_or_unknown_codes_are_ignored(page):
    report, send = page
    answer = send({"pl1_iso-v-x": "1"}, ["khong_co", "so_nv_ke_hoach"]).json()
    assert answer["saved"] is True
    assert stored(report) == {}


def test_a_delta_after_a_colleagues_save_is_refused_and_the_page_shows_their_values(page, client):
    """A delta carries the part's version: someone else's save of the same appendix since
    then refuses it (nothing saved), and what the page and checks show is the colleague's."""
    report, send = page
    first = send({PLANNED: "7", DONE: "4"}, ["so_nv_ke_hoach", "so_nv_hoan_thanh"]).json()
    url = f"/bao-cao/{report.pk}/phu-luc/pl2_thong_ke/"
    # The colleague's whole-form save (no script), based on the version the delta returned.
    colleague = client.post(url, {PLANNED: "3", DONE: "5", "part_version": first["version"]})
    assert colleague.status_code == 302
    refused = send({DONE: "2"}, ["so_nv_hoan_thanh"], version=first["version"])
    assert refused.status_code == 409
    assert "vừa được người khác lưu" in refused.json()["conflict"]
    assert stored(report) == {"so_nv_ke_hoach": 3, "so_nv_hoan_thanh": 5}
    shown = client.get(url).text
    assert 'value="5"' in shown.split('data-indicator="so_nv_hoan_thanh"')[1].split("</tr>")[0]
    assert RULE in shown  # the checks follow the colleague's values
    # With the current version the next delta is saved and answers the rule's new state.
    current = part_version(Report.objects.get(pk=report.pk), "appendix:pl2_thong_ke")
    fixed = send({DONE: "3"}, ["so_nv_hoan_thanh"], version=current).json()
    assert fixed["saved"] and fixed["version"] == current + 1
    assert fixed["violations"] == [] and RULE not in fixed["violations_html"]
