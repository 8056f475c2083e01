"""Persistent database connections on both databases (LEARNWARD_DB_CONN_MAX_AGE)."""

from __future__ import annotations

import json

import pytest

from tests.settings_support import import_settings

SHOW = (
    "import json, learnward.settings as s; d = s.DATABASES['default']; "
    "print(json.dumps([d['ENGINE'], d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS']]))"
)


def _database(environ: dict[str, str]) -> list:
    result = import_settings({"LEARNWARD_ENV": "development", **environ}, SHOW)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("url", "engine"),
    [
        ("", "django.db.backends.sqlite3"),
        ("postgres://postgres@127.0.0.1:5432/learnward", "django.db.backends.postgresql"),
    ],
)
def test_connections_are_kept_600_seconds_and_checked_before_reuse(url, engine, tmp_path):
    environ = {
        "DATABASE_URL": url,
        "LEARNWARD_DATA_DIR": str(tmp_path),
        "LEARNWARD_DB_CONN_MAX_AGE": "",
    }
    assert _database(environ) == [engine, 600, True]
    assert _database({**environ, "LEARNWARD_DB_CONN_MAX_AGE": "0"}) == [engine, 0, True]
