"""Choosing the language: addresses, the switcher, Accept-Language, the saved preference, and
everything sent to a person in their language (docs/translation.md)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from learnward.accounts.models import User
from learnward.audit.models import AuditEntry
from learnward.core.i18n import path_in_language, strip_language_prefix, supported_language

from .conftest import signup_data

pytestmark = pytest.mark.django_db

HTML = {"HTTP_ACCEPT": "text/html,application/xhtml+xml"}


@pytest.mark.parametrize(
    ("code", "lang", "phrase", "absent"),
    [
        ("en-gb", "en-GB", "Create an account", "Een account aanmaken"),
        ("nl", "nl", "Een account aanmaken", "Create an account"),
        ("fr", "fr", "Créer un compte", "Create an account"),
    ],
)
def test_each_language_has_its_own_addresses(client, code, lang, phrase, absent):
    with translation.override(code):
        url = reverse("accounts:signup")
    assert url == {"en-gb": "", "nl": "/nl", "fr": "/fr"}[code] + "/accounts/signup/"
    html = client.get(url).content.decode()
    assert f'<html lang="{lang}">' in html
    assert f"<h1>{phrase}</h1>" in html
    assert absent not in html


def test_paths_move_between_languages():
    assert path_in_language("/courses/", "nl") == "/nl/courses/"
    assert path_in_language("/nl/courses/", "fr") == "/fr/courses/"
    assert path_in_language("/fr/courses/", "en-gb") == "/courses/"
    assert path_in_language("/nl", "en-gb") == "/"
    assert strip_language_prefix("/nlx/") == "/nlx/"  # a prefix is a whole segment
    assert supported_language("nl-BE") == "nl"
    assert supported_language("fr-CA") == "fr"
    assert supported_language("de") == "en-gb"
    assert supported_language(None) == "en-gb"


def test_a_first_visit_follows_accept_language(client):
    response = client.get("/courses/?language=nl", HTTP_ACCEPT_LANGUAGE="nl-BE,nl;q=0.9", **HTML)
    assert response.status_code == 302
    assert response["Location"] == "/nl/courses/?language=nl"
    assert "Accept-Language" in response["Vary"]
    french = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.8,en;q=0.5", **HTML)
    assert french["Location"] == "/fr/"
    # English, an unknown language or no preference: the page itself.
    for header in ("en-GB,en;q=0.9", "de-DE", ""):
        assert client.get("/", HTTP_ACCEPT_LANGUAGE=header, **HTML).status_code == 200


def test_only_page_views_are_sent_to_another_language(client):
    dutch = {"HTTP_ACCEPT_LANGUAGE": "nl"}
    # Not a page a browser navigates to, not a GET, or not in the i18n patterns: answered as is.
    assert client.get("/", HTTP_ACCEPT="application/json", **dutch).status_code == 200
    assert client.post("/language/", {"language": "nl"}, **dutch, **HTML).status_code == 302
    api = client.get("/api/v1/certificates/NOPE-NOPE-NOPE-NOPE", **dutch, **HTML)
    assert api.status_code != 302
    # An address that already names a language is obeyed.
    assert client.get("/fr/", **dutch, **HTML).status_code == 200


def test_the_switcher_keeps_the_page_and_remembers_the_choice(client):
    page = client.get("/courses/").content.decode()
    assert 'action="/language/"' in page
    assert '<input type="hidden" name="next" value="/courses/">' in page
    assert 'lang="nl"' in page and ">Nederlands</button>" in page
    assert 'lang="fr"' in page and ">Français</button>" in page

    response = client.post("/language/", {"language": "fr", "next": "/courses/?page=2"})
    assert response.status_code == 302
    assert response["Location"] == "/fr/courses/?page=2"
    cookie = response.cookies["learnward_language"]
    assert cookie.value == "fr" and cookie["httponly"] and cookie["samesite"] == "Lax"
    # Back to English, from a French page: the cookie now outranks a French browser.
    response = client.post("/language/", {"language": "en-gb", "next": "/fr/courses/"})
    assert response["Location"] == "/courses/"
    assert client.cookies["learnward_language"].value == "en-gb"
    stay = client.get("/courses/", HTTP_ACCEPT_LANGUAGE="fr", **HTML)
    assert stay.status_code == 200


@pytest.mark.parametrize(
    ("posted", "location"),
    [
        ({"language": "xx", "next": "/courses/"}, "/courses/"),  # unknown: the default
        ({"language": "nl", "next": "https://evil.example/"}, "/nl/"),  # off-site: home
        ({"language": "nl", "next": "//evil.example/x"}, "/nl/"),
        ({"language": "nl"}, "/nl/"),
    ],
)
def test_the_switcher_refuses_other_sites_and_unknown_languages(client, posted, location):
    response = client.post("/language/", posted)
    assert response.status_code == 302
    assert response["Location"] == location


def test_the_switcher_needs_a_post(client):
    assert client.get("/language/?language=nl&next=/").status_code == 405


def test_switching_while_signed_in_saves_the_language(client, make_user):
    user = make_user()
    client.force_login(user)
    client.post("/language/", {"language": "nl", "next": "/dashboard/"})
    user.refresh_from_db()
    assert user.language == "nl"
    entry = AuditEntry.objects.get(action="user.profile_changed", subject_id=user.pk)
    assert entry.payload == {"fields": ["language"]}
    # The same choice again records nothing more.
    client.post("/language/", {"language": "nl", "next": "/dashboard/"})
    assert AuditEntry.objects.filter(action="user.profile_changed").count() == 1


def test_a_signed_in_person_is_sent_to_their_saved_language(client, make_user):
    client.force_login(make_user(language="fr"))
    response = client.get("/dashboard/", **HTML)
    assert response["Location"] == "/fr/dashboard/"
    assert client.get("/fr/dashboard/", **HTML).status_code == 200


def test_the_language_of_the_sign_up_page_is_saved(client, smtp_server, commit):
    response = commit(client.post, "/nl/accounts/signup/", signup_data(email="anke@example.test"))
    assert response.status_code == 302
    assert response["Location"] == "/nl/accounts/signup/done/"
    user = User.objects.get(email="anke@example.test")
    assert user.language == "nl"
    [message] = smtp_server.to("anke@example.test")
    assert message.subject == "Bevestig uw e-mailadres"
    assert "Beste Nia Newperson," in message.text
    assert "Bevestig het e-mailadres van uw account" in message.text
    assert "Please confirm" not in message.text
    [link] = [u for u in message.links() if "/accounts/verify/" in u]
    assert "/nl/accounts/verify/" in link
    page = client.get(link.removeprefix("http://127.0.0.1:8000")).content.decode()
    assert "E-mailadres bevestigd" in page


def test_an_english_sign_up_is_saved_as_english(client, smtp_server, commit):
    commit(client.post, "/accounts/signup/", signup_data(email="ed@example.test"))
    assert User.objects.get(email="ed@example.test").language == "en-gb"
    [message] = smtp_server.to("ed@example.test")
    assert message.subject == "Confirm your email address"


def test_the_profile_changes_the_language(client, make_user):
    user = make_user(display_name="Jo Bloggs")
    client.force_login(user)
    page = client.get("/accounts/profile/").content.decode()
    assert '<select name="language"' in page and '<option value="en-gb" selected>' in page
    response = client.post(
        "/accounts/profile/", {"display_name": "Jo Bloggs", "language": "fr"}, follow=True
    )
    user.refresh_from_db()
    assert user.language == "fr"
    assert response.redirect_chain[0][0] == "/fr/accounts/profile/"
    assert "Votre langue a été modifiée." in response.content.decode()
    # A language the site does not offer is refused, and nothing changes.
    refused = client.post("/fr/accounts/profile/", {"display_name": "Jo Bloggs", "language": "de"})
    assert refused.status_code == 400
    user.refresh_from_db()
    assert user.language == "fr"


def test_emails_from_the_worker_use_the_saved_language(smtp_server, make_user):
    from learnward.accounts import tasks

    user = make_user(language="fr", display_name="Élodie Martin")
    user.set_password("an old one")
    user.save()
    with translation.override("en-gb"):  # the worker's own language
        tasks.send_password_changed_email.call(user.pk)
        assert translation.get_language() == "en-gb"  # untouched afterwards
    [message] = smtp_server.to(user.email)
    assert message.subject == "Votre mot de passe a été modifié"
    assert "Bonjour Élodie Martin," in message.text
    assert any("/fr/accounts/password_reset/" in link for link in message.links())


def test_dates_and_numbers_follow_the_language():
    from datetime import date

    from django.template import Context, Template

    template = Template('{{ day|date:"j F Y" }} · {{ number|floatformat:1 }}')
    context = Context({"day": date(2026, 12, 6), "number": 2.5})
    expected = {
        "en-gb": "6 December 2026 · 2.5",
        "nl": "6 december 2026 · 2,5",
        "fr": "6 décembre 2026 · 2,5",
    }
    for code, text in expected.items():
        with translation.override(code):
            assert template.render(context) == text


def test_the_date_input_speaks_the_language(client):
    html = client.get("/nl/accounts/signup/").content.decode()
    assert ">Dag</label>" in html and ">Maand</label>" in html and ">Jaar</label>" in html
    assert "Bijvoorbeeld 27 3 2001" in html
    data = signup_data()
    del data["date_of_birth"]
    data.update(date_of_birth_day="31", date_of_birth_month="2", date_of_birth_year="1990")
    response = client.post("/fr/accounts/signup/", data)
    assert "février" in response.content.decode()


def test_the_switcher_sets_no_csrf_cookie_for_visitors_but_checks_it_for_accounts(make_user):
    from django.test import Client

    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/privacy/")
    assert "csrftoken" not in page.cookies  # nothing else to post on this page
    assert visitor.post("/language/", {"language": "nl", "next": "/privacy/"}).status_code == 302

    user = make_user()
    member = Client(enforce_csrf_checks=True)
    member.force_login(user)
    refused = member.post("/language/", {"language": "nl", "next": "/"})
    assert refused.status_code == 403
    user.refresh_from_db()
    assert user.language == "en-gb"  # nothing saved without the token
    token = member.get("/courses/").cookies["csrftoken"].value
    accepted = member.post(
        "/language/", {"language": "nl", "next": "/", "csrfmiddlewaretoken": token}
    )
    assert accepted.status_code == 302
    user.refresh_from_db()
    assert user.language == "nl"
