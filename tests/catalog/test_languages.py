"""The catalog's language filter and its wording in Dutch and French."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from .factories import make_course

pytestmark = pytest.mark.django_db


def test_the_filter_shows_only_the_courses_taught_in_that_language(client):
    make_course(title="Fire safety", language="en-gb")
    make_course(title="Brandveiligheid", language="nl")
    make_course(title="Sécurité incendie", language="fr")
    page = client.get(reverse("catalog:list"), {"language": "nl"}).content.decode()
    assert "Brandveiligheid" in page
    assert "Fire safety" not in page and "Sécurité incendie" not in page
    assert 'id="id_language"' in page


def test_an_unknown_language_code_shows_every_course(client):
    make_course(title="Fire safety", language="en-gb")
    make_course(title="Brandveiligheid", language="nl")
    page = client.get(reverse("catalog:list"), {"language": "xx"}).content.decode()
    assert "Fire safety" in page and "Brandveiligheid" in page


def test_the_filter_is_hidden_when_every_course_is_in_one_language(client):
    make_course(title="Fire safety", language="en-gb")
    make_course(title="Manual handling", language="en-gb")
    page = client.get(reverse("catalog:list")).content.decode()
    assert "Fire safety" in page and "Manual handling" in page
    assert 'id="id_language"' not in page


def test_the_catalog_in_dutch_and_french(client):
    course = make_course(title="Brandveiligheid", language="nl")
    course.cpd_hours = Decimal("1.5")
    course.save(update_fields=["cpd_hours"])
    make_course(title="Fire safety", language="en-gb")
    with translation.override("nl"):
        url = reverse("catalog:list")
    assert url == "/nl/courses/" or url.startswith("/nl/")
    dutch = client.get(url).content.decode()
    assert "Cursussen" in dutch and "Onderwijstaal" in dutch
    assert "<strong>1,5</strong> CPD-uren" in dutch
    assert "Taught in" not in dutch
    with translation.override("fr"):
        french = client.get(reverse("catalog:list")).content.decode()
    assert "Langue d&#x27;enseignement" in french or "Langue d'enseignement" in french
    assert "heures de CPD" in french
    assert "CPD hours" not in french


def test_durations_in_each_language():
    from learnward.catalog.templatetags.catalog_tags import format_minutes

    with translation.override("en-gb"):
        assert format_minutes(150) == "2 hours 30 min"
    with translation.override("nl"):
        assert format_minutes(60) == "1 uur"
    with translation.override("fr"):
        assert format_minutes(150) == "2 heures 30 min"
