"""LEARNWARD_INSIGHTS_MIN_COUNT: a threshold below 2 would suppress nothing; it stops start-up."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

LEARNWARD = str(Path(sys.executable).with_name("learnward"))


def check(value: str, tmp_path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LEARNWARD_", "PYTEST"))}
    env.update({"LEARNWARD_DATA_DIR": str(tmp_path), "LEARNWARD_INSIGHTS_MIN_COUNT": value})
    return subprocess.run(
        [LEARNWARD, "check"], env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1", "LEARNWARD_INSIGHTS_MIN_COUNT must be at least 2"),
        ("five", "LEARNWARD_INSIGHTS_MIN_COUNT must be a whole number"),
    ],
)
def test_a_bad_threshold_stops_start_up(tmp_path, value, message):
    result = check(value, tmp_path)
    assert result.returncode != 0
    assert message in result.stderr


def test_a_higher_threshold_is_accepted(tmp_path):
    result = check("10", tmp_path)
    assert result.returncode == 0, result.stderr
