"""The read view: every part of a report for everyone who may read but not edit it, comments
named by STT and label, the top of each page, and approving only after a second look."""

import datetime
import re

import pytest

from indicators.services import version_import, version_publish
from indicators.spec import RuleSpec
from indicators.types import NOT_APPLICABLE
from org.models import Role, Unit
from org.permissions import OPERATOR
from reports.models import Notification, Report, ReportState
from reports.services import report_save_section, report_save_table, report_save_values
from reports.services.compose import report_create
from reports.services.workflow import (
    comment_add,
    comment_mark_addressed,
    explanations_save,
    report_approve,
    report_return,
    report_submit,
)
from reports.validation import WARNING, explanation_key, validate_report
from tests.factories import PASSWORD, make_user
from tests.indicators.test_template_workbooks import base_spec


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


@pytest.fixture
def report(cast):
    spec = base_spec(applies_from=datetime.date(2025, 1, 1))
    spec.rules.append(RuleSpec("dung_han_it", "warning", "dung_han <= so_ht", "Đúng hạn nhiều"))
    version_publish(by=OPERATOR, version=version_import(by=OPERATOR, spec=spec))
    report = report_create(unit=cast.department, period=cast.period, by=cast.staff)
    pl1 = report.template_version.appendices.get(code="pl1")
    values = {
        "so_nv": (2986670, ""),
        "so_ht": (8, "Theo kế hoạch số 12"),
        "ghi_ro": (NOT_APPLICABLE, ""),
        "ty_le": (74.72, ""),
    }
    report_save_values(report=report, by=cast.staff, appendix=pl1, values=values, expected=None)
    table = report.template_version.appendices.get(code="bang")
    rows = [{"ten": "Thủ tục cấp phép", "so": 3}, {"ten": "Thủ tục <script>x</script>", "so": None}]
    report_save_table(report=report, by=cast.staff, appendix=table, rows=rows, expected=None)
    outline = report.template_version.outline.get(code="chi_dao")
    report_save_section(
        report=report, by=cast.staff, outline=outline, html="<p>Đã ban hành</p>", expected=None
    )
    return report


def part_urls(report) -> list[str]:
    version = report.template_version
    return [
        f"/bao-cao/{report.pk}/thong-tin-chung/",
        *(f"/bao-cao/{report.pk}/muc/{s.code}/" for s in version.outline.all()),
        *(f"/bao-cao/{report.pk}/phu-luc/{a.code}/" for a in version.appendices.all()),
    ]


def submitted(report, cast):
    report_submit(report=report, by=cast.leader)
    report.refresh_from_db()
    comment_add(
        report=report, by=cast.reviewer, target="indicator", target_code="so_ht", text="Xem lại"
    )
    comment_add(report=report, by=cast.reviewer, target="row", target_code="bang:2", text="Thiếu")
    return report


def approved(report, cast):
    submitted(report, cast)
    for comment in report.comments.all():
        comment.addressed_at = comment.created_at
        comment.save()
    return report_approve(report=report, by=cast.reviewer)


READERS = [
    ("reviewer", submitted),
    ("leader", submitted),
    ("staff", approved),
    ("admin", submitted),
    ("reviewer", approved),
]


def assert_read_view(client, report):
    for url in part_urls(report):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.text
        assert 'data-testid="read-view"' in page, url
        assert "data-autosave" not in page, url
        # No input holds a value: only the comment boxes (hidden target fields, a textarea).
        names = set(re.findall(r'<(?:input|textarea|select)[^>]*name="([^"]+)"', page))
        assert names <= {"csrfmiddlewaretoken", "target", "target_code", "text"}, (url, names)


@pytest.mark.parametrize(("who", "state"), READERS)
def test_every_part_opens_as_the_read_view_for_readers(client, cast, report, who, state):
    state(report, cast)
    login(client, getattr(cast, who))
    assert_read_view(client, report)
    pl1 = client.get(f"/bao-cao/{report.pk}/phu-luc/pl1/").text
    row = pl1.split('id="ct-so_nv"')[1].split("</tr>")[0]
    assert "2.986.670" in row
    blank = pl1.split('id="ct-dung_han"')[1].split("</tr>")[0]
    assert "—" in blank and ">0<" not in blank and "placeholder" not in blank
    assert "/</td>" in pl1.split('id="ct-ghi_ro"')[1].split("</tr>")[0]
    assert "74,72%" in pl1
    table = client.get(f"/bao-cao/{report.pk}/phu-luc/bang/").text
    assert "Thủ tục &lt;script&gt;x&lt;/script&gt;" in table and "<script>x" not in table
    second = table.split('id="dong-bang-2"')[1].split("</tr>")[0]
    assert "—" in second and "Thiếu" in second
    header = client.get(f"/bao-cao/{report.pk}/thong-tin-chung/").text
    assert report.title in header


