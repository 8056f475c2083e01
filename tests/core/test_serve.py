"""`learnward deploy` and `learnward serve`: gunicorn in production mode, as an operator runs it.

Each test starts real processes on 127.0.0.1 (a free port) with a private data directory, and
stops them.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.processes import LEARNWARD, clean_environment, run_checked


def production_env(data_dir: Path, port: int, **extra: str) -> dict:
    settings = dict(
        LEARNWARD_ENV="production",
        LEARNWARD_SECRET_KEY=secrets.token_urlsafe(64),
        LEARNWARD_ALLOWED_HOSTS="127.0.0.1",
        LEARNWARD_BASE_URL="https://learn.example.test",
        LEARNWARD_DATA_DIR=str(data_dir),
        LEARNWARD_BIND=f"127.0.0.1:{port}",
        LEARNWARD_WEB_WORKERS="2",
        LEARNWARD_TASK_BACKEND="django_tasks.backends.dummy.DummyBackend",
    )
    return clean_environment(**{**settings, **extra})


def learnward_command(*args: str, env: dict, timeout: int = 120) -> subprocess.CompletedProcess:
    cwd = Path(env["LEARNWARD_DATA_DIR"])
    return run_checked([*LEARNWARD, *args], cwd=cwd, env=env, timeout=timeout, check=False)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def get(url: str, **headers: str):
    """One request, redirects not followed (a 301 is an answer here)."""
    request = urllib.request.Request(url, headers=headers)
    try:
        return _opener.open(request, timeout=10)
    except urllib.error.HTTPError as error:
        return error


@pytest.fixture
def data_dir(tmp_path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


def test_an_unsafe_production_configuration_refuses_to_serve(data_dir, unused_tcp_port):
    env = production_env(data_dir, unused_tcp_port, LEARNWARD_SECRET_KEY="short")
    result = learnward_command("serve", env=env)
    assert result.returncode == 2
    assert result.stderr.startswith("learnward: refusing to start: LEARNWARD_SECRET_KEY")
    assert "Traceback" not in result.stderr


def test_serve_refuses_until_deployed(data_dir, unused_tcp_port):
    env = production_env(data_dir, unused_tcp_port)
    result = learnward_command("serve", "--check-only", env=env)
    assert result.returncode == 1
    assert "missing migrations: run `learnward deploy`" in result.stderr
    assert "static files have not been collected" in result.stderr
    assert "Traceback" not in result.stderr


def test_deploy_then_serve_behind_a_proxy(data_dir, unused_tcp_port):
    env = production_env(data_dir, unused_tcp_port, LEARNWARD_SSL_REDIRECT="true")
    deployed = learnward_command("deploy", env=env, timeout=300)
    assert deployed.returncode == 0, deployed.stderr
    assert "Ready to serve" in deployed.stdout
    manifest = json.loads((data_dir / "static" / "staticfiles.json").read_text())
    hashed_css = manifest["paths"]["learnward/site.css"]
    assert hashed_css != "learnward/site.css"  # content-hashed name

    log = data_dir / "serve.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [*LEARNWARD, "serve"],
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            cwd=data_dir,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{unused_tcp_port}"
    try:
        for _ in range(200):
            try:
                if get(base + "/healthz").status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("the server did not start:\n" + log.read_text())

        # Probes answer plain HTTP; pages insist on HTTPS unless the proxy says it was HTTPS.
        assert get(base + "/readyz").status == 200
        assert get(base + "/").status == 301
        page = get(base + "/", **{"X-Forwarded-Proto": "https", "X-Request-ID": "probe-1"})
        assert page.status == 200
        assert page.headers["X-Request-ID"] == "probe-1"
        assert page.headers["Strict-Transport-Security"].startswith("max-age=31536000")
        body = page.read().decode()
        assert f"/static/{hashed_css}" in body

        # Static files: WhiteNoise, compressed, cached for a year, never redirected.
        static = get(
            base + f"/static/{hashed_css}",
            **{"Accept-Encoding": "gzip", "X-Forwarded-Proto": "https"},
        )
        assert static.status == 200
        assert static.headers["Content-Encoding"] == "gzip"
        assert "immutable" in static.headers["Cache-Control"]
        assert "max-age=315360000" in static.headers["Cache-Control"]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    requests = [line for line in lines if line["logger"] == "learnward.request"]
    assert any(
        r["request_id"] == "probe-1" and r["route"] == "" and r["status"] == 200 for r in requests
    ), requests
    assert all(
        set(r) >= {"time", "request_id", "method", "route", "status", "duration_ms"}
        for r in requests
    )
    assert "/healthz" not in log.read_text()  # probes are not logged, paths never are


def test_a_command_before_the_database_exists_says_what_to_run(data_dir, unused_tcp_port):
    env = production_env(data_dir, unused_tcp_port, LEARNWARD_ENV="development")
    result = learnward_command("privacy_registry", "--format", "json", env=env)
    assert result.returncode == 2
    assert result.stderr == (
        "learnward: the database has no tables yet: run `learnward migrate` (then `learnward "
        "demo` for demonstration data), or `make run` in a development checkout\n"
    )
    unreachable = learnward_command(
        "audit_verify",
        env={**env, "DATABASE_URL": f"postgres://postgres@127.0.0.1:{unused_tcp_port}/x"},
    )
    assert unreachable.returncode == 2
    assert "the database cannot be reached: check DATABASE_URL" in unreachable.stderr
    assert "Traceback" not in unreachable.stderr
