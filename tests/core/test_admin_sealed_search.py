"""Admin searches by personal data are posted, and the changelist's addresses carry only a
short-lived token for the term (learnward.core.admin.SealedSearchMixin)."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
import time_machine
from django.contrib import admin
from django.utils import timezone

from learnward.accounts.roles import ADMINISTRATOR
from learnward.core.admin import SealedSearchMixin
from learnward.privacy.registry import declaration_for
from learnward.privacy.registry.taxonomy import NOT_PERSONAL

USERS = "/admin/accounts/user/"
EMAIL = "priya.private@example.test"


def _field_of(model, path: str):
    parts = path.lstrip("^=@").split("__")
    for part in parts[:-1]:
        model = model._meta.get_field(part).related_model
    return model._meta.pk if parts[-1] == "pk" else model._meta.get_field(parts[-1])


def test_every_admin_that_searches_personal_data_seals_its_searches():
    unsealed = []
    for model, model_admin in admin.site._registry.items():
        for path in model_admin.search_fields or ():
            field = _field_of(model, path)
            declaration = declaration_for(field.model)
            category = declaration.fields.get(field.name) if declaration else None
            if category != NOT_PERSONAL and not isinstance(model_admin, SealedSearchMixin):
                unsealed.append(f"{model._meta.label} searches {path} ({category})")
    assert unsealed == [], "\n".join(unsealed)


@pytest.fixture
def administrator(client, make_user, settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    for n in range(3):
        make_user(email=f"other{n}@example.test", display_name=f"Other Person {n}")
    make_user(email=EMAIL, display_name="Priya Private")
    staff = make_user(email="admin@example.test", roles=[ADMINISTRATOR])
    client.force_login(staff)
    return staff


def _hrefs(page: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]*)"', page)]


def _clean(url: str) -> None:
    assert "priya" not in url.lower() and "%40" not in url and "@" not in url, url


@pytest.mark.django_db
def test_the_search_is_posted_and_every_link_carries_a_token(client, administrator):
    page = client.get(USERS).content.decode()
    assert '<form id="changelist-search" method="post" role="search">' in page
    assert "csrfmiddlewaretoken" in page

    response = client.post(USERS, {"q": EMAIL, "_search": "1", "status": "active"})
    assert response.status_code == 302
    location = response["Location"]
    _clean(location)
    assert location.startswith(f"{USERS}?") and "qt=" in location and "status=active" in location

    listing = client.get(location)
    assert listing.status_code == 200
    text = listing.content.decode()
    assert "1 result" in text and EMAIL in text and "other0@example.test" not in text
    links = [h for h in _hrefs(text) if h.startswith("?") or h.startswith(USERS)]
    assert any("qt=" in h and "o=" in h for h in links), links  # sorting keeps the search
    assert any("_changelist_filters" in h for h in links)  # so does the way back from a change
    for href in links:
        _clean(href)
        assert "q=" not in href.replace("qt=", "")

    # Following a sort link keeps the same search; the change page's way back does too.
    sort = next(h for h in links if "qt=" in h and "o=" in h)
    assert "1 result" in client.get(USERS + sort).content.decode()
    change = next(h for h in links if "_changelist_filters" in h)
    change_page = client.get(change).content.decode()
    carried = re.findall(r"_changelist_filters=([^\"&]+)", change_page)
    assert carried, "the change page should carry the search back to the list"
    for filters in carried:
        _clean(filters)
        back = USERS + "?" + unquote(html.unescape(filters))
        assert "qt=" in back and "1 result" in client.get(back).content.decode()


@pytest.mark.django_db
def test_a_search_token_expires_and_is_personal(client, administrator, make_user):
    made = timezone.now()
    with time_machine.travel(made, tick=False):
        location = client.post(USERS, {"q": EMAIL, "_search": "1"})["Location"]
    with time_machine.travel(made + timedelta(minutes=31), tick=False):
        response = client.get(location, follow=True)
    text = response.content.decode()
    assert response.redirect_chain[-1][0] == USERS
    assert "That search has expired (after 30 minutes); search again." in text

    colleague = make_user(email="admin2@example.test", roles=[ADMINISTRATOR])
    client.force_login(colleague)
    with time_machine.travel(made, tick=False):
        response = client.get(location, follow=True)
    assert "That search has expired" in response.content.decode()


@pytest.mark.django_db
def test_an_empty_search_clears_it_and_a_typed_query_still_works(client, administrator):
    assert client.post(USERS, {"q": "  ", "_search": "1"})["Location"] == USERS
    page = client.get(USERS, {"q": "priya"}).content.decode()
    assert "1 result" in page
    for href in _hrefs(page):
        if href.startswith("?"):
            _clean(href)


@pytest.mark.django_db
def test_someone_without_the_permission_cannot_search(client, make_user, settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    client.force_login(make_user(roles=["Tutor"]))
    assert client.post(USERS, {"q": EMAIL, "_search": "1"}).status_code == 403
