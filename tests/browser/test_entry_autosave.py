"""Nothing typed on an entry page is lost without a word: table rows moved or removed are
autosaved with their STT renumbered, leaving with unsaved changes warns, a report submitted
meanwhile stops autosave with the reason, and a refused date is explained next to the field."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from reports.models import Report
from reports.selectors import indicator_values, table_rows
from reports.services.workflow import report_submit
from tests.browser.conftest import log_in
from tests.reports.test_excel_roundtrip import VALUES, filled_draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = [
    {"stt": "1", "ten": "Cấp phép"},
    {"stt": "2", "ten": "Gia hạn"},
    {"stt": "3", "ten": "Thu hồi"},
]


@pytest.fixture
def draft(cast) -> Report:
    return filled_draft(cast, rows=ROWS, total=None)


def shown_rows(page) -> list[tuple[str, str]]:
    rows = page.locator("tbody[data-rows] > tr[data-row]:not(.d-none)")
    return [
        (
            rows.nth(i).locator("[name$='-stt']").input_value(),
            rows.nth(i).locator("[name$='-ten']").input_value(),
        )
        for i in range(rows.count())
    ]


def stored_rows(report) -> list[tuple[str, str]]:
    rows = table_rows(report)["ho_so"]["rows"]
    return [(cells.get("stt", ""), cells.get("ten", "")) for _id, cells in rows]


def test_moved_and_removed_rows_are_autosaved_renumbered_and_leaving_unsaved_warns(
    page, live_server, cast, draft
):
    log_in(page, live_server, cast.staff.username)
    page.goto(f"{live_server.url}/bao-cao/{draft.pk}/phu-luc/ho_so/")
    rows = page.locator("tbody[data-rows] > tr[data-row]")

    def autosaved():
        return page.expect_response(lambda r: r.request.method == "POST" and r.status == 200)

    with autosaved():
        rows.nth(1).get_by_role("button", name="Xoá dòng").click()
    assert shown_rows(page) == [("1", "Cấp phép"), ("2", "Thu hồi")]
    with autosaved():
        rows.nth(2).get_by_role("button", name="Chuyển dòng lên").click()

    assert shown_rows(page) == [("1", "Thu hồi"), ("2", "Cấp phép")]
    expect(page.locator("[data-autosave-status]")).to_contain_text("Đã lưu lúc")
    assert stored_rows(draft) == [("1", "Thu hồi"), ("2", "Cấp phép")]  # nobody pressed Lưu

    # The network goes down: the next change is not saved, the page says so and retries
    # later, and leaving the page asks first.
    posts = []

    def offline(route):
        if route.request.method == "POST":
            posts.append(route.request)
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route("**/phu-luc/ho_so/", offline)
    page.get_by_role("button", name="Thêm dòng").click()
    page.locator("tbody[data-rows] > tr[data-row]").last.locator("[name$='-ten']").fill("Cấp lại")
    assert shown_rows(page)[-1] == ("3", "Cấp lại")
    status = page.locator("[data-autosave-status]")
    expect(status).to_contain_text("mất kết nối")
    expect(status).to_contain_text("thử lại sau 3 giây")
    page.wait_for_timeout(2000)
    assert len(posts) == 1  # no retry before the pause is over
    expect(status).to_contain_text("thử lại sau 6 giây", timeout=8000)

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert stored_rows(draft) == [("1", "Thu hồi"), ("2", "Cấp phép")]


def test_a_report_submitted_meanwhile_stops_autosave_and_keeps_what_was_typed(
    page, live_server, cast, draft
):
    log_in(page, live_server, cast.staff.username)
    page.goto(f"{live_server.url}/bao-cao/{draft.pk}/phu-luc/pl1/")
    report_submit(report=Report.objects.get(pk=draft.pk), by=cast.leader)
    posts = []
    page.on("request", lambda r: posts.append(r) if r.method == "POST" else None)

    page.locator("[name='pl1-v-so_nv']").fill("42")
    page.locator("[name='pl1-v-kinh_phi']").focus()

    stopped = page.locator("[data-autosave-stopped]")
    expect(stopped).to_contain_text("Báo cáo đã được gửi lúc")
    expect(stopped).to_contain_text(f"bởi {cast.leader}; không thể sửa tiếp.")
    expect(page.locator("[data-autosave-status]")).to_have_text("Đã ngừng tự động lưu.")
    expect(page.get_by_text("mất kết nối")).to_have_count(0)
    expect(page.locator("[name='pl1-v-so_nv']")).to_have_value("42")
    expect(page.get_by_role("button", name="Lưu", exact=True)).to_be_disabled()

    page.locator("[name='pl1-v-so_nv']").fill("43")  # typing on does not save again
    page.wait_for_timeout(4000)
    assert len(posts) == 1

    with page.expect_download() as download:
        stopped.get_by_role("button", name="Tải về nội dung đã gõ (.txt)").click()
    typed = Path(download.value.path()).read_text(encoding="utf-8")
    assert "[pl1-v-so_nv]: 43" in typed
    assert indicator_values(draft)["so_nv"] == VALUES["so_nv"]


def test_an_invalid_header_date_is_explained_next_to_the_field(page, live_server, cast, draft):
    log_in(page, live_server, cast.staff.username)
    page.goto(f"{live_server.url}/bao-cao/{draft.pk}/thong-tin-chung/")

    page.locator("[name='issued_on']").fill("31/02/2026")
    page.get_by_label("Trích yếu").focus()

    feedback = page.locator("[name='issued_on'] + .live-feedback")
    expect(feedback).to_be_visible()
    expect(feedback).to_contain_text("ngày")
    expect(page.locator("body")).not_to_contain_text("[object Object]")
    expect(page.locator("[name='issued_on']")).to_have_value("31/02/2026")


def test_an_indicator_appendix_autosaves_only_the_rows_typed_in(page, live_server, cast, draft):
    log_in(page, live_server, cast.staff.username)
    page.goto(f"{live_server.url}/bao-cao/{draft.pk}/phu-luc/pl1/")
    posts = []
    page.on("request", lambda r: posts.append(r.post_data) if r.method == "POST" else None)

    page.locator("[name='pl1-v-so_nv']").fill("42")
    page.locator("[name='pl1-note-kinh_phi']").fill("đã quyết toán")
    page.locator("[name='pl1-v-ty_le']").focus()

    expect(page.locator("[data-autosave-status]")).to_contain_text("Đã lưu lúc")
    sent = "".join(posts)
    assert "so_nv" in sent and "kinh_phi" in sent
    assert "ty_le" not in sent and "ke_hoach" not in sent  # rows not typed in stay home
    values = indicator_values(Report.objects.get(pk=draft.pk))
    assert values["so_nv"] == (42, "=SUM(A1)")
    assert values["kinh_phi"] == (VALUES["kinh_phi"][0], "đã quyết toán")
    assert values["ngay"] == VALUES["ngay"]
    assert page.locator("input[name=part_version]").input_value() != "0"