@pytest.mark.parametrize(("who", "state"), READERS)
def test_comments_are_named_by_stt_and_label_never_by_code(client, cast, report, who, state):
    state(report, cast)
    login(client, getattr(cast, who))
    overview = client.get(f"/bao-cao/{report.pk}/").text
    headings = re.findall(r"data-comment-about>([^<]*)<", overview)
    assert headings == ["Chỉ tiêu I.2. Số hoàn thành (Phụ lục 1)", "Phụ lục 2, dòng 2"]
    assert not any(code in " ".join(headings) for code in ("so_ht", "bang", "indicator"))
    pl1 = client.get(f"/bao-cao/{report.pk}/phu-luc/pl1/").text
    assert "Xem lại" in pl1.split('id="ct-so_ht"')[1].split("</tr>")[0]


def test_successor_province_reviewer_reads_a_seed_report_of_a_closed_unit(client, seed_report):
    report = seed_report("quangtri-2020-y")
    Report.objects.filter(pk=report.pk).update(state=ReportState.APPROVED)
    reviewer = make_user("thamdinh-qt", Role.REVIEWER, Unit.objects.get(code="quang-tri-moi-snv"))
    login(client, reviewer)
    assert client.get(f"/bao-cao/{report.pk}/").status_code == 200
    assert_read_view(client, report)
    for appendix in report.template_version.appendices.all():
        page = client.get(f"/bao-cao/{report.pk}/phu-luc/{appendix.code}/").text
        assert "—" in page or "Bảng chưa có dòng nào" not in page


def test_staff_of_a_draft_get_the_entry_form_with_comments_beside_items(client, cast, report):
    submitted(report, cast)
    report_return(report=report, by=cast.reviewer, reason="Sửa số hoàn thành.")
    login(client, cast.staff)
    page = client.get(f"/bao-cao/{report.pk}/phu-luc/pl1/").text
    assert 'name="pl1-v-so_nv"' in page and 'data-testid="read-view"' not in page
    assert "Xem lại" in page.split('id="ct-so_ht"')[1].split("</tr>")[0]
    top = page.split('data-testid="report-top"')[1]
    assert "Sửa số hoàn thành." in top.split('data-testid="open-comments"')[0]
    assert f'href="/bao-cao/{report.pk}/phu-luc/pl1/#ct-so_ht"' in top


