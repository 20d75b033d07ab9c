"""manage.py as a process of its own, as administrators, systemd and scripts/serve start it."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, env: dict, timeout: int = 120) -> subprocess.CompletedProcess:
    """Only PATH and `env` reach the process: nothing of the test run's settings leaks in."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
