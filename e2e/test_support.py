"""An enquiry from someone without an account, answered from the desk, and the answer read."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.conftest import check_accessibility
from e2e.steps import log_in, nav_to, path_of

pytestmark = pytest.mark.e2e


def test_an_enquiry_is_answered_from_the_desk(page, live_server, smtp_server, make_user, settings):
    from django.core.cache import cache

    cache.clear()
    settings.BASE_URL = live_server.url
    make_user(email="desk@example.test", display_name="Dee", roles=["Administrator"])

    page.goto("/")
    page.get_by_role("link", name="Contact us").click()
    check_accessibility(page, label="contact form")
    page.get_by_label("Your name").fill("Grace Hopper")
    page.get_by_label("Your email address").fill("grace@example.test")
    page.get_by_label("Subject").fill("Team bookings")
    page.get_by_label("Your message").fill("Do you offer discounts for teams?")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    staff = page.context.browser.new_context(
        base_url=live_server.url, locale="en-GB", bypass_csp=True
    )
    desk = staff.new_page()
    log_in(desk, "desk@example.test")
    nav_to(desk, "Support desk")
    check_accessibility(desk, label="support desk queue")
    desk.get_by_role("row", name="Team bookings").get_by_role("link").click()
    expect(desk.get_by_text("Do you offer discounts for teams?")).to_be_visible()
    check_accessibility(desk, label="support desk enquiry")
    desk.get_by_label("Reply (emailed to the enquirer)").fill("Yes: 10% off for five or more.")
    desk.get_by_role("button", name="Send reply").click()
    expect(desk.get_by_text("emailed", exact=True)).to_be_visible()
    staff.close()

    [mail] = smtp_server.to("grace@example.test")
    assert "Yes: 10% off for five or more." in mail.text
    thread = next(link for link in mail.links() if "/support/thread/" in link)
    page.goto(path_of(thread))
    expect(page.get_by_text("Yes: 10% off for five or more.")).to_be_visible()
    check_accessibility(page, label="support thread")
    page.get_by_label("Add to this conversation").fill("Great, we are twelve.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Great, we are twelve.")).to_be_visible()
