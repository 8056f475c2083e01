"""Running Learnward in child processes, as an operator would: one clean environment and one
way to run a command and fail the test with its output.

Used by the tests that start real processes (gunicorn, workers, backups, the upgrade, the cluster).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import learnward

PROJECT_ROOT = Path(learnward.__file__).resolve().parent.parent
# `learnward ...` for the checkout under test (the console script may point at another one).
LEARNWARD = [sys.executable, "-c", "from learnward.cli import main; main()"]


def clean_environment(**settings: str) -> dict[str, str]:
    """This process's environment without any Learnward, Django, AWS, pytest or database setting
    of its own, with this checkout first on the path, then ``settings``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("LEARNWARD_", "DJANGO_", "PYTEST_", "AWS_"))
        and key not in {"DATABASE_URL", "PYTHONPATH", "PYTHONSTARTUP", "PYTHONHOME"}
    }
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    env.update(settings)
    return env


def run_checked(
    command: list[str], *, cwd: Path, env: dict, timeout: int = 300, check: bool = True
) -> subprocess.CompletedProcess:
    """Run ``command``; with ``check``, a non-zero exit fails the test showing its output."""
    done = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if check and done.returncode != 0:
        pytest.fail(
            f"`{' '.join(command[3:] if command[:3] == LEARNWARD else command)}` (cwd {cwd}) "
            f"exited {done.returncode}\n"
            f"--- stdout\n{done.stdout[-4000:]}\n--- stderr\n{done.stderr[-6000:]}"
        )
    return done
