"""A guardian consenting, with 13/16 settings: a 14-year-old signs up naming a guardian, the
guardian follows the link in the email the loopback SMTP server received and agrees, and the
learner can then use the account."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import check_accessibility
from e2e.steps import fill_date, path_of

pytestmark = pytest.mark.e2e

PASSWORD = "purple-otter-sings-7"
LEARNER = "sam.young@example.test"
GUARDIAN = "parent.young@example.test"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


def _fourteen_years_ago() -> str:
    today = timezone.localdate()
    try:
        born = today.replace(year=today.year - 14)
    except ValueError:  # 29 February
        born = today.replace(year=today.year - 14, day=28)
    return (born - timedelta(days=30)).isoformat()


def _fill_passwords(page) -> None:
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)


def _link(smtp_server, address: str, marker: str) -> str:
    [link] = [
        u for m in smtp_server.to(address) for u in m.links() if marker in u and "/resend/" not in u
    ]
    return path_of(link)


def test_a_guardian_consents_and_the_learner_can_use_the_account(
    page, live_server, smtp_server, settings
):
    from learnward.accounts.models import User
    from learnward.privacy.consent.models import ConsentRecord

    settings.BASE_URL = live_server.url
    settings.MINIMUM_AGE = 13
    settings.GUARDIAN_CONSENT_BELOW = 16

    # The learner: the first answer shows a guardian is needed; the form asks for their address.
    page.goto("/accounts/signup/")
    assert page.get_by_label("Your parent's or guardian's email address").count() == 0
    page.get_by_label("Email address", exact=True).fill(LEARNER)
    page.get_by_label("Your name").fill("Sam Young")
    fill_date(page, "Date of birth", _fourteen_years_ago())
    _fill_passwords(page)
    page.get_by_role("button", name="Create account").click()
    expect(
        page.get_by_role("heading", name="Your parent or guardian needs to agree")
    ).to_be_visible()
    assert not User.objects.exists()
    check_accessibility(page, label="sign-up asking for a guardian")
    page.get_by_label("Your parent's or guardian's email address").fill(GUARDIAN)
    _fill_passwords(page)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    expect(page.get_by_text("We have emailed your parent or guardian")).to_be_visible()
    assert User.objects.get().status == User.Status.PENDING_GUARDIAN

    # Until the guardian agrees, the account can only wait.
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(LEARNER)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/dashboard/")
    page.wait_for_url("**/accounts/status/")
    expect(page.get_by_text("waiting for your parent or guardian")).to_be_visible()
    check_accessibility(page, label="status page waiting for a guardian")

    # The guardian, in their own browser, follows the link from the email they received.
    guardian_context = page.context.browser.new_context(
        base_url=live_server.url, locale="en-GB", bypass_csp=True
    )
    guardian = guardian_context.new_page()
    guardian.goto(_link(smtp_server, GUARDIAN, "/accounts/guardian/"))
    assert guardian.get_by_role(
        "heading", name="Do you agree to Sam Young having an account?"
    ).is_visible()
    expect(guardian.get_by_role("link", name="privacy notice").first).to_be_visible()
    check_accessibility(guardian, label="guardian consent page")
    guardian.get_by_role("button", name="Send my answer").click()  # no choice yet
    expect(guardian.get_by_role("alert").get_by_text("Choose whether you agree.")).to_be_visible()
    check_accessibility(guardian, label="guardian consent page with an error")
    guardian.get_by_label("Yes, I agree to this account").check()
    guardian.get_by_role("button", name="Send my answer").click()
    expect(guardian.get_by_role("heading", name="Thank you: the account is ready")).to_be_visible()
    check_accessibility(guardian, label="guardian consent done")
    guardian_context.close()

    record = ConsentRecord.objects.get(purpose="guardian_consent")
    assert record.method == "guardian" and "I am the parent or guardian of Sam Young" in record.text

    # The learner confirms their address and can now use the account.
    page.goto(_link(smtp_server, LEARNER, "/accounts/verify/"))
    expect(page.get_by_role("heading", name="Email address confirmed")).to_be_visible()
    page.goto("/dashboard/")
    assert "/accounts/status/" not in page.url
    page.goto("/accounts/profile/")
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    assert User.objects.get().status == User.Status.ACTIVE
