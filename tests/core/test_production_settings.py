"""Production settings: `check --deploy` is clean, and missing essentials refuse to start."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

LEARNWARD = str(Path(sys.executable).with_name("learnward"))


def run(env_overrides: dict, tmp_path, *args) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("LEARNWARD_", "DJANGO_", "DATABASE_URL", "PYTEST"))
    }
    env.update({"LEARNWARD_DATA_DIR": str(tmp_path), "LEARNWARD_ENV": "production"})
    env.update(env_overrides)
    return subprocess.run(
        [LEARNWARD, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


GOOD = {
    "LEARNWARD_SECRET_KEY": secrets.token_urlsafe(64),
    "LEARNWARD_ALLOWED_HOSTS": "learn.example.org",
    "LEARNWARD_BASE_URL": "https://learn.example.org",
}


def test_check_deploy_has_no_warnings(tmp_path):
    result = run(GOOD, tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output
    assert "WARNING" not in output and "?: (" not in output


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("LEARNWARD_SECRET_KEY", "LEARNWARD_SECRET_KEY must be set"),
        ("LEARNWARD_ALLOWED_HOSTS", "LEARNWARD_ALLOWED_HOSTS must name this site's hosts"),
    ],
)
def test_production_refuses_to_start_without_essentials(tmp_path, missing, message):
    env = {k: v for k, v in GOOD.items() if k != missing}
    result = run(env, tmp_path, "check")
    assert result.returncode == 2
    assert f"learnward: refusing to start: {message}" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_refuses_a_weak_secret_key_and_plain_http(tmp_path):
    weak = run({**GOOD, "LEARNWARD_SECRET_KEY": "changeme"}, tmp_path, "check")
    assert weak.returncode != 0 and "LEARNWARD_SECRET_KEY must be set" in weak.stderr
    http = run({**GOOD, "LEARNWARD_BASE_URL": "http://learn.example.org"}, tmp_path, "check")
    assert http.returncode != 0 and "https://" in http.stderr
