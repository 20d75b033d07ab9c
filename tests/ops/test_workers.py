"""Task workers: a heartbeat each, /healthz that notices a dead worker or a stuck queue, and the
worker process riding out what kills django-tasks-db's own."""

import datetime
import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.core.management import get_commands
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lib.tasks import send_mail_task
from ops.models import WorkerHeartbeat
from tests.ops.test_backup_restore import ROOT


def health(client):
    response = client.get("/healthz")
    return response.status_code, response.json()


def test_healthz_answers_503_tasks_when_no_worker_ever_beat(client, db):
    status, answer = health(client)
    assert status == 503
    assert answer["tasks"] == "no worker" and answer["database"] == "ok"
    assert answer["last_beat_seconds"] is None


def test_healthz_answers_503_once_the_last_beat_is_older_than_the_setting(
    client, worker_alive, settings
):
    settings.WORKER_STALE_SECONDS = 60
    worker_alive.beat_at = timezone.now() - datetime.timedelta(seconds=50)
    worker_alive.save()
    assert health(client)[0] == 200
    worker_alive.beat_at = timezone.now() - datetime.timedelta(seconds=70)
    worker_alive.save()
    status, answer = health(client)
    assert status == 503 and answer["tasks"] == "no worker"
    assert 69 <= answer["last_beat_seconds"] <= 75


def test_healthz_answers_503_when_a_ready_task_waited_longer_than_the_setting(
    client, worker_alive, settings
):
    settings.TASK_QUEUE_MAX_AGE_SECONDS = 300
    send_mail_task.enqueue("a@example.vn", "Tiêu đề", "Nội dung")
    assert health(client)[0] == 200
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(seconds=400))
    status, answer = health(client)
    assert status == 503 and answer["tasks"] == "backlog"
    assert answer["oldest_task_seconds"] >= 400
    # A task deferred to later has not waited yet: counted from when it may run.
    DBTaskResult.objects.update(run_after=timezone.now() - datetime.timedelta(seconds=10))
    assert health(client)[0] == 200


def test_manage_py_runs_the_worker_with_the_heartbeat():
    assert get_commands()["db_worker"] == "ops"


def _worker_env() -> dict:
    db = django_settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    url = f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "cchc_portal.test_settings",
        "DATABASE_URL": url,
        "WORKER_HEARTBEAT_SECONDS": "1",
    }


@pytest.mark.django_db(transaction=True)
def test_a_running_worker_beats_and_its_row_goes_when_it_stops(client):
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--worker-id", "thu-1"],
        cwd=ROOT,
        env=_worker_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        beats = set()
        while len(beats) < 2 and time.monotonic() < deadline:
            beats.update(WorkerHeartbeat.objects.filter(worker_id="thu-1").values_list("beat_at"))
            time.sleep(0.3)
        assert len(beats) >= 2, "the worker did not beat twice"
        [row] = WorkerHeartbeat.objects.all()
        assert row.pid == worker.pid
        assert health(client)[0] == 200
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    assert not WorkerHeartbeat.objects.exists()
    assert health(client)[1]["tasks"] == "no worker"
