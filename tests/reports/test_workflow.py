"""Submission and review: who may move a report, what validation blocks, what is recorded."""

import datetime
import re

import pytest
from django.core import mail

from indicators.services import version_import, version_publish
from indicators.spec import RuleSpec
from org.models import Role
from reports.access import OPERATOR, AccessRefused
from reports.models import Notification, Report, ReportState, StateChange
from reports.services import ReportError, report_create, report_save_values
from reports.services.workflow import (
    SubmissionRefused,
    comment_add,
    explanations_save,
    report_approve,
    report_reopen,
    report_return,
    report_submit,
)
from reports.validation import explanation_key, validate_report
from tests.factories import PASSWORD, make_department, make_user
from tests.indicators.test_template_workbooks import base_spec
from tests.tasks import commit_and_run


@pytest.fixture
def report(cast):
    spec = base_spec(applies_from=datetime.date(2025, 1, 1))
    spec.rules.append(
        RuleSpec("dung_han_it", "warning", "dung_han <= so_ht", "Đúng hạn nhiều hơn hoàn thành")
    )
    version_publish(by=OPERATOR, version=version_import(by=OPERATOR, spec=spec))
    return report_create(unit=cast.department, period=cast.period, by=cast.staff)


def fill(report, **values):
    appendix = report.template_version.appendices.get(code="pl1")
    report_save_values(
        by=OPERATOR,
        report=report,
        appendix=appendix,
        values={code: (value, "") for code, value in values.items()},
        expected=None,
    )


def submitted(report, cast):
    fill(report, so_nv=10, so_ht=8)
    return report_submit(report=report, by=cast.leader)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_leader_submits_a_clean_report_and_reviewers_are_told(cast, report):
    fill(report, so_nv=10, so_ht=8)
    report = commit_and_run(report_submit, report=report, by=cast.leader)
    assert report.state == ReportState.SUBMITTED
    change = StateChange.objects.get(report=report)
    assert (change.by, change.source, change.target) == (cast.leader, "draft", "submitted")
    assert report.submissions.get().snapshot["values"]["so_nv"] == ["10", ""]
    assert Notification.objects.filter(user=cast.reviewer, report=report).exists()
    assert [m.to for m in mail.outbox] == [[cast.reviewer.email]]
    assert "đã gửi báo cáo năm 2026" in mail.outbox[0].subject


def test_errors_block_submission(cast, report):
    fill(report, so_nv=5, so_ht=8)  # the rule: done <= assigned
    with pytest.raises(SubmissionRefused, match="còn 1 lỗi") as refused:
        report_submit(report=report, by=cast.leader)
    assert refused.value.violations[0].code == "ht_le_nv"
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT


def test_warnings_need_an_explanation(cast, report):
    fill(report, so_nv=10, so_ht=3, dung_han=5)
    with pytest.raises(SubmissionRefused, match="chưa có giải trình"):
        report_submit(report=report, by=cast.leader)
    warning = next(v for v in validate_report(report) if v.severity == "warning")
    explanations_save(
        report=report, by=cast.staff, explanations={explanation_key(warning): "Số liệu lũy kế"}
    )
    assert report_submit(report=report, by=cast.leader).state == ReportState.SUBMITTED


def test_staff_cannot_submit_unless_the_unit_allows_it(cast, report):
    fill(report, so_nv=10, so_ht=8)
    with pytest.raises(AccessRefused, match="Chỉ lãnh đạo đơn vị được ký gửi"):
        report_submit(report=report, by=cast.staff)
    cast.department.staff_may_submit = True
    cast.department.save()
    report.refresh_from_db()
    assert report_submit(report=report, by=cast.staff).state == ReportState.SUBMITTED


@pytest.mark.parametrize("who", ["staff", "leader", "outsider_reviewer", "colleague", "admin"])
def test_only_reviewers_of_the_province_decide(cast, report, who):
    report = submitted(report, cast)
    with pytest.raises(AccessRefused, match="Chỉ chuyên viên thẩm định"):
        report_approve(report=report, by=getattr(cast, who))
    with pytest.raises(AccessRefused, match="Chỉ chuyên viên thẩm định"):
        report_return(report=report, by=getattr(cast, who), reason="Sai số liệu")
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_wrong_state_transitions_are_refused(cast, report):
    with pytest.raises(ReportError, match="Nháp"):
        report_approve(report=report, by=cast.reviewer)
    report = submitted(report, cast)
    with pytest.raises(ReportError, match="Đã gửi"):
        report_submit(report=report, by=cast.leader)
    report = report_approve(report=report, by=cast.reviewer)
    with pytest.raises(ReportError, match="Đã duyệt"):
        report_return(report=report, by=cast.reviewer, reason="muộn")
    with pytest.raises(ReportError, match="Đã duyệt"):
        fill(report, so_nv=1)


