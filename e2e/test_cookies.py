"""No non-essential cookie before consent; the choice is recorded and can be changed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.conftest import check_accessibility

pytestmark = pytest.mark.e2e

SCRIPT = "https://analytics.example.test/tracker.js"
ESSENTIAL = {"sessionid", "csrftoken", "messages", "django_language", "lw_cookie_choice"}


def _names(page) -> set[str]:
    return {cookie["name"] for cookie in page.context.cookies()}


def test_with_essential_cookies_only_there_is_no_banner(page, db):
    page.goto("/")
    assert page.locator(".cookie-banner").count() == 0
    page.get_by_role("link", name="Cookies").click()
    expect(page.get_by_text("This site sets only the essential cookies")).to_be_visible()
    assert _names(page) <= ESSENTIAL
    check_accessibility(page, label="cookie page")


def test_no_optional_cookie_before_consent_and_the_choice_can_be_changed(page, db):
    from learnward.privacy.consent.models import ConsentRecord, CookieDefinition

    CookieDefinition.objects.create(
        name="_pk_id",
        provider="Matomo",
        purpose="Counts visits so we can see which pages are used.",
        duration="13 months",
        essential=False,
        script_url=SCRIPT,
    )
    requested = []

    def analytics(route):
        requested.append(route.request.url)
        # What a real analytics script does: set its cookie on the site's own domain.
        route.fulfill(
            content_type="text/javascript",
            body="document.cookie = '_pk_id=visitor123; path=/; max-age=3600';",
        )

    page.route("https://analytics.example.test/**", analytics)

    page.goto("/")
    banner = page.get_by_role("region", name="Optional cookies")
    assert banner.is_visible()
    expect(banner.get_by_text("_pk_id (set by Matomo)")).to_be_visible()
    check_accessibility(page, label="home page with the cookie banner")
    assert _names(page) <= ESSENTIAL and "_pk_id" not in _names(page)
    assert requested == []

    banner.get_by_role("button", name="Reject optional cookies").click()
    page.wait_for_load_state()
    assert page.locator(".cookie-banner").count() == 0
    assert "lw_cookie_choice" in _names(page)
    assert "_pk_id" not in _names(page) and requested == []

    # Changing one's mind from the footer link.
    page.get_by_role("contentinfo").get_by_role("link", name="Cookies").click()
    expect(page.get_by_text("You have rejected optional cookies.")).to_be_visible()
    check_accessibility(page, label="cookie settings")
    page.get_by_role("button", name="Accept optional cookies").click()
    page.wait_for_load_state()
    page.wait_for_function("document.cookie.includes('_pk_id=')")
    assert "_pk_id" in _names(page)
    assert requested == [SCRIPT]

    records = list(ConsentRecord.objects.order_by("id"))
    assert [r.given for r in records] == [False, True]
    assert records[0].browser_id == records[1].browser_id
    assert "_pk_id (set by Matomo)" in records[1].text
