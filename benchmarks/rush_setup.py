"""Prepares the deadline-rush scenario (benchmarks/locustfile.py) on a database with the demo:
DEPARTMENTS extra departments in the demo's Gia Lai, each with its own staff account and its own
filled draft for the open year (every appendix filled, as the demo fills its reports), and a
logged-in session for each of them and for the Gia Lai reviewer, written to a JSON file locust
reads. On the deadline day each department works on its own report and people log in over the
morning: the scenario measures pages and saves, not 100 password hashes in the same second.

    # same environment as the gunicorn under test (DATABASE_URL, SECRET_KEY, DEBUG=0 ...)
    .venv/bin/python benchmarks/rush_setup.py --departments 90 --output /tmp/rush-sessions.json

Idempotent: departments and drafts that exist are kept; sessions are created anew each run.
"""

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402

from demo.loader import _demo_report  # noqa: E402
from indicators.models import AppendixKind  # noqa: E402
from org.models import Role, Unit, UnitKind, User  # noqa: E402
from reports.models import Period, Report  # noqa: E402
from reports.selectors import report_appendices  # noqa: E402

PROVINCE = "gia-lai"
REVIEWER = "gialai.thamdinh"
BACKEND = "org.permissions.RoleBackend"
CSRF_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def session_cookies(user: User) -> dict:
    """The cookies of a logged-in browser: a stored session and a CSRF secret."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return {
        settings.SESSION_COOKIE_NAME: session.session_key,
        settings.CSRF_COOKIE_NAME: get_random_string(32, CSRF_CHARS),
    }


def department(province: Unit, number: int) -> tuple[Unit, User]:
    unit, _ = Unit.objects.get_or_create(
        code=f"{province.code}-rush-{number:03}",
        defaults={
            "name": f"Sở thử tải số {number} tỉnh Gia Lai",
            "short_name": f"STT{number}",
            "header_name": f"SỞ THỬ TẢI SỐ {number}",
            "kind": UnitKind.DEPARTMENT,
            "parent": province,
            "province": province,
            "valid_from": province.valid_from,
        },
    )
    staff, created = User.objects.get_or_create(
        username=f"rush.{number:03}", defaults={"role": Role.STAFF, "unit": unit}
    )
    if created:
        staff.set_unusable_password()
        staff.save()
    return unit, staff


def largest_indicator_appendix(report: Report) -> str:
    appendices = [a for a in report_appendices(report) if a.kind == AppendixKind.INDICATORS]
    return max(appendices, key=lambda a: len(a.indicators.all())).code


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--departments", type=int, default=90)
    parser.add_argument("--output", default="/tmp/rush-sessions.json")
    args = parser.parse_args()

    province = Unit.objects.get(code=PROVINCE)
    period = Period.objects.filter(kind="Y", is_open=True).order_by("-year").first()
    staff = []
    for number in range(1, args.departments + 1):
        unit, user = department(province, number)
        report = Report.objects.filter(unit=unit, period=period).first()
        if report is None:
            report = _demo_report(unit, period, user, number=number)
        staff.append(
            {
                "username": user.username,
                "report": report.pk,
                "appendix": largest_indicator_appendix(report),
                "cookies": session_cookies(user),
            }
        )
        print(f"{user.username}: report {report.pk}", flush=True)
    reviewer = User.objects.get(username=REVIEWER)
    data = {
        "staff": staff,
        "reviewer": {"username": REVIEWER, "cookies": session_cookies(reviewer)},
    }
    Path(args.output).write_text(json.dumps(data, indent=1))
    print(f"{len(staff)} departments, sessions in {args.output}")


if __name__ == "__main__":
    main()
