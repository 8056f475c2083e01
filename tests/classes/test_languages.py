"""Classes in Dutch and French: the booking email and its calendar invitation in the learner's
saved language, the learner's pages under /fr/, and a QR check-in link without a language
prefix (each learner who scans it lands in their own language)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from icalendar import Calendar

from learnward.classes.services import booking_create

from .conftest import make_session

pytestmark = pytest.mark.django_db


def _event(received):
    (part,) = [p for p in received.message.walk() if p.get_content_type() == "text/calendar"]
    (event,) = Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")
    return event


def test_a_dutch_learner_is_booked_in_dutch(
    smtp_server, session, enrolled, django_capture_on_commit_callbacks, settings
):
    settings.BASE_URL = "https://learn.example.test"
    ann = enrolled("Ann", email="ann@example.test", language="nl")
    with django_capture_on_commit_callbacks(execute=True):
        booking_create(actor=ann, session=session, user=ann)
    (received,) = smtp_server.to("ann@example.test")
    assert received.subject == "Uw plaats in Evening class"
    text = received.text.replace("\r\n", "\n")
    assert text.startswith("Beste Ann,")
    assert "U hebt een plaats in deze sessie:" in text
    with translation.override("nl"):
        when = date_format(timezone.localtime(session.starts_at), "l j F Y, H:i")
    assert f"Wanneer: {when} tot " in text
    assert "https://learn.example.test/nl/sessions/" in text
    assert "You have a place" not in text and "When:" not in text
    description = str(_event(received)["DESCRIPTION"])
    assert "Uw sessies: https://learn.example.test/nl/sessions/" in description


def test_a_french_waitlisted_learner_gets_a_french_tentative_invitation(
    smtp_server, course, enrolled, django_capture_on_commit_callbacks
):
    full = make_session(course, capacity=1, mode="online", venue="", meeting_url="https://m.test/x")
    first, second = enrolled("Ann"), enrolled("Bea", email="bea@example.test", language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        booking_create(actor=first, session=full, user=first)
        booking_create(actor=second, session=full, user=second)
    (received,) = smtp_server.to("bea@example.test")
    assert received.subject == "Vous êtes sur la liste d'attente de Evening class"
    assert "Cette session est complète : vous êtes donc sur sa liste d'attente :" in received.text
    event = _event(received)
    assert str(event["LOCATION"]) == "En ligne"
    assert str(event["DESCRIPTION"]).startswith(
        "Vous êtes sur la liste d'attente : nous vous écrirons si une place se libère."
    )
    assert "https://m.test/x" not in received.message.as_string()


def test_my_sessions_in_french(client, session, enrolled):
    learner = enrolled("Ann")
    booking_create(actor=learner, session=session, user=learner)
    client.force_login(learner)
    page = client.get("/fr" + reverse("classes:mine")).content.decode()
    assert "<h1>Mes sessions</h1>" in page
    assert "Annuler ma place" in page
    # The page's own words (the site's menu belongs to another part of the site).
    assert "The classes and online sessions you have booked" not in page
    assert "Cancel my place" not in page


def test_the_qr_check_in_link_has_no_language_prefix(client, course, teacher):
    soon = make_session(course, teachers=[teacher], starts_in=timedelta(minutes=10))
    client.force_login(teacher)
    with translation.override("nl"):
        url = reverse("classes_staff:qr", args=[soon.pk])
    assert url.startswith("/nl/")
    page = client.get(url).content.decode()
    assert "Een nieuwe code tonen" in page
    assert "/sessions/check-in/" in page and "/nl/sessions/check-in/" not in page
