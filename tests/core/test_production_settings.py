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


# --- the secret key and the allowed hosts (settings imported in a fresh interpreter) ---------------

PRODUCTION = {**GOOD, "LEARNWARD_ENV": "production", "LEARNWARD_ALLOW_ANY_HOST": ""}


def _import(**overrides: str):
    from tests.settings_support import import_settings

    return import_settings(
        {**PRODUCTION, **overrides},
        "import learnward.settings as s; print(s.SECRET_KEY_MIN_DISTINCT, s.ALLOWED_HOSTS)",
    )


def _refused(result, message: str) -> bool:
    return result.returncode != 0 and message in result.stderr


GUESSABLE = {
    "5 different, 60 long (Django's own check accepts it)": lambda: "abcde" * 12,
    "9 different, 50 long": lambda: "012345678" + "0" * 41,
    "12 different, one short string repeated": lambda: "abcdefghijkl" * 5,
    "26 different, half of it repeated": lambda: "a1B2c3D4e5F6g7H8i9J0kLmNoP" * 2,
    "what startproject writes": lambda: "django-insecure-" + secrets.token_urlsafe(48),
    "one short of 50": lambda: secrets.token_urlsafe(64)[:49],
}
RANDOM = {
    "exactly 50 long and 10 different (the boundary)": lambda: "0123456789" + "0" * 40,
    "50 random hex digits": lambda: secrets.token_hex(25),
    "token_urlsafe(64)": lambda: secrets.token_urlsafe(64),
}


@pytest.mark.parametrize("kind", list(GUESSABLE))
def test_production_refuses_a_guessable_secret_key(kind):
    result = _import(LEARNWARD_SECRET_KEY=GUESSABLE[kind]())
    assert _refused(result, "LEARNWARD_SECRET_KEY must be set to a random value"), result.stderr
    assert "at least 10 different" in result.stderr


@pytest.mark.parametrize("kind", list(RANDOM))
def test_production_accepts_a_random_secret_key(kind):
    result = _import(LEARNWARD_SECRET_KEY=RANDOM[kind]())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "10"


@pytest.mark.parametrize("hosts", ["*", "learn.example.org,*", " * "])
def test_production_refuses_any_host_without_the_override(hosts):
    result = _import(LEARNWARD_ALLOWED_HOSTS=hosts)
    assert _refused(result, "not '*' (any host): set LEARNWARD_ALLOW_ANY_HOST=true"), result.stderr


def test_production_accepts_any_host_with_the_explicit_override():
    result = _import(LEARNWARD_ALLOWED_HOSTS="*", LEARNWARD_ALLOW_ANY_HOST="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("['*']")
    off = _import(LEARNWARD_ALLOWED_HOSTS="*", LEARNWARD_ALLOW_ANY_HOST="false")
    assert _refused(off, "LEARNWARD_ALLOW_ANY_HOST=true")


def test_a_subdomain_pattern_is_not_any_host():
    result = _import(LEARNWARD_ALLOWED_HOSTS=".example.org")
    assert result.returncode == 0, result.stderr


def test_the_refusal_names_the_override_when_starting(tmp_path):
    result = run({**GOOD, "LEARNWARD_ALLOWED_HOSTS": "*"}, tmp_path, "check")
    assert result.returncode == 2
    assert "learnward: refusing to start: LEARNWARD_ALLOWED_HOSTS must name" in result.stderr
    assert "Traceback" not in result.stderr


def test_development_does_not_ask_for_a_production_key():
    from tests.settings_support import import_settings

    result = import_settings(
        {"LEARNWARD_ENV": "development", "LEARNWARD_SECRET_KEY": "", "LEARNWARD_ALLOWED_HOSTS": "*"}
    )
    assert result.returncode == 0, result.stderr
