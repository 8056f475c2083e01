"""The notification centre and its settings in Chromium, with axe-core on each page and a 390px
phone fit: a learner reads their notifications, chooses channels, turns push on for this browser
(the browser's PushManager is stubbed to hand out a subscription on the loopback push service,
since headless Chromium cannot subscribe at a real vendor), gets a push that the loopback service
decrypts, and turns the device off."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import check_accessibility
from e2e.steps import log_in

pytestmark = pytest.mark.e2e

STUB_PUSH_MANAGER = """(() => {
  const sub = %s;
  const make = () => ({
    endpoint: sub.endpoint, options: {}, toJSON: () => sub,
    unsubscribe: async () => { localStorage.removeItem('stub-push'); return true; },
  });
  PushManager.prototype.subscribe = async function () {
    localStorage.setItem('stub-push', '1'); return make();
  };
  PushManager.prototype.getSubscription = async function () {
    return localStorage.getItem('stub-push') ? make() : null;
  };
})();"""


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def push_service(settings):
    from learnward.notifications.management.commands.vapid_keys import generate_vapid_keys
    from tests.fakes.push_service import FakePushService

    private, public = generate_vapid_keys()
    settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY = private, public
    settings.PUSH_ALLOW_LOOPBACK = True
    service = FakePushService(expected_public_key=public).start()
    yield service
    service.stop()


def _fits_a_phone(page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url
    page.set_viewport_size({"width": 1280, "height": 720})


def test_centre_settings_and_a_device(page, make_user, push_service):
    from learnward.notifications.models import PushSubscription
    from learnward.notifications.services import notify

    learner = make_user(email="noor@example.test", display_name="Noor Haddad")
    notify(user=learner, kind="request_answered", title="We have answered your request", url="/")
    notify(user=learner, kind="marking_done", title="Your essay was marked")
    device = push_service.new_device()
    page.context.grant_permissions(["notifications"])
    page.context.add_init_script(STUB_PUSH_MANAGER % json.dumps(device.subscription_json()))

    log_in(page, learner.email)
    header = page.get_by_role("navigation", name="Main")
    expect(header.get_by_role("link", name="Notifications 2 unread")).to_be_visible()
    header.get_by_role("link", name="Notifications 2 unread").click()
    expect(page.get_by_role("heading", name="Notifications", exact=True)).to_be_visible()
    check_accessibility(page, label="notification centre")
    _fits_a_phone(page)

    page.get_by_role("button", name=re.compile(r"^Mark as read\W+Your essay was marked$")).click()
    expect(header.get_by_role("link", name="Notifications 1 unread")).to_be_visible()
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_text("All your notifications are marked as read.")).to_be_visible()
    expect(header.get_by_role("link", name="Notifications", exact=True)).to_be_visible()

    page.get_by_role("link", name="Choose how you are notified").click()
    expect(page.get_by_role("heading", name="Notification settings")).to_be_visible()
    expect(page.get_by_text("Always sent.")).to_be_visible()
    check_accessibility(page, label="notification settings")
    _fits_a_phone(page)

    marking = page.get_by_role("group", name="Marking done", exact=True)
    marking.get_by_label("In a daily digest email").check()
    marking.get_by_label("Push notification to my devices").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Your notification settings are saved.")).to_be_visible()
    expect(marking.get_by_label("In a daily digest email")).to_be_checked()

    page.get_by_role("button", name="Turn on push notifications on this device").click()
    expect(page.get_by_text("This device gets push notifications.")).to_be_visible()
    expect(page.get_by_role("heading", name="Chrome on Linux")).to_be_visible()
    assert PushSubscription.objects.get().endpoint == device.endpoint
    check_accessibility(page, label="notification settings with a device")

    notify(user=learner, kind="marking_done", title="Noor Haddad: your second essay was marked")
    [delivery] = push_service.deliveries
    assert delivery.payload["body"] == "Your work has been marked"
    assert "Noor" not in delivery.raw_plaintext.decode()

    page.get_by_role("button", name="Turn off push notifications on this device").click()
    expect(page.get_by_text("No devices get push notifications from us.")).to_be_visible()
    assert not PushSubscription.objects.exists()
