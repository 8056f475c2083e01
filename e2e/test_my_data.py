"""The demo learner's "My data" on a 390 px phone: a short page (it was about 24,500 px tall),
no horizontal overflow even with every disclosure open, disclosures that work, and axe clean."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from e2e.conftest import check_accessibility
from e2e.steps import log_in

PHONE = {"width": 390, "height": 844}
# Before the redesign the demo learner's page was about 24,500 px tall with 63 headings.
HEIGHT_LIMIT = 8000


@pytest.fixture
def demo_site(settings, live_server, tmp_path):
    from django.core.cache import cache

    cache.clear()
    settings.BASE_URL = live_server.url
    settings.ISSUER_KEY = ""
    settings.ISSUER_KEY_FILE = tmp_path / "keys" / "issuer_ed25519"
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    call_command("demo", stdout=StringIO())
    return live_server


def _width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_my_data_fits_a_phone_and_its_disclosures_work(browser, demo_site):
    context = browser.new_context(
        base_url=demo_site.url, locale="en-GB", viewport=PHONE, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        log_in(page, "learner@learnward.test", "tulip-harbour-42")
        page.goto("/privacy/my-data/")
        expect(page.get_by_role("heading", name="What we hold, in short")).to_be_visible()
        height = page.evaluate("document.documentElement.scrollHeight")
        print(f"\nMy data, demo learner, 390 px: {height} px tall")
        assert height < HEIGHT_LIMIT, height
        assert _width(page) <= PHONE["width"]
        headings = page.locator("h1, h2, h3, h4, h5, h6").count()
        assert headings < 40, headings
        check_accessibility(page, label="my data (phone)")

        # A kind opens from its summary; values are in words; technical details open apart.
        enrolments = page.locator('details[data-kind="learning.Enrolment"]')
        expect(enrolments.locator("dl").first).to_be_hidden()
        enrolments.locator("summary").first.click()
        expect(enrolments.get_by_text("Where it came from")).to_be_visible()
        technical = enrolments.locator("details.disclosure--technical").first
        technical.locator("summary").click()
        expect(technical.locator("dd").first).to_be_visible()
        # The summary's link goes to the kind and opens it.
        page.locator("#summary").get_by_role("link", name="Your profile").click()
        profile = page.locator('details[data-kind="accounts.User"]')
        expect(profile).to_have_attribute("open", "")
        expect(profile.get_by_text("Where it came from")).to_be_visible()
        check_accessibility(page, label="my data with disclosures open (phone)")

        # Every disclosure open at once: still no wider than the phone.
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert _width(page) <= PHONE["width"], _width(page)
        # (A stacked table's header row is visually hidden: clipped, so not counted.)
        wide = page.evaluate(
            "[...document.querySelectorAll('main *')].filter(e => !e.closest('.table--stack thead,"
            " .visually-hidden') && e.getBoundingClientRect().right > window.innerWidth + 1)"
            ".map(e => e.tagName + '.' + e.className).slice(0, 5)"
        )
        assert not wide, wide

        # The export button says what will happen, then the page shows it pending.
        expect(page.get_by_text("usually within minutes").first).to_be_visible()
    finally:
        context.close()
