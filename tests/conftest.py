import datetime
import json
import os
from pathlib import Path

import pytest

from tests.factories import Cast

# Django's live_server runs in a thread next to sync Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
SEED_REPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "demo_reports"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium instead of a downloaded build; no network beyond localhost here.
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Reduced motion: Bootstrap then skips its transitions, so axe-core never measures the
    # contrast of a button halfway through its hover fade.
    return {
        **browser_context_args,
        "locale": "vi-VN",
        "timezone_id": "Asia/Ho_Chi_Minh",
        "reduced_motion": "reduce",
    }


@pytest.fixture
def cast(db) -> Cast:
    return Cast.create()


@pytest.fixture
def demo_units(db):
    """The demo's provinces and departments (the seed provinces and their successors)."""
    from demo.loader import load_units

    load_units()


@pytest.fixture
def seed_report(demo_units):
    """Load one seed report (fixtures/demo_reports/<name>.json) with the demo templates."""
    from demo.loader import load_periods, load_seed_report, load_templates

    load_periods(datetime.date(2026, 11, 22))
    load_templates()

    def load(name: str):
        data = json.loads((SEED_REPORTS / f"{name}.json").read_text(encoding="utf-8"))
        return load_seed_report(data)

    return load
