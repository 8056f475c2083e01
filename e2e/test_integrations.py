"""API tokens in a real browser, with axe-core: staff create a token, see it once, use it, see
only its prefix in the list afterwards, and revoke it; the pages fit a 390-pixel phone."""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import expect

from e2e.conftest import check_accessibility
from e2e.steps import log_in, nav_to

pytestmark = pytest.mark.e2e


def _fits_a_phone(page) -> None:
    """At 390 pixels wide the page does not scroll sideways (wide tables scroll inside)."""
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url
    page.set_viewport_size({"width": 1280, "height": 720})


def test_staff_create_a_token_see_it_once_and_revoke_it(page, live_server, settings, make_user):
    from learnward.accounts.roles import ADMINISTRATOR
    from learnward.integrations.models import ApiToken
    from tests.catalog.factories import make_course

    settings.BASE_URL = live_server.url
    make_course(title="Manual handling", slug="manual-handling", questions=0)
    make_user(email="admin@example.test", display_name="Morgan Admin", roles=[ADMINISTRATOR])

    log_in(page, "admin@example.test")
    nav_to(page, "Integrations")
    expect(page.get_by_role("heading", name="Integrations", exact=True)).to_be_visible()
    check_accessibility(page, label="staff integrations")
    _fits_a_phone(page)

    # A mistake first: no scope chosen.
    page.get_by_label("Name", exact=True).first.fill("HR system")
    page.get_by_role("button", name="Create the token").click()
    expect(page.get_by_text("Choose at least one thing the token may do.").first).to_be_visible()
    check_accessibility(page, label="token form with an error")
    assert not ApiToken.objects.exists()

    page.get_by_label("Read courses").check()
    page.get_by_label("Read completions and certificates").check()
    page.get_by_role("button", name="Create the token").click()
    expect(
        page.get_by_role("heading", name=re.compile("Token “HR system” created"))
    ).to_be_visible()
    expect(page.get_by_text("shown only this once")).to_be_visible()
    text = page.get_by_label("Token", exact=True).input_value()
    assert text.startswith("lw_")
    check_accessibility(page, label="token shown once")
    _fits_a_phone(page)

    api = f"{live_server.url}/api/v1/courses/"
    answer = requests.get(api, headers={"Authorization": f"Bearer {text}"}, timeout=10)
    assert answer.status_code == 200
    assert [c["slug"] for c in answer.json()["items"]] == ["manual-handling"]

    # Back on the list: the prefix only, never the token again.
    page.get_by_role("link", name="Back to integrations").click()
    tokens = page.get_by_role("region", name="API tokens, newest first")
    row = tokens.get_by_role("row", name=re.compile("HR system"))
    expect(row).to_contain_text("Active until")
    assert text not in page.content()
    token = ApiToken.objects.get()
    expect(row).to_contain_text(f"lw_{token.prefix}_")
    check_accessibility(page, label="staff integrations with a token")

    row.get_by_role("button", name=re.compile("Revoke")).click()
    expect(page.get_by_text("revoked: it no longer works")).to_be_visible()
    expect(tokens.get_by_role("row", name=re.compile("HR system"))).to_contain_text("Revoked")
    check_accessibility(page, label="staff integrations after revoking")
    _fits_a_phone(page)
    answer = requests.get(api, headers={"Authorization": f"Bearer {text}"}, timeout=10)
    assert answer.status_code == 401 and answer.json()["error"] == "invalid_token"
