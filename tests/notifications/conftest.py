import pytest

from learnward.notifications.management.commands.vapid_keys import generate_vapid_keys


@pytest.fixture
def vapid(settings):
    private, public = generate_vapid_keys()
    settings.VAPID_PRIVATE_KEY = private
    settings.VAPID_PUBLIC_KEY = public
    settings.VAPID_SUBJECT = "mailto:push@learnward.test"
    return public


@pytest.fixture
def push_service(settings, vapid):
    """The loopback push service (tests/fakes/push_service.py), standing in for the browser
    vendors' push services; loopback endpoints allowed for the test."""
    from tests.fakes.push_service import FakePushService

    settings.PUSH_ALLOW_LOOPBACK = True
    service = FakePushService(expected_public_key=vapid).start()
    try:
        yield service
    finally:
        service.stop()
