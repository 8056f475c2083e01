"""An account created at single sign-on gets the language of the page the sign-in started on;
the redirect URI registered with the provider stays the unprefixed one in every language."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from learnward.accounts.models import User

from .conftest import callback_path, provider_login, query

pytestmark = pytest.mark.django_db


def test_a_sign_in_started_on_a_dutch_page_makes_a_dutch_account(client, idp):
    with translation.override("en-gb"):
        start = reverse("sso:start", args=[idp.slug])
    response = client.post(f"/nl{start}", {"next": "/nl/courses/"})
    assert response.status_code == 302
    authorize = response["Location"]
    assert query(authorize)["redirect_uri"] == "http://testserver/sso/callback/"

    answer = client.get(callback_path(provider_login(authorize, "ann")))

    assert answer.status_code == 302 and answer["Location"] == "/nl/courses/"
    assert User.objects.get(email="ann@harbourside.test").language == "nl"


def test_a_refused_sign_in_answers_in_the_language_it_started_in(client, idp):
    with translation.override("en-gb"):
        start = reverse("sso:start", args=[idp.slug])
    client.post(f"/fr{start}", {"next": "/fr/courses/"})
    state = next(iter(client.session["oidc_states"]))
    response = client.get(f"/sso/callback/?state={state}&error=access_denied")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Vous n'avez pas été connecté" in page or "Vous n&#x27;avez pas été connecté" in page
    assert 'lang="fr"' in page
    assert "You have not been signed in" not in page
