import pytest
from django.utils import timezone

from ops.models import WorkerHeartbeat

# A report with a published template, shared with the workflow tests.
from tests.reports.test_workflow import report  # noqa: F401


@pytest.fixture
def worker_alive(db):
    """A worker that beat a moment ago, as a running `db_worker` keeps doing."""
    now = timezone.now()
    return WorkerHeartbeat.objects.create(
        worker_id="may-1-1", host="may", pid=1, started_at=now, beat_at=now
    )
