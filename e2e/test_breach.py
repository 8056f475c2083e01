"""The DPO's breach walk-through in a real browser: record, watch the clock, decide, notify."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import check_accessibility
from e2e.steps import log_in, nav_to

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


def test_dpo_records_a_breach_sees_the_clock_and_notifies_people(
    page, live_server, smtp_server, make_user, settings
):
    settings.BASE_URL = live_server.url
    make_user(email="dpo@example.test", display_name="Dana DPO", roles=["Data protection officer"])
    make_user(email="ann@example.test", display_name="Ann")
    make_user(email="bob@example.test", display_name="Bob")
    log_in(page, "dpo@example.test")

    nav_to(page, "Breaches")
    expect(page.get_by_role("heading", name="Personal data breach register")).to_be_visible()
    check_accessibility(page, label="breach register")
    page.get_by_role("link", name="Record a breach").click()

    # Nothing filled in: the error summary says what is missing, nothing is stored.
    page.get_by_role("button", name="Record the breach").click()
    assert page.title().startswith("Error: ")
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("link", name="Give the breach a short title.")).to_be_visible()
    check_accessibility(page, label="breach form with errors")

    detected = timezone.localtime(timezone.now() - timedelta(hours=5))
    page.get_by_label("Short title").fill("Misdirected spreadsheet")
    page.get_by_label("When it was detected").fill(detected.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("What happened").fill("A list of learners' emails went to the wrong client.")
    page.get_by_label("Email address", exact=True).check()
    page.get_by_label("Approximate number of people affected").fill("2")
    page.get_by_label("Approximate number of records affected").fill("2")
    page.get_by_role("button", name="Record the breach").click()

    expect(page.get_by_role("heading", name="Misdirected spreadsheet")).to_be_visible()
    deadline = page.locator("#deadline")
    assert "hours" in deadline.inner_text() and "left" in deadline.inner_text()
    missing = page.locator("#missing")
    assert "The likely consequences" in missing.inner_text()
    assert "The decision whether to notify the ICO" in missing.inner_text()
    check_accessibility(page, label="breach with its clock")

    page.get_by_role("link", name="Edit the details").click()
    page.get_by_label("Likely consequences for the people affected").fill("Phishing emails.")
    page.get_by_label("Measures taken or proposed").fill("The client deleted the list.")
    page.get_by_role("button", name="Save changes").click()
    assert "The likely consequences" not in page.locator("#missing").inner_text()

    ico = page.locator("form", has=page.get_by_role("button", name="Save the ICO decision"))
    ico.get_by_label("No: the breach is unlikely to result in a risk").check()
    ico.get_by_label("Reasons for the decision").fill("Two people, emails only, list deleted.")
    page.get_by_role("button", name="Save the ICO decision").click()
    expect(page.get_by_text("Decided: the ICO need not be notified.")).to_be_visible()
    people = page.locator("form", has=page.get_by_role("button", name="Save the decision"))
    people.get_by_label("Yes: the breach is likely to result in a high risk to them").check()
    people.get_by_label("Reasons for the decision").fill("They should watch for phishing.")
    page.get_by_role("button", name="Save the decision").click()

    notify = page.locator("form", has=page.get_by_role("button", name="Email the people affected"))
    notify.get_by_role("textbox", name="Email addresses").fill(
        "ann@example.test\nbob@example.test\nann@example.test"
    )
    page.get_by_role("button", name="Email the people affected").click()
    expect(page.get_by_text("2 people will be emailed.")).to_be_visible()
    check_accessibility(page, label="breach after notifying")

    page.reload()
    assert "2 people told" in page.locator("#told").inner_text()
    assert page.locator("#missing").inner_text().startswith("Nothing")
    assert {m.envelope_to[0] for m in smtp_server.messages} == {
        "ann@example.test",
        "bob@example.test",
    }
    assert "Phishing emails." in smtp_server.to("ann@example.test")[0].text


def test_the_privacy_notice_and_its_change_banner_are_accessible(page, make_user):
    """Not a breach, but the DPO's other public promise: the generated notice."""
    from learnward.privacy.records.models import Processor
    from learnward.privacy.records.notice import notice_publish_if_changed
    from learnward.privacy.records.processors import processor_save

    notice_publish_if_changed()
    make_user(email="reader@example.test")
    processor_save(
        processor=Processor(
            name="Overseas Mail Ltd",
            service="Email delivery",
            purposes=["marketing"],
            data_categories=["user.contact.email"],
            location="United States",
            transfer_mechanism=Processor.TransferMechanism.IDTA,
        ),
        actor=None,
    )
    log_in(page, "reader@example.test")
    page.goto("/")
    banner = page.get_by_role("region", name="Our privacy notice has changed")
    assert banner.is_visible()
    check_accessibility(page, label="home with the notice banner")
    banner.get_by_role("link", name="Read the privacy notice").click()
    expect(page.get_by_role("heading", name="Privacy notice", level=1)).to_be_visible()
    expect(page.get_by_role("rowheader", name="Overseas Mail Ltd").first).to_be_visible()
    check_accessibility(page, label="privacy notice")
    page.goto("/")
    assert page.get_by_role("region", name="Our privacy notice has changed").count() == 0
