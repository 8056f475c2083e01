"""The one sending service: marketing only with consent and the gate's say-so, with one-click
unsubscribe (RFC 8058); service email regardless of marketing choices."""

from datetime import date
from urllib.parse import urlsplit

import pytest
from django.test import Client

from learnward.communications.email import (
    MissingUnsubscribeLink,
    marketing_skip_reason,
    send_marketing_email,
    unsubscribe_token,
)
from learnward.communications.services import topic_states
from learnward.core.mail import send_service_email
from learnward.privacy.consent.models import ConsentRecord
from learnward.privacy.consent.services import consent_given

TEMPLATE = "communications/email/mailing"
CONTEXT = {"body_text": "Our new first-aid course starts in May.", "body_html": "<p>May.</p>"}


def _send(user, topic="courses"):
    return send_marketing_email(
        user=user, topic=topic, subject="New courses", template=TEMPLATE, context=CONTEXT
    )


def test_marketing_carries_an_unsubscribe_link_and_one_click_headers(
    smtp_server, make_user, opt_in, settings
):
    settings.BASE_URL = "https://learn.example.test"
    user = opt_in(make_user(email="ada@example.test"), "courses")
    assert _send(user) is None
    [received] = smtp_server.to("ada@example.test")
    header = str(received.message["List-Unsubscribe"]).strip()  # long headers are folded
    assert received.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert header.startswith("<https://learn.example.test/unsubscribe/") and header.endswith(">")
    link = header[1:-1]
    assert link in received.links()  # the same link is in the body
    assert "Our new first-aid course starts in May." in received.text
    assert "because you asked" in received.text and "new courses and training" in received.text
    assert link in received.html


def test_one_click_post_unsubscribes_without_login_or_csrf(smtp_server, make_user, opt_in):
    user = opt_in(make_user(email="ada@example.test"), "courses", "events")
    _send(user)
    link = str(smtp_server.to("ada@example.test")[0].message["List-Unsubscribe"]).strip()[1:-1]
    path = urlsplit(link).path
    # What a mail client does (RFC 8058): a POST with this body, no cookies, no CSRF token.
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not consent_given(user=user, purpose="marketing", topic="courses")
    assert consent_given(user=user, purpose="marketing", topic="events")  # only that list
    withdrawal = ConsentRecord.objects.filter(given=False).get()
    assert withdrawal.method == "email_link" and withdrawal.topic == "courses"
    assert "unsubscribe link in an email" in withdrawal.text
    # Posting again changes nothing.
    mail_client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert ConsentRecord.objects.filter(given=False).count() == 1
    # And the next marketing email is not sent.
    smtp_server.clear()
    assert _send(user) == "no_consent"
    assert smtp_server.messages == []


def test_following_the_link_shows_a_confirmation_page_that_does_nothing_by_itself(
    smtp_server, client, make_user, opt_in
):
    user = opt_in(make_user(email="ada@example.test"), "courses")
    _send(user)
    link = smtp_server.to("ada@example.test")[0].links()
    unsubscribe = next(url for url in link if "/unsubscribe/" in url)
    page = client.get(urlsplit(unsubscribe).path)
    assert page.status_code == 200
    assert b"Unsubscribe from new courses and training" in page.content
    assert consent_given(user=user, purpose="marketing", topic="courses")  # GET changes nothing
    done = client.post(urlsplit(unsubscribe).path, {"scope": "all"})
    assert b"You are unsubscribed" in done.content
    assert not any(topic_states(user=user).values())


def test_service_email_still_arrives_after_unsubscribing(smtp_server, make_user, opt_in):
    user = opt_in(make_user(email="ada@example.test"), "courses")
    Client().post(f"/unsubscribe/{unsubscribe_token(user=user, topic='courses')}/", {})
    assert not consent_given(user=user, purpose="marketing", topic="courses")
    send_service_email(
        to=user.email,
        subject="Your certificate",
        template=TEMPLATE,
        context={**CONTEXT, "user": user},
    )
    assert [m.subject for m in smtp_server.to("ada@example.test")] == ["Your certificate"]


@pytest.mark.parametrize("token", ["nonsense", "eyJ1IjoxLCJ0IjoiY291cnNlcyJ9:forged"])
def test_a_bad_unsubscribe_link_is_a_404(client, db, token):
    assert client.get(f"/unsubscribe/{token}/").status_code == 404
    assert client.post(f"/unsubscribe/{token}/").status_code == 404


def test_a_token_for_an_unknown_topic_is_a_404(client, make_user):
    token = unsubscribe_token(user=make_user(), topic="gossip")
    assert client.get(f"/unsubscribe/{token}/").status_code == 404


def test_without_consent_nothing_is_sent(smtp_server, make_user, opt_in):
    user = opt_in(make_user(), "events")
    assert _send(user, topic="courses") == "no_consent"
    assert smtp_server.messages == []


def test_a_restricted_learner_who_opted_in_gets_no_marketing(
    smtp_server, make_user, opt_in, restrict
):
    user = opt_in(make_user(), "courses")
    restrict(user)
    assert marketing_skip_reason(user=user, topic="courses") == "restricted"
    assert _send(user) == "restricted"
    assert smtp_server.messages == []


def test_an_objection_to_direct_marketing_stops_it(
    smtp_server, make_user, opt_in, object_to_marketing
):
    user = opt_in(make_user(), "courses")
    object_to_marketing(user)
    assert _send(user) == "objecting"
    assert smtp_server.messages == []


def test_minors_get_no_marketing_even_with_an_old_consent(smtp_server, make_user, opt_in):
    today = date.today()
    user = opt_in(make_user(), "courses")  # consented while no date of birth was known
    user.date_of_birth = date(today.year - 16, 1, 1)
    user.save()
    assert _send(user) == "minor"
    assert smtp_server.messages == []


def test_a_deactivated_account_gets_no_marketing(smtp_server, make_user, opt_in):
    user = opt_in(make_user(), "courses")
    user.status = user.Status.DEACTIVATED
    user.save()
    assert _send(user) is not None
    assert smtp_server.messages == []


def test_a_marketing_template_without_the_link_is_refused(
    smtp_server, make_user, opt_in, tmp_path, settings
):
    user = opt_in(make_user(), "courses")
    (tmp_path / "bad.txt").write_text("Buy now!")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    with pytest.raises(MissingUnsubscribeLink):
        send_marketing_email(user=user, topic="courses", subject="x", template="bad", context={})
    assert smtp_server.messages == []
