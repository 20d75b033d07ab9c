"""The deadline rush (issue 14): 100 users, think time 2-8 s; requests 50% the entry page of a
draft's largest appendix, 20% the report overview, 20% autosave (one row as a delta), 10% the
Sở Nội vụ dashboard. Against gunicorn on PostgreSQL with DEBUG off, on 127.0.0.1 only; bounded:
20 s ramp-up, 60 s measured (locust's figures are reset when the ramp-up ends).

    # a PostgreSQL database with the demo (load_demo needs DEMO_MODE=1), then, DEBUG off:
    DEBUG=0 DEMO_MODE=0 SECRET_KEY=... ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 \\
      SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 DATABASE_URL=postgres://.../cchc_perf_load \\
      .venv/bin/gunicorn cchc_portal.wsgi:application --bind 127.0.0.1:8014 --workers 5
    REPORT=<draft pk> APPENDIX=<code> STAFF=<username> REVIEWER=<username> \\
      .venv/bin/locust -f benchmarks/locustfile.py --headless -H http://127.0.0.1:8014 \\
      -u 100 -r 5 -t 80s --csv /tmp/rush --only-summary

Every demo account's password is reports.demo.DEMO_PASSWORD; one login per account is shared
by its simulated users (see log_in). Autosave sends no part version,
as imports do, so 100 users saving the same draft do not conflict with each other.
"""

import os
import re

from gevent.lock import BoundedSemaphore
from locust import HttpUser, between, events, task

REPORT = os.environ.get("REPORT", "1")
APPENDIX = os.environ.get("APPENDIX", "pl2")
STAFF = os.environ.get("STAFF", "gialai.chuyenvien")
REVIEWER = os.environ.get("REVIEWER", "gialai.thamdinh")
PASSWORD = os.environ.get("PASSWORD", "demo12345")
RAMP_SECONDS = 20


@events.init.add_listener
def _reset_after_ramp(environment, **_kwargs):
    """Measure the 60 s after the ramp-up only."""
    if environment.runner is None:
        return
    import gevent

    def reset():
        gevent.sleep(RAMP_SECONDS)
        environment.runner.stats.reset_all()

    gevent.spawn(reset)


_sessions: dict[str, dict] = {}
_login_lock = BoundedSemaphore()


def log_in(user, username):
    """One real login per account, its cookies shared by that account's simulated users: on
    the deadline day people log in over the morning, not 100 at once (each login hashes a
    password, ~0.5 s of a core), and the scenario measures the pages, not a login storm."""
    with _login_lock:
        if username not in _sessions:
            _sessions[username] = _real_login(user, username)
            return
    for name, value in _sessions[username].items():
        user.client.cookies.set(name, value)


def _real_login(user, username) -> dict:
    page = user.client.get("/dang-nhap/", name="login page")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    user.client.post(
        "/dang-nhap/",
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": user.host + "/dang-nhap/"},
        name="login",
    )
    return user.client.cookies.get_dict()


class Staff(HttpUser):
    weight = 9
    wait_time = between(2, 8)

    def on_start(self):
        log_in(self, STAFF)
        self.entry = f"/bao-cao/{REPORT}/phu-luc/{APPENDIX}/"
        page = self.client.get(self.entry, name="entry page")
        self.token = _sessions[STAFF].get("csrftoken", "")
        self.row = re.search(r'data-indicator="([^"]+)"', page.text).group(1)
        self.count = 0

    @task(50)
    def entry_page(self):
        self.client.get(self.entry, name="entry page")

    @task(20)
    def overview(self):
        self.client.get(f"/bao-cao/{REPORT}/", name="overview")

    @task(20)
    def autosave(self):
        self.count += 1
        self.client.post(
            self.entry,
            {"delta": self.row, f"{APPENDIX}-v-{self.row}": "", f"{APPENDIX}-note-{self.row}": ""},
            headers={
                "X-Autosave": "1",
                "X-Autosave-Delta": "1",
                "X-CSRFToken": self.token,
                "Referer": self.host + self.entry,
            },
            name="autosave (delta)",
        )


class Reviewer(HttpUser):
    weight = 1
    wait_time = between(2, 8)

    def on_start(self):
        log_in(self, REVIEWER)

    @task
    def dashboard(self):
        self.client.get("/bang-theo-doi/", name="dashboard")
