"""Rendered PDF and Word files: each submission and approval is rendered once through the task
system and served from storage after; a draft's file is rendered in the background while its
page shows progress."""

import hashlib
import os
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from documents.models import StoredDocument
from documents.services import request_document
from reports.models import Report
from reports.services.workflow import report_approve, report_submit
from tests.processes import run_manage
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


def skip_unless_shared_database():
    if connection.vendor != "postgresql":
        pytest.skip("a second process cannot reach an in-memory SQLite test database")


@pytest.mark.django_db(transaction=True)
def test_a_render_queued_by_one_process_is_known_to_the_others(
    cast,
    report,  # noqa: F811
    tmp_path,
):
    """Several web processes serve one user: the one polling for the file must know the render
    another queued (the cache is shared), or it would answer "none" and queue it again."""
    skip_unless_shared_database()
    request_document(report, "pdf")
    code = (
        "from reports.models import Report; from documents.services import "
        f"document_status; print(document_status(Report.objects.get(pk={report.pk}), 'pdf'))"
    )
    other = run_manage("shell", "--verbosity", "0", "-c", code, env=process_env(tmp_path))
    assert other.returncode == 0, other.stderr
    assert other.stdout.split() == ["waiting"]


@pytest.fixture(scope="module")
def s3_server(tmp_path_factory):
    """An S3-compatible server of its own (moto's), on a free port of 127.0.0.1, with a bucket."""
    import boto3

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [os.path.join(os.path.dirname(sys.executable), "moto_server"), "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    env = {
        "S3_BUCKET": "cchc-documents",
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "test",
        "S3_SECRET_ACCESS_KEY": "test",
    }
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    for _ in range(100):
        try:
            client.create_bucket(Bucket=env["S3_BUCKET"])
            break
        except Exception:  # not listening yet
            time.sleep(0.1)
    yield env, client
    server.terminate()
    server.wait()


def s3_storage(env: dict) -> dict:
    """The STORAGES["default"] that cchc_portal.settings builds from these variables."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env["S3_BUCKET"],
            "endpoint_url": env["S3_ENDPOINT_URL"],
            "region_name": env["S3_REGION"],
            "access_key": env["S3_ACCESS_KEY_ID"],
            "secret_key": env["S3_SECRET_ACCESS_KEY"],
            "location": "",
            "default_acl": "private",
            "file_overwrite": False,
        },
    }


def process_env(tmp_path, **env) -> dict:
    """What a second process needs to work on this test's database and media folder."""
    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST'] or '127.0.0.1'}"
        f":{database['PORT'] or 5432}/{database['NAME']}"
    )
    return {
        "DJANGO_SETTINGS_MODULE": "cchc_portal.test_settings",
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(tmp_path),
        **env,
    }


def run_worker(tmp_path, **env) -> subprocess.CompletedProcess:
    """`manage.py db_worker --batch`, as scripts/serve starts workers, until the queue is empty."""
    args = ["db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", "--no-reload"]
    return run_manage(*args, env=process_env(tmp_path, **env), timeout=180)


@pytest.mark.parametrize("storage", ["filesystem", "s3"])
@pytest.mark.django_db(transaction=True)
def test_a_separate_worker_process_renders_a_submission_into_storage(
    request,
    client,
    cast,
    report,  # noqa: F811
    tmp_path,
    storage,
):
    """The production path: the web process only queues; `manage.py db_worker`, a process of
    its own (as scripts/serve starts it), renders the files against the same database into the
    configured storage (MEDIA_ROOT, or an S3 bucket shared by several machines), and the portal
    serves them from there."""
    skip_unless_shared_database()
    env = {}
    if storage == "s3":
        env, bucket = request.getfixturevalue("s3_server")
        request.getfixturevalue("settings").STORAGES = {
            **settings.STORAGES,
            "default": s3_storage(env),
        }
    fill(report, so_nv=10, so_ht=8)
    report_submit(report=report, by=cast.leader)  # autocommit: queued at once
    assert not StoredDocument.objects.filter(report=report).exists()

    worker = run_worker(tmp_path, **env)
    assert worker.returncode == 0, worker.stderr

    stored = StoredDocument.objects.filter(report=report, state="submitted")
    assert sorted(stored.values_list("format", flat=True)) == ["docx", "pdf"]
    pdf = stored.get(format="pdf")
    if storage == "s3":
        listed = bucket.list_objects_v2(Bucket=env["S3_BUCKET"])["Contents"]
        assert pdf.file.name in [item["Key"] for item in listed]
        assert not any(tmp_path.iterdir())  # nothing written to the local disk
    client.force_login(cast.reviewer)
    response = client.get(f"/bao-cao/{report.pk}/tai-ve.pdf")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-") and hashlib.sha256(body).hexdigest() == pdf.sha256
