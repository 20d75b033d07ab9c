"""Rendered PDF and Word files: each submission and approval is rendered once through the task
system and served from storage after; a draft's file is rendered in the background while its
page shows progress."""

import hashlib
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from reports.models import Report, StoredDocument
from reports.services.workflow import report_approve, report_submit
from tests.reports.test_workflow import fill, report  # noqa: F401  (fixture)
from tests.tasks import commit_and_run, run_queued_tasks


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_submission_and_its_approval_are_rendered_once_and_served_from_storage(
    client,
    cast,
    report,  # noqa: F811
):
    fill(report, so_nv=10, so_ht=8)
    commit_and_run(report_submit, report=report, by=cast.leader)
    submitted = StoredDocument.objects.filter(report=report, state="submitted")
    assert sorted(submitted.values_list("format", flat=True)) == ["docx", "pdf"]
    for document in submitted:
        with document.file.open("rb") as stored:
            assert hashlib.sha256(stored.read()).hexdigest() == document.sha256

    client.force_login(cast.reviewer)
    pdf = submitted.get(format="pdf")
    for _ in range(2):
        response = client.get(f"/bao-cao/{report.pk}/tai-ve.pdf")
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        body = b"".join(response.streaming_content)
        assert body.startswith(b"%PDF") and hashlib.sha256(body).hexdigest() == pdf.sha256
    assert StoredDocument.objects.filter(report=report).count() == 2  # nothing rendered again

    commit_and_run(report_approve, report=Report.objects.get(pk=report.pk), by=cast.reviewer)
    approved = StoredDocument.objects.filter(report=report, state="approved")
    assert approved.count() == 2
    response = client.get(f"/bao-cao/{report.pk}/tai-ve.docx")
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == approved.get(format="docx").sha256


def test_a_drafts_pdf_is_rendered_by_the_task_system_while_the_page_shows_progress(
    client,
    cast,
    report,  # noqa: F811
):
    fill(report, so_nv=10, so_ht=8)
    client.force_login(cast.staff)
    status_url = f"/bao-cao/{report.pk}/tai-ve/pdf/trang-thai/"
    waiting = client.get(f"/bao-cao/{report.pk}/tai-ve.pdf")
    assert waiting.status_code == 202
    assert f'data-status-url="{status_url}"' in waiting.text
    assert "Đang tạo tệp PDF của báo cáo" in waiting.text
    assert client.get(status_url).json() == {"status": "waiting"}
    client.get(f"/bao-cao/{report.pk}/tai-ve.pdf")  # asking again queues nothing more

    assert run_queued_tasks() == 1
    assert client.get(status_url).json() == {"status": "ready"}
    response = client.get(f"/bao-cao/{report.pk}/tai-ve.pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")

    fill(report, so_nv=11, so_ht=8)  # the draft changed: its stored file is not offered
    assert client.get(f"/bao-cao/{report.pk}/tai-ve.pdf").status_code == 202


def test_another_departments_staff_cannot_ask_for_a_drafts_file(client, cast, report):  # noqa: F811
    client.force_login(cast.outsider_staff)
    assert client.get(f"/bao-cao/{report.pk}/tai-ve.pdf").status_code == 404
    assert client.get(f"/bao-cao/{report.pk}/tai-ve/pdf/trang-thai/").status_code == 404
    assert run_queued_tasks() == 0


@pytest.mark.django_db(transaction=True)
def test_a_separate_worker_process_renders_a_submission_into_storage(
    cast,
    report,  # noqa: F811
    tmp_path,
):
    """The production path: the web process only queues; `manage.py db_worker`, a process of
    its own (as scripts/serve starts it), renders the files against the same database."""
    database = connection.settings_dict
    if connection.vendor != "postgresql":
        pytest.skip("a second process cannot reach an in-memory SQLite test database")
    fill(report, so_nv=10, so_ht=8)
    report_submit(report=report, by=cast.leader)  # autocommit: queued at once
    assert not StoredDocument.objects.filter(report=report).exists()

    url = (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST'] or '127.0.0.1'}"
        f":{database['PORT'] or 5432}/{database['NAME']}"
    )
    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--queue-name", "*"]
        + ["--no-startup-delay", "--no-reload"],
        cwd=settings.BASE_DIR,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "cchc_portal.test_settings",
            "DATABASE_URL": url,
            "MEDIA_ROOT": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert worker.returncode == 0, worker.stderr

    stored = StoredDocument.objects.filter(report=report, state="submitted")
    assert sorted(stored.values_list("format", flat=True)) == ["docx", "pdf"]
    with stored.get(format="pdf").file.open("rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