def test_return_needs_a_reason_and_resubmission_follows(cast, report):
    report = submitted(report, cast)
    with pytest.raises(ReportError, match="lý do"):
        report_return(report=report, by=cast.reviewer, reason=" ")
    comment_add(
        report=report,
        by=cast.reviewer,
        target="indicator",
        target_code="so_ht",
        text="Kiểm tra lại",
    )
    report = report_return(report=report, by=cast.reviewer, reason="Xem nhận xét")
    assert report.state == ReportState.RETURNED
    fill(report, so_nv=10, so_ht=9)
    report = report_submit(report=report, by=cast.leader)
    assert report.state == ReportState.RESUBMITTED
    assert report.submissions.count() == 2


def test_reopening_an_approved_report_creates_a_new_revision(cast, report):
    report = report_approve(report=submitted(report, cast), by=cast.reviewer)
    with pytest.raises(AccessRefused, match="Chỉ quản trị hệ thống"):
        report_reopen(report=report, by=cast.reviewer, reason="x")
    copy = report_reopen(report=report, by=cast.admin, reason="Bổ sung số liệu")
    assert (copy.revision, copy.state) == (2, ReportState.DRAFT)
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED
    assert copy.values.get(indicator__code="so_nv").number == 10


def test_a_reopened_revision_keeps_its_history_from_the_approved_one(
    cast, report, client, tmp_path
):
    from django.core.management import call_command

    from tests.reports.test_excel_roundtrip import set_value

    report = report_approve(report=submitted(report, cast), by=cast.reviewer)
    copy = report_reopen(report=report, by=cast.admin, reason="Bổ sung số liệu")
    workbook = tmp_path / "lan-2.xlsx"
    workbook.write_bytes(set_value("so_nv", 15)(copy, None))
    call_command("import_report_values", str(copy.pk), str(workbook), "--by", cast.staff.username)

    login(client, cast.staff)
    page = client.get(f"/bao-cao/{copy.pk}/lich-su/chi-tieu/so_nv/").text
    table = page.split('data-testid="value-history"')[1].split("</table>")[0]
    rows = [re.findall(r"<td>(.*?)</td>", row) for row in table.split("<tr>")[2:]]
    # The copy, by the administrator who reopened, then the department's change: 10 → 15.
    assert [r[1:5] for r in rows] == [
        [str(cast.admin), "(trống)", "10", "Chép từ lần lập 1 (đã duyệt)"],
        [str(cast.staff), "10", "15", ""],
    ]
    page = client.get(f"/bao-cao/{copy.pk}/lich-su/").text
    assert "Thay đổi so với lần lập 1 đã duyệt" in page
    changes = page.split('data-testid="changes"')[1]
    assert "10</td>" in changes and "15</td>" in changes


# Who may read the submitted report but not do this gets 403 with the reason; who may not
# know it exists (another unit, another province) gets 404 (reports.access).
DIRECT_POSTS = [
    ("staff", "tham-dinh/", {"decision": "approve"}, 403),
    ("leader", "tham-dinh/", {"decision": "approve"}, 403),
    ("outsider_reviewer", "tham-dinh/", {"decision": "approve"}, 404),
    ("colleague", "tham-dinh/", {"decision": "return", "comment": "x"}, 404),
    ("staff", "nhan-xet/", {"target": "report", "text": "x"}, 403),
    ("reviewer", "mo-lai/", {"reason": "x"}, 403),
]


@pytest.mark.parametrize(("who", "path", "data", "status"), DIRECT_POSTS)
def test_direct_posts_by_the_wrong_people_change_nothing(
    client, cast, report, who, path, data, status
):
    report = submitted(report, cast)
    login(client, getattr(cast, who))
    response = client.post(f"/bao-cao/{report.pk}/{path}", data)
    assert response.status_code == status
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert not report.comments.exists()


