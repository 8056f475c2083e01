"""Settings are read once per process: a test of what the environment does to them imports
``learnward.settings`` in a fresh interpreter."""

from __future__ import annotations

import os
import subprocess
import sys


def import_settings(
    environ: dict[str, str], code: str = "import learnward.settings"
) -> subprocess.CompletedProcess:
    """Run ``code`` in a new interpreter with ``environ`` added to this one's environment."""
    return subprocess.run(  # noqa: S603 - our own interpreter and settings module
        [sys.executable, "-c", code],
        env={**os.environ, **environ},
        capture_output=True,
        text=True,
        check=False,
    )
