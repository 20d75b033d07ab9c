"""scripts/serve keeps the portal up: a worker killed or PostgreSQL restarted, the web never
stops, the worker comes back, and /healthz answers 200 again soon after the database does.

Runs scripts/serve for real against a PostgreSQL cluster the test owns (initdb on a free port,
as scripts/test does), so stopping it disturbs nobody else."""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg2
import pytest

from tests.ops.test_backup_restore import ROOT

PG_BIN = (
    Path(sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1])
    if Path("/usr/lib/postgresql").exists()
    else None
)
pytestmark = pytest.mark.skipif(
    PG_BIN is None or os.geteuid() != 0, reason="needs PostgreSQL's server binaries and root"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A throwaway PostgreSQL cluster run by the postgres user."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="cchc-serve-pg."))
        shutil.chown(self.dir, "postgres")
        self.port = free_port()
        self.as_postgres("initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "-E", "UTF8")

    @property
    def data(self) -> str:
        return str(self.dir / "data")

    def as_postgres(self, tool, *args):
        subprocess.run(
            ["runuser", "-u", "postgres", "--", str(PG_BIN / tool), *args],
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self):
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.dir / "log")
        self.as_postgres("pg_ctl", "-D", self.data, "-l", log, "-w", "-o", options, "start")

    def stop(self):
        self.as_postgres("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def remove(self):
        with contextlib.suppress(subprocess.SubprocessError):
            self.as_postgres("pg_ctl", "-D", self.data, "-m", "immediate", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)

    def query(self, sql):
        conn = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="cchc")
        try:
            with conn.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchall()
        finally:
            conn.close()


def healthz(port) -> tuple[int | None, dict]:
    """(status, answer); None when nothing answers on the port."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None, {}


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"not within {seconds} s: {what}")


@pytest.fixture
def cluster():
    cluster = Cluster()
    try:
        cluster.start()
        cluster.as_postgres("createdb", "-h", "127.0.0.1", "-p", str(cluster.port), "cchc")
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def serve(cluster, tmp_path):
    port = free_port()
    log = open(tmp_path / "serve.log", "w")  # noqa: SIM115
    env = {
        "PATH": os.environ["PATH"],
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{cluster.port}/cchc",
        "SECRET_KEY": "serve-test-" + "k3y-w1th-3ntr0py-" * 4,
        "ALLOWED_HOSTS": "cchc.example.gov.vn",
        "SITE_URL": "https://cchc.example.gov.vn",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "WORKERS": "1",
        "WORKER_HEARTBEAT_SECONDS": "1",
        "WORKER_STALE_SECONDS": "5",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    process = subprocess.Popen(
        [str(ROOT / "scripts" / "serve")],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:

        def up():
            # A script that refused to start fails the test now, not after the whole wait.
            assert process.poll() is None, (tmp_path / "serve.log").read_text()[-2000:]
            return healthz(port)[0] == 200

        wait_for(up, 400, "scripts/serve answers /healthz with 200")
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()
        print((tmp_path / "serve.log").read_text()[-4000:])


def worker_pids(cluster) -> set[int]:
    return {pid for (pid,) in cluster.query("SELECT pid FROM ops_workerheartbeat")}


def test_a_killed_worker_is_started_again_and_the_web_never_stops(cluster, serve):
    [first] = worker_pids(cluster)
    os.kill(first, signal.SIGKILL)
    started = time.monotonic()
    while time.monotonic() - started < 8:
        assert healthz(serve)[0] is not None, "the web stopped with the worker"
        time.sleep(0.5)
    new = wait_for(lambda: worker_pids(cluster) - {first}, 30, "a new worker beats")
    assert new and first not in new
    wait_for(lambda: healthz(serve)[0] == 200, 30, "/healthz 200 with the new worker")


def test_healthz_answers_200_within_30_s_of_postgresql_coming_back(cluster, serve):
    cluster.stop()
    status, answer = wait_for(
        lambda: (s := healthz(serve))[0] == 503 and s, 30, "/healthz 503 while PostgreSQL is down"
    )
    assert answer["database"] == "error"
    time.sleep(10)  # long enough for the worker and gunicorn to meet the broken connection
    assert healthz(serve)[0] == 503, "the web must keep answering while the database is down"
    cluster.start()
    back = time.monotonic()
    wait_for(lambda: healthz(serve)[0] == 200, 30, "/healthz 200 after PostgreSQL is back")
    print(f"/healthz 200 {time.monotonic() - back:.1f} s after PostgreSQL came back")