def test_reviewer_returns_and_approves_through_the_page(client, cast, report):
    report = submitted(report, cast)
    login(client, cast.reviewer)
    page = client.get(f"/bao-cao/{report.pk}/")
    assert 'data-testid="review-panel"' in page.text
    client.post(
        f"/bao-cao/{report.pk}/nhan-xet/",
        {"target": "indicator", "target_code": "so_ht", "text": "Xem lại"},
    )
    client.post(f"/bao-cao/{report.pk}/tham-dinh/", {"decision": "return", "comment": "Sửa số"})
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED
    assert report.comments.get().target_code == "so_ht"


def test_late_submission_shows_days_late(client, cast, report):
    cast.period.deadline = datetime.date(2026, 1, 10)
    cast.period.window_end = datetime.date(2026, 1, 5)
    cast.period.window_start = datetime.date(2025, 12, 15)
    cast.period.save()
    report = submitted(report, cast)
    assert report.submissions.get().days_late > 0
    login(client, cast.leader)
    assert "Gửi muộn" in client.get(f"/bao-cao/{report.pk}/").text


def test_successor_province_reviewer_may_review_a_merged_units_report(cast, report):
    report = submitted(report, cast)
    new_province = make_department(
        cast.other_province, "snv2", "Sở Nội vụ mới", is_home_affairs=True
    )
    cast.province.successor = cast.other_province
    cast.province.save()
    reviewer = make_user("thamdinh-moi", Role.REVIEWER, new_province)
    assert report_approve(report=report, by=reviewer).state == ReportState.APPROVED
    assert Report.objects.get(pk=report.pk).approved_at is not None


def test_returned_comment_shows_beside_its_indicator(client, cast, report):
    report = submitted(report, cast)
    comment_add(
        report=report, by=cast.reviewer, target="indicator", target_code="so_ht", text="Xem lại số"
    )
    report_return(report=report, by=cast.reviewer, reason="Sửa")
    login(client, cast.staff)
    page = client.get(f"/bao-cao/{report.pk}/phu-luc/pl1/").text
    row = page.split('data-indicator="so_ht"')[1].split("</tr>")[0]
    assert "Xem lại số" in row


def test_anyone_who_reads_the_report_sees_who_changed_a_value(client, cast, report):
    client.force_login(cast.staff)
    url = f"/bao-cao/{report.pk}/phu-luc/pl1/"
    client.post(url, {"pl1-v-so_nv": "10", "part_version": "0"})
    client.force_login(cast.leader)
    client.post(url, {"pl1-v-so_nv": "12", "part_version": "1"})
    report = submitted(Report.objects.get(pk=report.pk), cast)
    login(client, cast.reviewer)
    history = client.get(f"/bao-cao/{report.pk}/lich-su/chi-tieu/so_nv/").text
    rows = history.split('data-testid="value-history"')[1]
    assert rows.index("chuyenvien") < rows.index("lanhdao")
    assert "<td>(trống)</td><td>10</td>" in rows
    assert "<td>10</td><td>12</td>" in rows
    assert client.get(f"/bao-cao/{report.pk}/lich-su/chi-tieu/khong_co/").status_code == 404


def test_a_rule_missing_part_of_its_values_is_noted_but_a_blank_report_is_quiet(cast, report):
    assert validate_report(report) == []
    fill(report, so_nv=10)
    notes = [v for v in validate_report(report) if v.severity == "notice"]
    assert [v.code for v in notes] == ["ht_le_nv"]
    assert "Thiếu số liệu: I.2. Số hoàn thành" in notes[0].message


def test_marking_a_comment_addressed_never_redirects_off_site(client, cast, report):
    report = submitted(report, cast)
    comment = comment_add(
        report=report, by=cast.reviewer, target="report", target_code="", text="Bổ sung"
    )
    report_return(report=report, by=cast.reviewer, reason="Sửa")
    login(client, cast.staff)
    response = client.post(
        f"/bao-cao/{report.pk}/nhan-xet/{comment.pk}/da-xu-ly/", {"next": "https://evil.example"}
    )
    assert response.url == f"/bao-cao/{report.pk}/"
    comment.refresh_from_db()
    assert comment.addressed_by == cast.staff
