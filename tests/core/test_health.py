"""/healthz and /readyz: cheap, never rate-limited or redirected, and saying nothing but ok."""

from __future__ import annotations

import logging

import pytest
from django.db import connection

from learnward.core import health

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _forget_migration_state(monkeypatch):
    monkeypatch.setattr(health, "_migrations_done", False)


def test_healthz_answers_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response  # no session, no CSRF cookie: nothing ran after it


def test_readyz_is_ok_when_database_cache_and_storage_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_probes_are_not_rate_limited_or_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True  # production's redirect: probes speak plain HTTP
    for _ in range(200):
        assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/").status_code == 301  # an ordinary page is still redirected


def test_only_get_and_head(client):
    assert client.head("/healthz").status_code == 200
    response = client.post("/readyz")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_a_database_with_an_unapplied_migration_is_not_ready(client, caplog):
    caplog.set_level(logging.WARNING, logger="learnward.core.health")
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM django_migrations WHERE app = %s AND name = %s",
            ["certificates", "0001_initial"],
        )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"unavailable\n"  # no details for the public ...
    assert "database" in caplog.text and "RuntimeError" in caplog.text  # ... the log says which


def test_an_unreachable_cache_is_not_ready(client, settings, unused_tcp_port, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{unused_tcp_port}/0",
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"unavailable\n"
    assert "readiness check failed: cache" in caplog.text


def test_unreachable_storage_is_not_ready(client, settings, unused_tcp_port, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "nowhere",
                "endpoint_url": f"http://127.0.0.1:{unused_tcp_port}",
                "region_name": "eu-west-2",
            },
        },
    }
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"unavailable\n"


def test_the_redis_cache_is_ready_when_redis_answers(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
        }
    }
    assert client.get("/readyz").status_code == 200
