"""The design system in a browser at phone width: the menu button works without JavaScript, the
component gallery passes axe, and neither the gallery nor the home page is wider than the phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.conftest import check_accessibility
from e2e.steps import PASSWORD, log_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.fixture
def phone_without_js(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport=PHONE, java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_the_menu_button_opens_the_menu_without_javascript(phone_without_js, make_user):
    make_user(email="ann@example.test", display_name="Ann Example")
    page = phone_without_js
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("ann@example.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/")

    header = page.get_by_role("banner")
    menu = header.get_by_text("Menu", exact=True)
    expect(menu).to_be_visible()
    expect(header.get_by_role("link", name="My courses")).to_be_hidden()
    assert page.locator("details.site-menu").get_attribute("open") is None

    menu.click()
    assert page.locator("details.site-menu").get_attribute("open") is not None
    expect(header.get_by_role("link", name="My courses")).to_be_visible()
    expect(header.get_by_role("link", name="My data")).to_be_visible()
    header.get_by_role("link", name="Certificates").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.url.endswith("/certificates/")
    assert page_width(page) <= PHONE["width"]


def test_the_gallery_passes_axe_and_fits_a_phone(page, make_user):
    make_user(email="dpo@example.test", roles=["Data protection officer"])
    page.set_viewport_size(PHONE)
    log_in(page, "dpo@example.test")
    page.goto("/staff/design/")
    expect(page.get_by_role("heading", name="Design gallery", level=1)).to_be_visible()
    assert page_width(page) <= PHONE["width"]
    for summary in page.locator("details.disclosure > summary").all():
        if summary.is_visible():
            summary.click()
    assert page_width(page) <= PHONE["width"]  # the open code blocks scroll inside themselves
    check_accessibility(page, label="design gallery at 390 px")

    page.set_viewport_size({"width": 1280, "height": 900})
    check_accessibility(page, label="design gallery at 1280 px")


def test_home_fits_a_phone_signed_in_and_out(page, make_user):
    page.set_viewport_size(PHONE)
    page.goto("/")
    assert page_width(page) <= PHONE["width"]
    check_accessibility(page, label="home at 390 px, signed out")
    make_user(email="ann@example.test")
    log_in(page, "ann@example.test")
    page.goto("/")
    page.get_by_role("banner").get_by_text("Menu", exact=True).click()
    assert page_width(page) <= PHONE["width"]
    check_accessibility(page, label="home at 390 px with the menu open")
