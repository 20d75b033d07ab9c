"""The task system end to end: enqueue, then a real `db_worker` run picks the task up."""

from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from documents.tasks import render_report_file
from lib.tasks import enqueue_on_commit
from tests.reports.test_workflow import fill


@pytest.mark.django_db(transaction=True)
def test_the_db_worker_renders_a_report_pdf_into_storage(report, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fill(report, so_nv=10, so_ht=8)
    enqueue_on_commit(render_report_file, report.pk, "pdf")
    queued = DBTaskResult.objects.get()
    assert queued.status == "READY"

    call_command(
        "db_worker",
        "--batch",
        "--no-startup-delay",
        "--no-reload",
        "--queue-name",
        "*",
        stdout=StringIO(),
    )

    done = DBTaskResult.objects.get()
    assert done.status == "SUCCESSFUL", done.exception_class_path
    name = done.return_value
    assert name.startswith(f"documents/{report.pk}/") and name.endswith(".pdf")
    with default_storage.open(name) as stored:
        assert stored.read(5) == b"%PDF-"
