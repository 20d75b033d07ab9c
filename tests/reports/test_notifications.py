"""Notifications never fail a transition: e-mails leave after commit, through the task queue."""

import logging

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reports.models import Notification, ReportState, StateChange
from reports.services.notifications import mail_subject
from reports.services.workflow import report_return, report_submit
from tests.reports.test_workflow import fill, report  # noqa: F401  (fixture)
from tests.tasks import commit_and_run, run_queued_tasks


@pytest.fixture
def submitted_report(cast, report):  # noqa: F811
    fill(report, so_nv=10, so_ht=8)
    return commit_and_run(report_submit, report=report, by=cast.leader)


def test_a_return_reason_with_line_breaks_reaches_the_department_by_mail(cast, submitted_report):
    mail.outbox.clear()
    reason = "Thiếu số liệu phụ lục 1.\r\nBổ sung mục II.\nXem lại\tbảng 2."
    commit_and_run(report_return, report=submitted_report, by=cast.reviewer, reason=reason)
    submitted_report.refresh_from_db()
    assert submitted_report.state == ReportState.RETURNED
    subjects = [m.subject for m in mail.outbox]
    assert subjects and all("\n" not in s and "\r" not in s for s in subjects)
    assert "Thiếu số liệu phụ lục 1. Bổ sung mục II. Xem lại bảng 2." in subjects[0]
    # The body keeps the reason as written, line breaks and all.
    assert "Bổ sung mục II.\nXem lại" in mail.outbox[0].body
    assert DBTaskResult.objects.failed().count() == 0


def test_every_mail_links_to_its_report_on_the_portals_address(cast, submitted_report, settings):
    settings.SITE_URL = "https://cchc.cantho.gov.vn"
    mail.outbox.clear()
    commit_and_run(report_return, report=submitted_report, by=cast.reviewer, reason="Sửa lại")
    link = f"https://cchc.cantho.gov.vn/bao-cao/{submitted_report.pk}/"
    assert mail.outbox and all(m.body.endswith(link) for m in mail.outbox)


def test_subjects_are_one_bounded_line():
    subject = mail_subject("a\nb " + "x" * 500)
    assert subject.startswith("[CCHC] a b x") and len(subject) == 150 and "\n" not in subject


def test_a_failing_mail_server_leaves_the_transition_committed_and_logs_and_retries(
    cast, submitted_report, settings, caplog
):
    settings.EMAIL_BACKEND = "tests.mail_backends.FailingBackend"
    settings.MAIL_MAX_ATTEMPTS = 2
    with caplog.at_level(logging.ERROR, logger="cchc.tasks"):
        commit_and_run(report_return, report=submitted_report, by=cast.reviewer, reason="Sửa lại")
    submitted_report.refresh_from_db()
    assert submitted_report.state == ReportState.RETURNED
    assert StateChange.objects.filter(report=submitted_report, target="returned").exists()
    # The in-portal notification is there whatever the mail server does.
    assert Notification.objects.filter(user=cast.staff, message__contains="đã trả lại").exists()
    assert "failed (attempt 1 of 2); will retry" in caplog.text
    assert "SMTPServerDisconnected" in caplog.text
    # The retry waits for its back-off; once due, it runs, fails again and gives up.
    retries = list(DBTaskResult.objects.filter(status="READY"))
    recipients = {r.args_kwargs["args"][0] for r in retries}
    assert recipients == {cast.staff.email, cast.leader.email}
    assert all(r.run_after > timezone.now() for r in retries)
    assert all(r.args_kwargs["kwargs"]["attempt"] == 2 for r in retries)
    assert run_queued_tasks() == 0  # not due yet
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="cchc.tasks"):
        assert run_queued_tasks() == 2
    assert "failed (attempt 2 of 2); giving up" in caplog.text
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_returning_through_the_page_with_a_failing_mail_server_is_no_server_error(
    client, cast, submitted_report, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.mail_backends.FailingBackend"
    client.force_login(cast.reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:report_decide", args=[submitted_report.pk]),
            {"decision": "return", "comment": "Dòng một\nDòng hai"},
        )
    assert response.status_code == 302
    assert run_queued_tasks() >= 1
    submitted_report.refresh_from_db()
    assert submitted_report.state == ReportState.RETURNED
