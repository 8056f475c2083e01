import pytest

from learnward.accounts import demo as accounts_demo
from learnward.notifications import demo
from learnward.notifications.models import Notification, NotificationPreference

pytestmark = pytest.mark.django_db


def test_the_demo_learner_has_notifications_one_unread_and_preferences(client):
    logins: dict = {"users": []}
    accounts_demo.load(logins)
    demo.load({})
    demo.load({})  # idempotent
    learner = next(u for u in logins["users"] if u["email"] == "learner@learnward.test")
    assert Notification.objects.count() == 3
    assert Notification.objects.filter(read_at__isnull=True).count() == 1
    assert NotificationPreference.objects.filter(kind="marking_done", email="daily").exists()
    client.post("/accounts/login/", {"username": learner["email"], "password": learner["password"]})
    html = client.get("/notifications/").content.decode()
    assert 'class="nav-count">1<' in html
    assert "Your live session on manual handling starts tomorrow" in html
    settings_page = client.get("/notifications/settings/").content.decode()
    assert 'id="marking_done-email-daily" name="marking_done-email" value="daily" checked' in (
        settings_page
    )
