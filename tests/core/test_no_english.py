"""Switched to Dutch or French, no page shows a piece of the site's own English.

The walk (tests/core/url_walk.py) asks every URL pattern under ``/nl/`` and ``/fr/`` as a learner
whose saved language it is, and the staff pages as a DPO. Every text a person reads (text nodes
and the attributes read out) is compared with the catalogue: a text that is exactly one of the
site's English messages, where the catalogue has a different translation, is English that
escaped translation (a string marked but shown untranslated, or template text left unmarked
that is marked elsewhere). Names and course content are people's words, not the site's, and a
course's content carries the ``lang`` of the language it is written in: text inside an element
with another ``lang`` is not the page's language and is skipped.
"""

from __future__ import annotations

from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.core.url_walk import World, build_world, urls_to_walk

SHOWN_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "aria-description"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@cache
def english_messages(code: str) -> frozenset[str]:
    """The site's English messages whose translation into ``code`` is different."""
    catalogue = polib.pofile(
        str(Path(settings.BASE_DIR) / "locale" / code / "LC_MESSAGES" / "django.po")
    )
    found = set()
    # A word the translation itself uses ("Continue" is French for "Continues") is not English.
    translations = {" ".join(e.msgstr.split()) for e in catalogue.translated_entries()}
    for entry in catalogue.translated_entries():
        if entry.msgid_plural or "%" in entry.msgid or "{" in entry.msgid or "<" in entry.msgid:
            continue
        if entry.msgstr.strip() == entry.msgid.strip() or len(entry.msgid) < 4:
            continue
        found.add(" ".join(entry.msgid.split()))
    return frozenset(found - translations - FIXTURE_CONTENT)


# Titles the walk's fixtures give their objects (tests/privacy/subject_everywhere.py): people's
# words, which happen to equal a message of the site ("Workshop", a kind of CPD activity).
FIXTURE_CONTENT = {"Workshop"}


class _Texts(HTMLParser):
    """Each text node and read-out attribute, outside scripts, styles and other-``lang``
    subtrees."""

    def __init__(self, page_language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_language = page_language
        self.texts: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # (tag, skipped)

    def _skipping(self) -> bool:
        return any(skipped for _tag, skipped in self._stack)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        lang = (attributes.get("lang") or "").lower()
        # Code and examples (CSV column names, commands) are formats, not the page's words.
        skipped = tag in ("script", "style", "template", "code", "pre", "kbd", "samp") or (
            tag != "html" and bool(lang) and not lang.startswith(self.page_language)
        )
        if not self._skipping() and not skipped:
            for name, value in attrs:
                if value and name in SHOWN_ATTRIBUTES:
                    self.texts.append(value)
        if tag not in VOID:
            self._stack.append((tag, skipped))

    def handle_endtag(self, tag):
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                del self._stack[index:]
                break

    def handle_data(self, data):
        if not self._skipping():
            text = " ".join(data.split())
            if text:
                self.texts.append(text)


def english_on_page(html: str, code: str) -> list[str]:
    parser = _Texts(code)
    parser.feed(html)
    parser.close()
    messages = english_messages(code)
    return sorted({text for text in parser.texts if text in messages})


def test_the_check_finds_english_and_skips_other_languages(db):
    code = "nl"
    assert "Log in" in english_messages(code)
    page = '<main><h1>Log in</h1><p lang="en-gb">Log in</p><p>Aanmelden</p></main>'
    assert english_on_page(page, code) == ["Log in"]
    assert english_on_page('<a title="Log in">Aanmelden</a>', code) == ["Log in"]
    assert english_on_page("<script>'Log in'</script><p>Aanmelden</p>", code) == []


@pytest.fixture
def world(client, settings, tmp_path) -> World:
    return build_world(client=client, settings=settings, tmp_path=tmp_path)


def _walk(world, actor) -> dict[str, str]:
    """The walk's unprefixed addresses (the URL patterns read in the default language)."""
    with translation.override(settings.LANGUAGE_CODE):
        return urls_to_walk(world, actor)


# The design gallery is the developers' reference for the markup, in the source language
# (tools/i18n_lint.py allows it for the same reason).
NOT_READ = {"core:design"}


def _read(client: Client, urls: dict[str, str], code: str) -> tuple[list[str], int]:
    problems, read = [], 0
    for key, url in urls.items():
        if key.split(" ")[0] in NOT_READ:
            continue
        response = client.get(f"/{code}{url}")
        if response.status_code != 200 or response.streaming:
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        read += 1
        html = response.content.decode("utf-8", "replace")
        problems += [f"{key} ({url}): {text!r}" for text in english_on_page(html, code)]
    return problems, read


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["nl", "fr"])
def test_no_page_shows_the_sites_english_in_dutch_or_french(world, make_user, code):
    from learnward.accounts.services import user_set_roles

    learner = make_user(
        email=f"taal-{code}@example.test", display_name="Ann Peeters", language=code
    )
    client = Client(raise_request_exception=False)
    client.force_login(learner)
    problems, read = _read(client, _walk(world, learner), code)
    assert read > 30  # the walk really reads pages
    anonymous = Client(raise_request_exception=False)
    more, _read_anonymous = _read(anonymous, _walk(world, learner), code)
    problems += more

    # The DPO's and an administrator's pages.
    for role in ("Data protection officer", "Administrator"):
        staff = make_user(
            email=f"{role[:3].lower()}-{code}@example.test",
            display_name="Staff Member",
            is_staff=True,
            language=code,
        )
        user_set_roles(user=staff, roles=[role], actor=None)
        device = TOTPDevice.objects.create(user=staff, name="Authenticator app", confirmed=True)
        staff_client = Client(raise_request_exception=False)
        staff_client.force_login(staff)
        session = staff_client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        urls = {k: u for k, u in _walk(world, staff).items() if not u.startswith("/admin/")}
        more, _read_staff = _read(staff_client, urls, code)
        problems += [f"{role}: {p}" for p in more]
    assert not problems, f"{len(problems)} English texts on {code} pages:\n" + "\n".join(
        sorted(set(problems))[:80]
    )