def test_reviewer_comments_beside_an_indicator_and_returns_to_it(client, cast, report):
    submitted(report, cast)
    login(client, cast.reviewer)
    page = client.get(f"/bao-cao/{report.pk}/phu-luc/pl1/").text
    row = page.split('id="ct-so_nv"')[1].split("</tr>")[0]
    assert 'name="target_code" value="so_nv"' in row and "csrfmiddlewaretoken" in row
    response = client.post(
        f"/bao-cao/{report.pk}/nhan-xet/",
        {"target": "indicator", "target_code": "so_nv", "text": "Số lớn bất thường"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/bao-cao/{report.pk}/phu-luc/pl1/#ct-so_nv"
    assert report.comments.filter(target_code="so_nv", text="Số lớn bất thường").exists()


@pytest.mark.parametrize(
    ("page", "target", "code", "back"),
    [
        ("phu-luc/bang/", "row", "bang:1", "phu-luc/bang/#dong-bang-1"),
        ("muc/chi_dao/", "section", "chi_dao", "muc/chi_dao/#nhan-xet"),
        ("", "report", "", ""),
    ],
)
def test_reviewer_comments_on_rows_sections_and_the_report_in_place(
    client, cast, report, page, target, code, back
):
    submitted(report, cast)
    login(client, cast.reviewer)
    shown = client.get(f"/bao-cao/{report.pk}/{page}").text
    assert f'name="target" value="{target}"' in shown
    assert f'name="target_code" value="{code}"' in shown
    data = {"target": target, "target_code": code, "text": "Bổ sung"}
    response = client.post(f"/bao-cao/{report.pk}/nhan-xet/", data)
    assert response["Location"] == f"/bao-cao/{report.pk}/{back}"
    assert report.comments.filter(target=target, target_code=code, text="Bổ sung").exists()
    assert "Bổ sung" in client.get(f"/bao-cao/{report.pk}/{page}").text


def test_outsiders_and_the_department_cannot_comment(client, cast, report):
    submitted(report, cast)
    before = report.comments.count()
    data = {"target": "indicator", "target_code": "so_nv", "text": "x"}
    login(client, cast.outsider_reviewer)
    assert client.post(f"/bao-cao/{report.pk}/nhan-xet/", data).status_code == 404
    login(client, cast.leader)
    assert client.post(f"/bao-cao/{report.pk}/nhan-xet/", data).status_code == 403
    assert 'name="target_code"' not in client.get(f"/bao-cao/{report.pk}/phu-luc/pl1/").text
    assert report.comments.count() == before


def test_a_comment_on_an_item_not_in_the_report_is_refused(client, cast, report):
    submitted(report, cast)
    login(client, cast.reviewer)
    before = report.comments.count()
    response = client.post(
        f"/bao-cao/{report.pk}/nhan-xet/",
        {"target": "indicator", "target_code": "khong_co", "text": "x"},
        follow=True,
    )
    assert "Không còn mục này trong báo cáo" in response.text
    assert report.comments.count() == before


def test_changes_since_the_last_submission_are_grouped_in_printed_order(client, cast, report):
    submitted(report, cast)
    report_return(report=report, by=cast.reviewer, reason="Sửa.")
    pl1 = report.template_version.appendices.get(code="pl1")
    values = {"ty_le": (80, ""), "so_nv": (12, "")}
    report_save_values(report=report, by=cast.staff, appendix=pl1, values=values, expected=None)
    table = report.template_version.appendices.get(code="bang")
    rows = [{"ten": "Thủ tục cấp phép", "so": 4}]
    report_save_table(report=report, by=cast.staff, appendix=table, rows=rows, expected=None)
    report_submit(report=report, by=cast.leader)
    login(client, cast.reviewer)
    for url in (f"/bao-cao/{report.pk}/", f"/bao-cao/{report.pk}/phu-luc/pl1/"):
        page = client.get(url).text
        changes = page.split('data-testid="changes"')[1]
        parts = re.findall(r"data-change-part>([^<]*)<", changes)
        assert parts == ["Phụ lục 1 – THỐNG KÊ", "Phụ lục 2 – BẢNG"]
        pl1_part = changes.split("Phụ lục 2 – BẢNG")[0]
        assert pl1_part.index("1 Số nhiệm vụ") < pl1_part.index("2 Tỷ lệ")
        assert "2.986.670" in pl1_part and "80%" in pl1_part
        assert "Số: 4" in changes and "Dòng 2" in changes and "so:" not in changes


def decide(client, report, **data):
    return client.post(f"/bao-cao/{report.pk}/tham-dinh/", data)


def test_approving_with_open_comments_asks_first(client, cast, report):
    submitted(report, cast)
    login(client, cast.reviewer)
    response = decide(client, report, decision="approve", comment="Đạt")
    assert response.status_code == 400
    assert "Tôi đã xem 2 nhận xét chưa xử lý và vẫn duyệt báo cáo." in response.text
    assert "Còn 2 nhận xét chưa xử lý" in response.text
    assert "Đạt</textarea>" in response.text  # what was typed stays
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    response = decide(client, report, decision="approve", comment="Đạt", confirm="on")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED


def test_approving_with_unexplained_warnings_asks_first(client, cast, report):
    pl1 = report.template_version.appendices.get(code="pl1")
    values = {"dung_han": (9, "")}  # more on time than done: a warning
    report_save_values(report=report, by=cast.staff, appendix=pl1, values=values, expected=None)
    key = explanation_key(next(v for v in validate_report(report) if v.severity == WARNING))
    explanations_save(report=report, by=cast.staff, explanations={key: "Tính cả năm trước"})
    report_submit(report=report, by=cast.leader)
    report.explanations.update(text="")  # e.g. the explanation was keyed to an older rule
    login(client, cast.reviewer)
    response = decide(client, report, decision="approve")
    assert response.status_code == 400
    assert "1 cảnh báo chưa có giải trình" in response.text
    assert decide(client, report, decision="approve", confirm="on").status_code == 302


def test_approving_after_comments_are_addressed_needs_no_confirmation(client, cast, report):
    submitted(report, cast)
    report_return(report=report, by=cast.reviewer, reason="Sửa.")
    report.refresh_from_db()
    for comment in report.comments.all():
        comment_mark_addressed(comment=comment, by=cast.staff)
    explanations_save(report=report, by=cast.staff, explanations={})
    report_submit(report=report, by=cast.leader)
    login(client, cast.reviewer)
    page = client.get(f"/bao-cao/{report.pk}/").text
    assert 'name="confirm"' not in page
    assert decide(client, report, decision="approve").status_code == 302


def test_returning_needs_no_confirmation(client, cast, report):
    submitted(report, cast)
    login(client, cast.reviewer)
    assert decide(client, report, decision="return", comment="Sửa").status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED


def test_the_navigation_counts_unread_notifications(client, cast, report):
    submitted(report, cast)
    Notification.objects.create(user=cast.staff, report=report, message="Một")
    login(client, cast.staff)
    page = client.get("/", follow=True).text
    count = Notification.objects.filter(user=cast.staff, read_at__isnull=True).count()
    assert count >= 1
    assert re.search(rf'data-testid="unread-count">{count}<', page)
    client.post("/thong-bao/")
    assert 'data-testid="unread-count"' not in client.get("/", follow=True).text
