"""Notifications reach each person in their saved language, whatever process sends them: the
email, its links, the digest, the push text and the settings page."""

from django.utils.translation import gettext_lazy

from learnward.notifications.models import Notification
from learnward.notifications.services import digests_send, notify, preferences_save


def test_a_dutch_email_notification(make_user, smtp_server, django_capture_on_commit_callbacks):
    user = make_user(email="anke@example.test", display_name="Anke", language="nl")
    preferences_save(
        user=user, choices={"marking_done": {"in_app": True, "email": "immediate", "push": False}}
    )
    with django_capture_on_commit_callbacks(execute=True):
        # A lazy title is written in the recipient's language, not the sender's.
        notify(user=user, kind="marking_done", title=gettext_lazy("Your work has been marked"))
    assert Notification.objects.get().title == "Uw werk is beoordeeld"
    [message] = smtp_server.to("anke@example.test")
    assert message.subject.strip() == "Uw werk is beoordeeld"
    assert "Beste Anke," in message.text
    assert '"Beoordeling klaar"' in message.text  # the kind's label, in Dutch
    assert "/nl/notifications/settings/" in message.text
    assert "/nl/notifications/" in message.text
    assert "Hello" not in message.text


def test_a_french_daily_digest(make_user, smtp_server):
    user = make_user(email="luc@example.test", display_name="Luc", language="fr")
    preferences_save(
        user=user, choices={"marking_done": {"in_app": True, "email": "daily", "push": False}}
    )
    notify(user=user, kind="marking_done", title="Devoir corrigé")
    assert digests_send()["sent"] == 1
    [digest] = smtp_server.to("luc@example.test")
    assert digest.subject.strip().startswith("Vos notifications de ")
    assert "Bonjour Luc," in digest.text
    assert "Devoir corrigé (Correction terminée)" in digest.text
    assert "/fr/notifications/settings/" in digest.text


def test_the_push_text_is_in_the_recipient_language(
    make_user, django_capture_on_commit_callbacks, monkeypatch
):
    from learnward.notifications import services

    sent = []
    monkeypatch.setattr(services, "push_deliver", lambda *, notification, text: sent.append(text))
    user = make_user(email="noor@example.test", language="nl")
    preferences_save(
        user=user, choices={"marking_done": {"in_app": True, "email": "off", "push": True}}
    )
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=user, kind="marking_done", title="x")
    assert sent == ["Uw werk is beoordeeld"]


def test_the_settings_page_in_french(client, make_user):
    user = make_user(language="fr")
    client.force_login(user)
    page = client.get("/fr/notifications/settings/").content.decode()
    assert "<h1>Paramètres de notification</h1>" in page
    assert "Correction terminée" in page  # a kind's label
    assert "Notification settings" not in page
