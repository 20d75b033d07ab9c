import datetime
import json
from pathlib import Path

import pytest

from reports.demo import load_periods, load_seed_report, load_templates

SEED_REPORTS = Path(__file__).resolve().parents[2] / "fixtures" / "demo_reports"


@pytest.fixture
def seed_report(demo_units):
    """Load one seed report (fixtures/demo_reports/<name>.json) with the demo templates."""
    load_periods(datetime.date(2026, 11, 22))
    load_templates()

    def load(name: str):
        data = json.loads((SEED_REPORTS / f"{name}.json").read_text(encoding="utf-8"))
        return load_seed_report(data)

    return load
