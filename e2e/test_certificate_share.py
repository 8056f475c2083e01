"""The demo learner sees their certificates' states, copies a verification link, opens the LinkedIn
link and prints a certificate, in Chromium; each page passes axe-core."""

from __future__ import annotations

import json
import re
from io import StringIO
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from e2e.conftest import check_accessibility
from e2e.steps import log_in

pytestmark = pytest.mark.e2e

LEARNER = "learner@learnward.test"
PASSWORD = "tulip-harbour-42"


@pytest.fixture
def demo(settings, tmp_path, live_server, transactional_db):
    settings.ISSUER_KEY_FILE = tmp_path / "issuer_ed25519"
    settings.BASE_URL = live_server.url
    out = StringIO()
    call_command("demo", "--json", stdout=out)
    entries = json.loads(out.getvalue())["certificates"]
    return {e["course_title"]: e for e in entries if e.get("holder_email") == LEARNER}


def _item(page, code: str):
    return page.locator(f'[data-certificate="{code}"]')


def test_dashboard_states_and_the_linkedin_link(page, demo, live_server):
    log_in(page, LEARNER, PASSWORD)
    page.goto("/dashboard/")
    panel = page.get_by_role("region", name="Your certificates")
    expect(panel).to_be_visible()
    expiring = demo["Manual handling"]
    expected = {
        "Manual handling": "Expiring soon",
        "First Aid at Work Refresher": "Expired",
        "Infection Prevention and Control": "Revoked",
        "Fire Safety Awareness": "Valid",
    }
    for title, state in expected.items():
        expect(_item(panel, demo[title]["code"]).locator("strong")).to_have_text(state)
    expect(_item(panel, expiring["code"])).to_contain_text("in ")
    check_accessibility(page, label="learner dashboard with certificate states")

    # The link's name ends with the course, for a list of several ("Add to LinkedIn profile:
    # Manual handling"); Chromium puts a space before the visually hidden part.
    link = _item(panel, expiring["code"]).get_by_role(
        "link", name=re.compile(r"^Add to LinkedIn profile\s*: Manual handling$")
    )
    expect(link).to_be_visible()
    parts = urlsplit(link.get_attribute("href"))
    assert (parts.netloc, parts.path) == ("www.linkedin.com", "/profile/add")
    query = dict(parse_qsl(parts.query))
    assert query["startTask"] == "CERTIFICATION_NAME"
    assert query["name"] == "Manual handling"
    assert query["organizationName"] == "Learnward Training"
    assert query["certId"] == expiring["code"]
    assert query["certUrl"] == f"{live_server.url}/verify/{expiring['code']}/"
    assert {"issueYear", "issueMonth", "expirationYear", "expirationMonth"} <= set(query)
    # Expired and revoked certificates are not offered to LinkedIn.
    for title in ("First Aid at Work Refresher", "Infection Prevention and Control"):
        expect(
            _item(panel, demo[title]["code"]).get_by_role("link", name="LinkedIn")
        ).to_have_count(0)


def test_copy_the_verification_link_under_the_sites_csp(browser, demo, live_server):
    # A context that keeps the page's Content-Security-Policy: the script must run under it.
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    try:
        log_in(page, LEARNER, PASSWORD)
        code = demo["Manual handling"]["code"]
        page.goto(f"/certificates/{code}/")
        verify = f"{live_server.url}/verify/{code}/"
        expect(page.get_by_label("Verification link")).to_have_value(verify)
        button = page.get_by_role("button", name="Copy verification link")
        expect(button).to_be_visible()  # shown by the script: hidden without JavaScript
        button.click()
        expect(page.get_by_role("status")).to_have_text("Copied")
        assert page.evaluate("navigator.clipboard.readText()") == verify
        assert violations == []
    finally:
        context.close()


def test_detail_and_print_view_pass_axe(page, demo, live_server):
    log_in(page, LEARNER, PASSWORD)
    code = demo["Manual handling"]["code"]
    page.goto(f"/certificates/{code}/")
    expect(page.get_by_role("heading", name="Manual handling", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Copy verification link")).to_be_visible()
    check_accessibility(page, label="certificate detail with sharing")

    page.get_by_role("link", name="Print view").click()
    page.wait_for_url(f"**/certificates/{code}/print/")
    printable = page.get_by_role("article")
    expect(printable).to_contain_text("Manual handling")
    expect(printable).to_contain_text(code)
    expect(printable.get_by_role("link", name=f"{live_server.url}/verify/{code}/")).to_be_visible()
    qr = printable.get_by_role("img", name=f"QR code of the verification link {live_server.url}")
    expect(qr).to_be_visible()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", qr.element_handle()), (
        "the QR code image did not load"
    )
    expect(page.get_by_role("button", name="Print this certificate")).to_be_visible()
    check_accessibility(page, label="certificate print view")

    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("button", name="Print this certificate")).to_be_hidden()
    expect(printable).to_be_visible()
