"""The cookie page, the banner and the built-in cookies' wording in each language; the banner's
version covers every language, so an answer given in one language stands in the others."""

from __future__ import annotations

import pytest

from learnward.privacy.consent.cookies import forget_cookie_register
from learnward.privacy.consent.models import CookieDefinition

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_register():
    forget_cookie_register()
    yield
    forget_cookie_register()


def _optional_cookie():
    return CookieDefinition.objects.create(
        name="_pk_id",
        provider="Matomo",
        purpose="Counts visits.",
        duration="13 months",
        essential=False,
        script_url="https://stats.example.test/matomo.js",
    )


def test_the_cookie_page_in_dutch_describes_the_built_in_cookies_in_dutch(client):
    page = client.get("/nl/cookies/").content.decode()
    assert "<h2>Strikt noodzakelijke cookies</h2>" in page
    assert "Houdt u aangemeld terwijl u van pagina naar pagina gaat." in page
    assert "Tot u zich afmeldt, of hoogstens 14 dagen" in page
    assert "Essential cookies" not in page and "Keeps you signed in" not in page


def test_the_cookie_page_in_french_asks_in_french(client):
    _optional_cookie()
    page = client.get("/fr/cookies/").content.decode()
    assert "Accepter les cookies facultatifs" in page
    assert "_pk_id (déposé par Matomo) : Counts visits. Durée : 13 months." in page
    assert "Vous n'avez pas encore fait de choix" in page.replace("&#x27;", "'")
    assert "Accept optional cookies" not in page


def test_an_answer_given_in_french_stands_on_the_dutch_and_english_pages(client):
    _optional_cookie()
    french = client.get("/fr/cookies/").context["state"].version
    dutch = client.get("/nl/cookies/").context["state"].version
    english = client.get("/cookies/").context["state"].version
    assert french == dutch == english
    response = client.post(
        "/fr/cookies/", {"choice": "reject", "version": french, "next": "/fr/cookies/"}
    )
    assert response.status_code == 302
    page = client.get("/nl/cookies/").content.decode()
    assert "U hebt optionele cookies geweigerd." in page
