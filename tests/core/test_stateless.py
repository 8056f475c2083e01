"""The public verification API skips the middleware that only pages for people need."""

from __future__ import annotations

import logging

import pytest
from django.conf import settings as django_settings

from learnward.certificates.codes import format_code, new_code

pytestmark = pytest.mark.django_db

MIDDLEWARE_BEFORE = [
    "learnward.core.health.HealthCheckMiddleware",
    "learnward.core.requestlog.RequestLogMiddleware",
    "learnward.core.proxy.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "learnward.core.stateless.StatelessRoutesMiddleware",
]


def _unknown() -> str:
    return f"/api/v1/certificates/{format_code(new_code())}"


def test_it_sits_after_the_first_four_and_only_the_verification_api_is_stateless():
    assert django_settings.MIDDLEWARE[:5] == MIDDLEWARE_BEFORE
    assert django_settings.STATELESS_PATH_PREFIXES == ["/api/v1/certificates/"]


def test_the_api_answers_without_session_csrf_or_page_headers(client):
    client.cookies["sessionid"] = "anything"  # a browser that is signed in elsewhere on the site
    response = client.get(_unknown())
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert "Cookie" not in response.get("Vary", "")
    assert "Content-Language" not in response
    assert not response.cookies
    assert response["X-Content-Type-Options"] == "nosniff"  # SecurityMiddleware still runs
    assert response["X-Request-ID"]  # and the request log
    assert response["Access-Control-Allow-Origin"] == "*"


def test_pages_still_go_through_the_whole_stack(client):
    response = client.get("/verify/")
    assert response.status_code == 200
    assert "Content-Security-Policy" in response
    assert response["X-Frame-Options"] == "DENY"
    assert "Cookie" in response["Vary"]


def test_the_docs_page_under_the_api_keeps_its_content_security_policy(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert "Content-Security-Policy" in response


def test_an_unknown_host_is_still_refused(client):
    response = client.get(_unknown(), HTTP_HOST="evil.example")
    assert response.status_code == 400


def test_https_is_still_enforced(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(_unknown())
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_the_request_log_still_names_the_route(client, caplog):
    caplog.set_level(logging.INFO, logger="learnward.request")
    response = client.get(_unknown())
    [record] = [r for r in caplog.records if r.name == "learnward.request"]
    assert record.route == "api/v1/certificates/<code>"
    assert record.status == response.status_code == 404


def test_a_view_error_is_a_500_page_as_elsewhere(client, monkeypatch):
    from learnward.certificates import api

    def broken(**_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(api, "certificate_verify", broken)
    client.raise_request_exception = False
    response = client.get(_unknown())
    assert response.status_code == 500
