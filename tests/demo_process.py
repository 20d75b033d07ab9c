"""scripts/demo as a person starts it, on a SQLite file of the test's own: what it prints, and a
plain HTTP client (cookies, CSRF) for its server."""

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from demo.loader import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parent.parent
LAST_LOGIN = "gialai.lanhdaotinh"  # the last line of the logins table


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DemoProcess:
    """`scripts/demo PORT` with its output (stdout and stderr, as a terminal shows them) kept
    line by line. SKIP_INSTALL: the machine is set up already; nothing is installed."""

    def __init__(self, folder: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database = folder / "demo.sqlite3"
        self.mail_log = folder / "mail.log"
        self.lines: list[str] = []
        self.env = {
            "PATH": os.environ["PATH"],
            "HOME": os.environ.get("HOME", "/root"),
            "SKIP_INSTALL": "1",
            "DATABASE_URL": f"sqlite:///{self.database}",
            "MAIL_LOG_FILE": str(self.mail_log),
        }
        self.process = subprocess.Popen(
            [str(ROOT / "scripts" / "demo"), str(self.port)],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float = 300) -> int:
        """Index of the first output line containing `text`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for i, line in enumerate(list(self.lines)):
                if text in line:
                    return i
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"scripts/demo never printed {text!r}:\n" + "\n".join(self.lines))

    def manage(self, *args) -> str:
        """A manage.py command on the demo's database (as an administrator would run it)."""
        env = {**self.env, "DEBUG": "1", "DEMO_MODE": "1"}
        result = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "python"), "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def report_id(self, province: str, period: str, unit: str, state: str = "") -> int:
        """A demo report's id by its unit's name (start) and state, from `list_reports`."""
        listing = self.manage("list_reports", "--province", province, "--period", period)
        for line in listing.splitlines():
            pk, name, _period, _kind, _revision, current = line.split("\t")
            if name.startswith(unit) and state in ("", current):
                return int(pk)
        raise AssertionError(f"no {state} report of {unit} for {period}:\n{listing}")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Response:
    def __init__(self, status: int, body: str, headers):
        self.status, self.text, self.headers = status, body, headers

    def json(self):
        return json.loads(self.text)


class DemoClient:
    """One signed-in person: a cookie jar, the CSRF token from its cookie, redirects not followed
    (a redirect is the answer a test looks at)."""

    def __init__(self, base_url: str):
        self.base = base_url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect
        )

    def request(self, method: str, path: str, data=None, headers=None) -> Response:
        body = None
        headers = dict(headers or {})
        if method == "POST":
            fields = list(data.items()) if isinstance(data, dict) else list(data or [])
            fields.append(("csrfmiddlewaretoken", self.csrf_token()))
            body = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(self.base + path, data=body, method=method)
        for name, value in headers.items():
            request.add_header(name, value)
        try:
            with self.opener.open(request, timeout=120) as answer:
                return Response(answer.status, answer.read().decode(), answer.headers)
        except urllib.error.HTTPError as error:
            return Response(error.code, error.read().decode(errors="replace"), error.headers)

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data, **kwargs) -> Response:
        return self.request("POST", path, data, **kwargs)

    def csrf_token(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def log_in(self, username: str, password: str = DEMO_PASSWORD) -> "DemoClient":
        self.get("/dang-nhap/")
        answer = self.post("/dang-nhap/", {"username": username, "password": password})
        assert answer.status == 302, f"{username} could not log in: {answer.status}"
        return self


def first_match(pattern: str, text: str) -> str:
    found = re.search(pattern, text)
    assert found, f"{pattern!r} not found"
    return found.group(1) if found.groups() else found.group(0)
