"""Pages read the optional cookies from a short-lived copy in the process, not on every request.

An edit in the admin (or anywhere through the model) is seen on the very next page; an edit that
bypasses the model's signals (a bulk UPDATE, another process) within REGISTER_CACHE_SECONDS.
Answering the banner always reads the database.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learnward.privacy.consent import cookies
from learnward.privacy.consent.models import CookieDefinition

SCRIPT = "https://analytics.example.test/tracker.js"


def _definition(**extra) -> CookieDefinition:
    return CookieDefinition.objects.create(
        name=extra.pop("name", "_pk_id"),
        provider="Matomo",
        purpose="Counts visits so we can see which pages are used.",
        duration="13 months",
        essential=False,
        script_url=SCRIPT,
        **extra,
    )


def _register_queries(ctx) -> int:
    return sum("privacy_cookiedefinition" in q["sql"] for q in ctx.captured_queries)


def test_pages_read_the_register_once_then_from_the_copy(client, db):
    client.get("/verify/")
    with CaptureQueriesContext(connection) as ctx:
        for _ in range(3):
            assert client.get("/verify/").status_code == 200
    assert _register_queries(ctx) == 0


def test_a_saved_definition_shows_the_banner_on_the_next_page(client, db):
    assert b"cookie-banner" not in client.get("/").content
    definition = _definition()
    assert b'class="cookie-banner"' in client.get("/").content
    definition.enabled = False
    definition.save()
    assert b"cookie-banner" not in client.get("/").content
    _definition(name="_other")
    assert b'class="cookie-banner"' in client.get("/").content
    CookieDefinition.objects.filter(name="_other").delete()
    assert b"cookie-banner" not in client.get("/").content


def test_an_edit_without_signals_is_seen_once_the_copy_expires(client, db, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(cookies, "_clock", lambda: now[0])
    definition = _definition(enabled=False)
    assert b"cookie-banner" not in client.get("/").content
    CookieDefinition.objects.filter(pk=definition.pk).update(enabled=True)  # no post_save
    now[0] += cookies.REGISTER_CACHE_SECONDS - 1
    assert b"cookie-banner" not in client.get("/").content
    now[0] += 2
    assert b'class="cookie-banner"' in client.get("/").content


def test_answering_reads_the_register_from_the_database(client, db, monkeypatch):
    definition = _definition()
    page = client.get("/cookies/")
    version = page.context["state"].version
    # Changed behind the copy's back: the answer is about the list as it is now.
    CookieDefinition.objects.filter(pk=definition.pk).update(purpose="Something else entirely.")
    response = client.post("/cookies/", {"choice": "accept", "version": version, "next": "/"})
    assert response.status_code == 409


@pytest.mark.parametrize("method", ["get", "head"])
def test_only_safe_methods_use_the_copy(rf, db, method, monkeypatch):
    calls = []
    monkeypatch.setattr(cookies, "optional_cookies", lambda: calls.append(method) or [])
    cookies.cookie_state(getattr(rf, method)("/"))
    cookies.cookie_state(getattr(rf, method)("/"))
    cookies.cookie_state(rf.post("/"))
    assert calls == [method, method]  # once for the copy, once for the POST
