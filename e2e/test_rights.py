"""Data subject rights in a real browser: My data, download, restrict, object, delete and the
DPO's desk, each page checked with axe-core."""

from __future__ import annotations

import zipfile

import pytest
from playwright.sync_api import expect

from e2e.conftest import check_accessibility
from e2e.steps import log_in, nav_to, path_of

pytestmark = pytest.mark.e2e


@pytest.fixture
def rights_site(settings, live_server, tmp_path):
    from django.core.cache import cache

    cache.clear()
    settings.BASE_URL = live_server.url
    settings.ISSUER_KEY = ""
    settings.ISSUER_KEY_FILE = tmp_path / "keys" / "issuer_ed25519"
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    return live_server


def test_a_learner_finds_and_uses_every_right_from_the_account_menu(
    page, rights_site, smtp_server, make_user, tmp_path
):
    make_user(email="ada@example.test", display_name="Ada Lovelace")
    log_in(page, "ada@example.test")
    nav_to(page, "My data")
    expect(page.get_by_role("heading", name="My data", exact=True)).to_be_visible()
    expect(page.get_by_text("Ada Lovelace").first).to_be_visible()
    check_accessibility(page, label="my data")

    page.get_by_role("button", name="Download my data").click()
    expect(page.get_by_text("We will email you a download link")).to_be_visible()
    [mail] = smtp_server.to("ada@example.test")
    link = next(u for u in mail.links() if "/privacy/my-data/download/" in u)
    with page.expect_download() as download:
        page.evaluate("url => { window.location.href = url }", path_of(link))
    saved = tmp_path / "mine.zip"
    download.value.save_as(saved)
    assert "manifest.json" in zipfile.ZipFile(saved).namelist()

    page.goto("/privacy/my-data/restrict/")
    check_accessibility(page, label="restrict processing")
    page.get_by_role("button", name="Restrict processing").click()
    expect(page.get_by_text("We have restricted the processing of your data.")).to_be_visible()
    page.get_by_role("button", name="Lift the restriction").click()

    page.goto("/privacy/my-data/object/")
    page.get_by_role("button", name="Object", exact=True).click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    check_accessibility(page, label="object (with an error)")
    page.get_by_label("Course evaluations").check()
    page.get_by_role("button", name="Object", exact=True).click()
    expect(page.get_by_text("We have stopped: Course evaluations.")).to_be_visible()
    check_accessibility(page, label="object")

    page.goto("/privacy/my-data/delete/")
    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("That password is not right.").first).to_be_visible()
    check_accessibility(page, label="delete account (with an error)")
    page.get_by_label("Your password").fill("correct horse battery")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("heading", name="Your account will be deleted")).to_be_visible()
    check_accessibility(page, label="deletion scheduled")

    log_in(page, "ada@example.test")
    expect(page.get_by_role("heading", name="Your account is due to be deleted")).to_be_visible()
    check_accessibility(page, label="account status with a pending deletion")
    page.get_by_role("button", name="Cancel the deletion").click()
    expect(page.get_by_text("We have cancelled the deletion")).to_be_visible()


def test_the_dpo_works_a_posted_request_from_the_staff_menu(page, rights_site, make_user):
    make_user(email="ada@example.test", display_name="Ada Lovelace")
    make_user(email="dpo@example.test", display_name="Dee", roles=["Data protection officer"])
    log_in(page, "dpo@example.test")
    nav_to(page, "Rights requests")
    check_accessibility(page, label="request queue")
    page.get_by_role("link", name="Record a request").click()
    page.get_by_role("button", name="Record the request").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    check_accessibility(page, label="record a request (with errors)")
    page.get_by_label("Kind of request").select_option("access")
    page.get_by_label("How it arrived").select_option("letter")
    page.get_by_label("Requester's email address").fill("ada@example.test")
    page.get_by_label("What they asked for").fill("A copy of my data, please.")
    page.get_by_role("button", name="Record the request").click()
    expect(page.get_by_text("Request recorded")).to_be_visible()
    check_accessibility(page, label="request detail")
    page.get_by_label("Evidence of identity seen").fill("Signature matches the account.")
    page.get_by_role("button", name="Confirm identity").click()
    expect(page.get_by_text("the clock has started")).to_be_visible()
    page.get_by_role("link", name="Restrict, export or erase for this account").click()
    expect(page.get_by_role("heading", name="Erasure plan")).to_be_visible()
    check_accessibility(page, label="data subject page")
    assert "ada" not in path_of(page.url) and "%40" not in path_of(page.url)

    # Finding someone by address: the address is posted, never put in the page's address.
    page.get_by_role("link", name="Back to the queue").click()
    page.get_by_role("link", name="Find a data subject").click()
    page.get_by_label("Email address of the data subject").fill("not an address")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    check_accessibility(page, label="find a data subject (with errors)")
    page.get_by_label("Email address of the data subject").fill("ada@example.test")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("heading", name="Account ada@example.test (Active)")).to_be_visible()
    assert "ada" not in path_of(page.url) and "%40" not in path_of(page.url)
    # The erasure plan's long record names wrap on a phone instead of widening the page.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
