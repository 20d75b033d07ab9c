"""The deadline rush (issue 14): 100 users, think time 2-8 s; requests 50% the entry page of a
draft's largest appendix, 20% the report overview, 20% autosave (one changed value sent as the
browser sends it: the row's inputs and the part's version), 10% the Sở Nội vụ dashboard.
Against gunicorn on PostgreSQL with DEBUG off, on 127.0.0.1 only; bounded: 20 s ramp-up, 60 s
measured (locust's figures are reset when the ramp-up ends).

Each simulated staff member works in a department of their own, on their own filled draft, as
on the deadline day; benchmarks/rush_setup.py creates those departments, drafts and logged-in
sessions (the whole procedure is in docs/benchmarks.md):

    .venv/bin/python benchmarks/rush_setup.py --departments 90 --output /tmp/rush-sessions.json
    SESSIONS=/tmp/rush-sessions.json .venv/bin/locust -f benchmarks/locustfile.py --headless \\
      -H http://127.0.0.1:8014 -u 100 -r 5 -t 80s --csv /tmp/rush --only-summary
"""

import itertools
import json
import os
import re
from pathlib import Path

from locust import HttpUser, between, events, task

SESSIONS = json.loads(Path(os.environ.get("SESSIONS", "/tmp/rush-sessions.json")).read_text())
RAMP_SECONDS = 20
_accounts = itertools.cycle(SESSIONS["staff"])


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


def use_session(user, cookies: dict):
    for name, value in cookies.items():
        user.client.cookies.set(name, value)


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    return match.group(1) if match else ""


def hidden_name(tag: str) -> str:
    match = re.search(r'name="([^"]*)"', tag)
    return match.group(1) if match else ""


class Staff(HttpUser):
    weight = 9
    wait_time = between(2, 8)

    def on_start(self):
        account = next(_accounts)
        use_session(self, account["cookies"])
        self.token = account["cookies"]["csrftoken"]
        self.report = account["report"]
        self.appendix = account["appendix"]
        self.entry = f"/bao-cao/{self.report}/phu-luc/{self.appendix}/"
        page = self.entry_page()
        self.version = hidden(page.text, "part_version")
        # Whole-number inputs, so the typed values are valid (rules may still warn, as they would).
        inputs = re.findall(r"<input[^>]*>", page.text)
        names = [hidden_name(tag) for tag in inputs if 'data-type="integer"' in tag]
        prefix = f"{self.appendix}-v-"
        self.rows = [name.removeprefix(prefix) for name in names if name.startswith(prefix)]
        self.count = 0

    @task(50)
    def entry_page(self):
        return self.client.get(self.entry, name="entry page")

    @task(20)
    def overview(self):
        self.client.get(f"/bao-cao/{self.report}/", name="overview")

    @task(20)
    def autosave(self):
        self.count += 1
        code = self.rows[self.count % len(self.rows)]
        answer = self.client.post(
            self.entry,
            {
                "part_version": self.version,
                "delta": code,
                f"{self.appendix}-v-{code}": str(self.count),
                f"{self.appendix}-note-{code}": "",
            },
            headers={
                "X-Autosave": "1",
                "X-Autosave-Delta": "1",
                "X-CSRFToken": self.token,
                "Referer": self.host + self.entry,
            },
            name="autosave (delta)",
        )
        if answer.ok:
            version = answer.json().get("version")
            self.version = str(version) if version is not None else self.version


class Reviewer(HttpUser):
    weight = 1
    wait_time = between(2, 8)

    def on_start(self):
        use_session(self, SESSIONS["reviewer"]["cookies"])

    @task
    def dashboard(self):
        self.client.get("/bang-theo-doi/", name="dashboard")
