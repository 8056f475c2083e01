"""The cookie register, the banner and the cookie choice as a consent record."""

import pytest
from django.core import signing

from learnward.privacy.consent.cookies import (
    CHOICE_COOKIE,
    banner_text,
    cookie_register,
    optional_cookies,
)
from learnward.privacy.consent.models import ConsentRecord, CookieDefinition

SCRIPT = "https://analytics.example.test/tracker.js"


@pytest.fixture
def analytics(db):
    return CookieDefinition.objects.create(
        name="_pk_id",
        provider="Matomo",
        purpose="Counts visits so we can see which pages are used.",
        duration="13 months",
        essential=False,
        script_url=SCRIPT,
    )


def test_the_register_lists_the_sites_own_essential_cookies(db, settings):
    names = {entry.name: entry for entry in cookie_register()}
    assert {
        settings.SESSION_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
        "messages",
        CHOICE_COOKIE,
    } <= set(names)
    assert settings.LANGUAGE_COOKIE_NAME in names
    assert all(entry.essential for entry in names.values())
    assert optional_cookies() == []


def test_with_essential_cookies_only_there_is_no_banner_and_no_cookie(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert b"cookie-banner" not in response.content
    assert not response.cookies  # nothing at all is set on a plain page view
    page = client.get("/cookies/")
    assert b"This site sets only the essential cookies" in page.content
    assert b"sessionid" in page.content and b"csrftoken" in page.content


def test_operator_cookies_appear_in_the_register_and_disabled_ones_do_not(analytics):
    CookieDefinition.objects.create(
        name="_old", purpose="Old.", duration="1 day", essential=False, enabled=False
    )
    names = [entry.name for entry in cookie_register()]
    assert "_pk_id" in names and "_old" not in names
    assert [entry.name for entry in optional_cookies()] == ["_pk_id"]


def test_a_non_essential_cookie_makes_the_banner_ask_and_loads_nothing(client, analytics):
    response = client.get("/")
    html = response.content.decode()
    assert 'class="cookie-banner"' in html
    assert "_pk_id (set by Matomo): Counts visits" in html
    assert SCRIPT not in html
    assert CHOICE_COOKIE not in response.cookies
    assert "_pk_id" not in response.cookies


def _choose(client, choice, *, version=None, next_url="/"):
    page = client.get("/cookies/")
    version = version if version is not None else page.context["state"].version
    return client.post("/cookies/", {"choice": choice, "version": version, "next": next_url})


def test_accepting_records_consent_with_the_exact_text_and_loads_the_script(client, analytics):
    response = _choose(client, "accept", next_url="/cookies/")
    assert response.status_code == 302 and response["Location"] == "/cookies/"
    record = ConsentRecord.objects.get()
    assert record.purpose == "cookies_analytics" and record.given is True
    assert record.method == "form" and record.subject is None
    assert record.text == banner_text(optional_cookies())
    cookie = response.cookies[CHOICE_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    data = signing.loads(cookie.value, salt="learnward.privacy.cookie-choice")
    assert data == {"b": record.browser_id, "v": record.version, "a": True}
    page = client.get("/")
    html = page.content.decode()
    assert f'<script src="{SCRIPT}" defer></script>' in html
    assert 'class="cookie-banner"' not in html
    assert "https://analytics.example.test" in page["Content-Security-Policy"]


def test_rejecting_loads_nothing_and_expires_optional_cookies(client, analytics):
    client.cookies["_pk_id"] = "left-over"
    response = _choose(client, "reject")
    assert response.cookies["_pk_id"]["max-age"] == 0  # deleted
    record = ConsentRecord.objects.get()
    assert record.given is False
    page = client.get("/")
    assert SCRIPT not in page.content.decode()
    assert 'class="cookie-banner"' not in page.content.decode()
    assert "analytics.example.test" not in page["Content-Security-Policy"]


def test_changing_ones_mind_keeps_the_same_browser_id(client, analytics):
    _choose(client, "accept")
    _choose(client, "reject")
    first, second = ConsentRecord.objects.order_by("id")
    assert first.browser_id == second.browser_id
    assert (first.given, second.given) == (True, False)


def test_a_signed_in_choice_is_linked_to_the_account(client, make_user, analytics):
    user = make_user()
    client.force_login(user)
    _choose(client, "accept")
    assert ConsentRecord.objects.get().subject == user


def test_a_changed_register_asks_again(client, analytics):
    _choose(client, "accept")
    CookieDefinition.objects.create(
        name="_hj", purpose="Heat maps.", duration="1 year", essential=False
    )
    page = client.get("/").content.decode()
    assert 'class="cookie-banner"' in page
    assert SCRIPT not in page  # the old yes does not cover the new list


def test_a_choice_about_an_outdated_list_is_refused(client, analytics):
    response = _choose(client, "accept", version="sha256:not-what-was-shown")
    assert response.status_code == 409
    assert b"has changed" in response.content
    assert not ConsentRecord.objects.exists()
    assert CHOICE_COOKIE not in response.cookies


def test_a_missing_choice_is_a_400_and_nothing_is_stored(client, analytics):
    response = _choose(client, "maybe")
    assert response.status_code == 400
    assert b"Choose whether to accept or reject" in response.content
    assert not ConsentRecord.objects.exists()


def test_an_offsite_next_is_ignored(client, analytics):
    response = _choose(client, "reject", next_url="https://evil.example/")
    assert response["Location"] == "/cookies/"


def test_a_tampered_choice_cookie_is_ignored(client, analytics):
    value = signing.dumps({"b": "x", "v": "whatever", "a": True}, salt="another-salt")
    client.cookies[CHOICE_COOKIE] = value
    page = client.get("/").content.decode()
    assert SCRIPT not in page and 'class="cookie-banner"' in page


def test_posting_a_choice_with_no_optional_cookies_records_nothing(client, db):
    response = client.post("/cookies/", {"choice": "accept", "version": ""})
    assert response.status_code == 302
    assert not ConsentRecord.objects.exists()
    assert CHOICE_COOKIE not in response.cookies


def test_the_form_needs_csrf(analytics):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/cookies/", {"choice": "accept"})
    assert response.status_code == 403


def test_essential_cookies_cannot_carry_scripts_and_scripts_need_https(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        CookieDefinition(
            name="a", purpose="p", duration="d", essential=True, script_url=SCRIPT
        ).full_clean()
    with pytest.raises(ValidationError):
        CookieDefinition(
            name="a", purpose="p", duration="d", script_url="http://x.example/a.js"
        ).full_clean()
