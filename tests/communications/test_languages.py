"""Marketing in the recipient's language: the staff's subject and body as written, the greeting,
the reason and the unsubscribe footer in the learner's saved language; the pages in French."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from learnward.communications.email import send_marketing_email

TEMPLATE = "communications/email/mailing"
CONTEXT = {"body_text": "Our new first-aid course starts in May.", "body_html": "<p>May.</p>"}


def test_a_dutch_learner_gets_the_footer_in_dutch(smtp_server, make_user, opt_in, settings):
    settings.BASE_URL = "https://learn.example.test"
    user = opt_in(make_user(email="ada@example.test", display_name="Ada", language="nl"), "courses")
    assert (
        send_marketing_email(
            user=user, topic="courses", subject="New courses", template=TEMPLATE, context=CONTEXT
        )
        is None
    )
    [received] = smtp_server.to("ada@example.test")
    assert received.subject == "New courses"  # staff's words, as written
    text = received.text
    assert text.startswith("Beste Ada,")
    assert "Our new first-aid course starts in May." in text
    assert (
        f"U krijgt deze e-mail omdat u {settings.PROVIDER_NAME} hebt gevraagd om e-mails over "
        "nieuwe cursussen en opleidingen."
    ) in text.replace("\r\n", " ").replace("\n", " ")
    assert "Uitschrijven met één klik: https://learn.example.test/nl/unsubscribe/" in text
    assert "You are getting this email" not in text
    assert "Uitschrijven" in received.html


def test_the_email_page_in_french(client, make_user, opt_in):
    user = opt_in(make_user(), "events")
    client.force_login(user)
    with translation.override("fr"):
        url = reverse("communications:preferences")
    page = client.get(url).content.decode()
    assert "<h1>E-mails de notre part</h1>" in page
    assert "Désactiver : événements" in page
    assert "Emails from us" not in page and "Turn off" not in page


def test_turning_a_topic_on_in_french_records_the_french_words(client, make_user):
    from learnward.privacy.consent.models import ConsentRecord

    user = make_user()
    client.force_login(user)
    with translation.override("fr"):
        url = reverse("communications:preferences")
    client.post(url, {"topic": "jobs", "action": "on"})
    record = ConsentRecord.objects.filter(subject=user).latest("pk")
    assert record.given
    assert record.text.startswith("Oui, ")  # the words shown on the French page
    assert "les offres d'emploi dans les secteurs pour lesquels nous formons (Offres d'emploi)" in (
        record.text
    )
