"""Opting in and out: the screen says what is sent, to whom and for how long; that exact text is
the consent record; withdrawing turns AI off at once."""

import re
from html import unescape

import pytest
from django.urls import reverse

from learnward.ai.selectors import ai_status
from learnward.privacy.consent.models import ConsentRecord


def shown_text(html: str) -> str:
    match = re.search(r'<p id="opt-in-text">(.*?)</p>', html, re.S)
    assert match, "the opt-in text is not on the page"
    return unescape(match.group(1))


def version_on(html: str) -> str:
    return re.search(r'name="version" value="([^"]+)"', html).group(1)


@pytest.fixture
def ai_site(fake_llm, ai_processor):
    return ai_processor


def test_without_a_provider_there_is_nothing_to_opt_into(client, learner):
    client.force_login(learner)
    html = client.get(reverse("ai:settings")).content.decode()
    assert "does not use an AI service" in html
    assert 'name="agree"' not in html


def test_the_screen_says_what_is_sent_to_whom_and_for_how_long(client, learner, ai_site):
    client.force_login(learner)
    text = shown_text(client.get(reverse("ai:settings")).content.decode())
    assert "your question and the passages of the course" in text
    assert "Example AI Ltd (Language model API)" in text
    assert "United States" in text and "international data transfer agreement" in text.lower()
    assert "for 90 days" in text
    assert "do not include your account" in text.lower() or "does not include your account" in text


def test_opting_in_records_consent_with_the_exact_text_shown(client, learner, ai_site):
    client.force_login(learner)
    html = client.get(reverse("ai:settings")).content.decode()
    response = client.post(reverse("ai:settings"), {"agree": "on", "version": version_on(html)})
    assert response.status_code == 302
    record = ConsentRecord.objects.get(subject=learner, purpose="ai_assistance")
    assert record.given is True
    assert record.text == shown_text(html)
    assert record.method == "account"
    assert ai_status(user=learner).enabled


def test_opting_in_without_ticking_the_box_records_nothing(client, learner, ai_site):
    client.force_login(learner)
    html = client.get(reverse("ai:settings")).content.decode()
    response = client.post(reverse("ai:settings"), {"version": version_on(html)})
    assert response.status_code == 400
    assert "Tick the box" in response.content.decode()
    assert not ConsentRecord.objects.filter(subject=learner).exists()


def test_wording_changed_while_reading_records_nothing(client, learner, ai_site):
    client.force_login(learner)
    html = client.get(reverse("ai:settings")).content.decode()
    ai_site.name = "Other AI Inc"
    ai_site.save()
    response = client.post(reverse("ai:settings"), {"agree": "on", "version": version_on(html)})
    assert response.status_code == 400
    assert "wording changed" in response.content.decode()
    assert not ConsentRecord.objects.filter(subject=learner).exists()


def test_a_new_processor_or_log_period_asks_again(client, learner, ai_on, ai_processor, settings):
    assert ai_status(user=learner).enabled
    ai_processor.name = "Replacement AI Ltd"
    ai_processor.save()
    status = ai_status(user=learner)
    assert not status.enabled and "wording changed" in status.reason


def test_withdrawing_turns_ai_off_at_once(client, learner, ai_on):
    client.force_login(learner)
    assert ai_status(user=learner).enabled
    response = client.post(reverse("ai:settings"), {"action": "off"})
    assert response.status_code == 302
    assert not ai_status(user=learner).enabled
    latest = ConsentRecord.objects.filter(subject=learner).order_by("-at", "-id").first()
    assert latest.given is False and "Turn off AI-assisted features" in latest.text


def test_an_active_processor_is_required(client, learner, fake_llm, ai_processor):
    ai_processor.active = False
    ai_processor.save()
    assert not ai_status(user=learner).configured
    client.force_login(learner)
    assert 'name="agree"' not in client.get(reverse("ai:settings")).content.decode()


def test_recent_calls_are_listed_with_what_was_sent(client, learner, course, ai_on):
    client.force_login(learner)
    client.post(reverse("ai:ask", args=[course.slug]), {"question": "withdraw consent"})
    html = client.get(reverse("ai:settings")).content.decode()
    assert "Ask the course" in html and "Example AI Ltd" in html and "Text sent" in html


def test_settings_page_needs_login(client):
    response = client.get(reverse("ai:settings"))
    assert response.status_code == 302
