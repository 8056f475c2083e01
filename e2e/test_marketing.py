"""Opting in, receiving a mailing, unsubscribing in one click, and no longer receiving it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.conftest import check_accessibility
from e2e.steps import log_in, nav_to, path_of

pytestmark = pytest.mark.e2e


def _mailing(subject: str):
    from learnward.communications.models import Mailing

    return Mailing.objects.create(
        topic="courses", subject=subject, body_markdown=f"{subject}: **new** courses."
    )


def _send(mailing, staff):
    from learnward.communications.services import mailing_queue

    # Committed at once (live-server tests run without a wrapping transaction), so the task runs.
    mailing_queue(mailing=mailing, actor=staff)
    mailing.refresh_from_db()
    return mailing


def test_opt_in_receive_unsubscribe_in_one_click_and_receive_no_more(
    page, live_server, smtp_server, make_user, settings
):
    settings.BASE_URL = live_server.url
    learner = make_user(email="ada@example.test", display_name="Ada")
    staff = make_user(email="admin@example.test", roles=["Administrator"])

    log_in(page, "ada@example.test")
    nav_to(page, "Emails")
    page.wait_for_url("**/account/communications/")
    check_accessibility(page, label="communication preferences")
    expect(page.locator("#topic-courses").get_by_text("Off")).to_be_visible()
    page.get_by_role("button", name="Turn on new courses and training").click()
    expect(
        page.locator("#topic-courses").get_by_text("On: we email you about this.")
    ).to_be_visible()
    first = _send(_mailing("Spring"), staff)
    assert first.sent_count == 1
    [mail] = smtp_server.to("ada@example.test")
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = str(mail.message["List-Unsubscribe"]).strip()[1:-1]
    assert unsubscribe in mail.links()

    # The link opens without signing in, in a fresh browser context.
    other = page.context.browser.new_context(
        base_url=live_server.url, locale="en-GB", bypass_csp=True
    )
    visitor = other.new_page()
    visitor.goto(path_of(unsubscribe))
    check_accessibility(visitor, label="unsubscribe confirmation")
    visitor.get_by_role("button", name="Unsubscribe from new courses and training").click()
    expect(visitor.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    other.close()

    second = _send(_mailing("Summer"), staff)
    assert second.sent_count == 0
    assert [m.subject for m in smtp_server.to("ada@example.test")] == ["Spring"]

    page.reload()
    expect(page.locator("#topic-courses").get_by_text("Off")).to_be_visible()
    expect(page.get_by_role("cell", name="A link in an email")).to_be_visible()
    assert learner.consent_records.filter(given=False, method="email_link").count() == 1


def test_a_mail_clients_one_click_post_unsubscribes(
    page, live_server, smtp_server, make_user, settings
):
    from learnward.communications.services import communication_preference_set
    from learnward.privacy.consent.services import consent_given

    settings.BASE_URL = live_server.url
    learner = make_user(email="bo@example.test")
    staff = make_user(email="admin@example.test", roles=["Administrator"])
    communication_preference_set(user=learner, topic="courses", enabled=True)
    _send(_mailing("Spring"), staff)
    unsubscribe = str(smtp_server.to("bo@example.test")[0].message["List-Unsubscribe"]).strip()[
        1:-1
    ]
    # RFC 8058: the mail provider POSTs this body to the header's URL, with no cookies.
    response = page.request.post(
        unsubscribe,
        data="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status == 200
    assert not consent_given(user=learner, purpose="marketing", topic="courses")


def test_a_restricted_learner_who_opted_in_receives_no_marketing(
    page, live_server, smtp_server, make_user, settings
):
    from learnward.communications.services import communication_preference_set
    from learnward.privacy.rights.services import restriction_start

    settings.BASE_URL = live_server.url
    learner = make_user(email="cy@example.test")
    staff = make_user(email="admin@example.test", roles=["Administrator"])
    communication_preference_set(user=learner, topic="courses", enabled=True)
    restriction_start(user=learner, actor=learner, reason="Please check my details")
    mailing = _send(_mailing("Spring"), staff)
    assert (mailing.sent_count, mailing.skipped_restricted) == (0, 1)
    assert smtp_server.to("cy@example.test") == []
