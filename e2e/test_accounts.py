"""Account pages in a real browser: they work without JavaScript and pass axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.conftest import check_accessibility
from e2e.steps import fill_date, log_out

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


def test_signed_out_pages_are_accessible_and_show_errors(page):
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text() == "Learn, pass, and prove it"
    check_accessibility(page, label="home")

    page.goto("/accounts/signup/")
    check_accessibility(page, label="sign-up")
    page.get_by_role("button", name="Create account").click()
    summary = page.get_by_role("alert")
    expect(summary.get_by_text("There is a problem")).to_be_visible()
    expect(summary.get_by_role("link", name="Enter your email address.")).to_be_visible()
    assert page.title().startswith("Error: ")
    check_accessibility(page, label="sign-up with errors")
    summary.get_by_role("link", name="Enter your name.").click()
    assert page.evaluate("document.activeElement.id") == "id_display_name"

    page.goto("/accounts/login/")
    check_accessibility(page, label="login")
    page.get_by_label("Email address").fill("nobody@example.test")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("The email address or password is not right.").first).to_be_visible()
    check_accessibility(page, label="login with error")

    page.goto("/accounts/password_reset/")
    check_accessibility(page, label="password reset")
    page.goto("/accounts/verify/resend/")
    check_accessibility(page, label="resend verification")
    page.goto("/accounts/verify/not-a-token/")
    expect(page.get_by_role("heading", name="This link does not work")).to_be_visible()
    check_accessibility(page, label="bad verification link")


def test_too_young_in_the_browser(page):
    from learnward.accounts.models import User

    page.goto("/accounts/signup/")
    page.get_by_label("Email address").fill("kid@example.test")
    page.get_by_label("Your name").fill("Kid Young")
    fill_date(page, "Date of birth", "2020-01-01")
    page.get_by_label("Password", exact=True).fill("purple-otter-sings-7")
    page.get_by_label("Password again").fill("purple-otter-sings-7")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("alert").get_by_text("You must be 16 or older")).to_be_visible()
    assert not User.objects.exists()
    check_accessibility(page, label="sign-up refused for age")


def test_signed_in_pages_are_accessible(page, make_user):
    from learnward.accounts.roles import ADMINISTRATOR

    make_user(email="staff@example.test", roles=[ADMINISTRATOR], email_verified_at=None)
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("staff@example.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto("/accounts/profile/")
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    check_accessibility(page, label="profile")
    page.get_by_label("Your name").fill("")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert").get_by_text("Enter your name.")).to_be_visible()
    check_accessibility(page, label="profile with error")

    page.goto("/accounts/password_change/")
    check_accessibility(page, label="password change")
    page.goto("/accounts/two-factor/")
    check_accessibility(page, label="two-factor")
    page.get_by_role("button", name="Set up two-factor sign-in").click()
    expect(page.get_by_role("img", name="QR code to add")).to_be_visible()
    check_accessibility(page, label="two-factor set-up")
    page.goto("/accounts/status/")
    check_accessibility(page, label="status")

    log_out(page)
    expect(page.get_by_role("link", name="Log in", exact=True)).to_be_visible()
