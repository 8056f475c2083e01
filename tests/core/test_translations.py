"""The translation catalogues are complete and current, and no readable text escapes them.

docs/translation.md, "The checks", explains each test and what to do when one fails.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "learnward"
LOCALE = PACKAGE / "locale"
TRANSLATED = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]

sys.path.insert(0, str(ROOT))
from tools import i18n_lint  # noqa: E402


def _catalogue(code: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / code / "LC_MESSAGES" / "django.po"))


def _key(entry) -> tuple:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def test_the_site_offers_english_dutch_and_french():
    assert [code for code, _ in settings.LANGUAGES] == ["en-gb", "nl", "fr"]
    assert settings.LANGUAGE_CODE == "en-gb"


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(code):
    catalogue = _catalogue(code)
    entries = [e for e in catalogue if not e.obsolete]
    assert len(entries) > 100, "the catalogue holds the site's messages"
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    obsolete = [e.msgid for e in catalogue.obsolete_entries()]
    assert untranslated == [], f"{len(untranslated)} untranslated in {code}: {untranslated[:10]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy in {code}: {fuzzy[:10]}"
    assert obsolete == [], f"obsolete entries in {code}: run make messages"
    assert catalogue.metadata["Language"] == code
    assert "Plural-Forms" in catalogue.metadata


@pytest.mark.parametrize("code", TRANSLATED)
def test_placeholders_survive_translation(code):
    """msgfmt's own check: every %(name)s and {name} of the English is in the translation."""
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(LOCALE / code / "LC_MESSAGES" / "django.po")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_compiled_catalogue_matches_its_source(code):
    """The committed .mo is what `make messages` compiles from the committed .po."""
    source = {
        _key(e): (e.msgstr, dict(e.msgstr_plural)) for e in _catalogue(code).translated_entries()
    }
    compiled = polib.mofile(str(LOCALE / code / "LC_MESSAGES" / "django.mo"))
    built = {_key(e): (e.msgstr, dict(e.msgstr_plural)) for e in compiled if e.msgid}
    assert built == source


def test_makemessages_finds_nothing_new(tmp_path):
    """The catalogues are up to date: extracting the messages again adds and drops none."""
    copy = tmp_path / "learnward"
    shutil.copytree(
        PACKAGE,
        copy,
        ignore=shutil.ignore_patterns("static", "node_modules", "__pycache__", "*.mo"),
    )
    before = {code: {_key(e) for e in _catalogue(code) if not e.obsolete} for code in TRANSLATED}
    cwd = Path.cwd()
    try:
        import os

        os.chdir(copy)
        with override_settings(LOCALE_PATHS=[copy / "locale"]):
            call_command(
                "makemessages",
                locale=TRANSLATED,
                ignore_patterns=["static/*", "*/static/*"],
                add_location="never",
                no_obsolete=True,
                verbosity=0,
            )
    finally:
        os.chdir(cwd)
    for code in TRANSLATED:
        after = polib.pofile(str(copy / "locale" / code / "LC_MESSAGES" / "django.po"))
        keys = {_key(e) for e in after if not e.obsolete}
        assert keys - before[code] == set(), f"new messages not in the {code} catalogue"
        assert before[code] - keys == set(), f"messages no longer used in the {code} catalogue"


def test_no_readable_text_is_left_unmarked():
    findings = i18n_lint.all_findings()
    listing = "\n".join(str(f) for f in findings[:40])
    assert findings == [], f"{len(findings)} unmarked (tools/i18n_lint.py):\n{listing}"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<p>Hello there</p>", ["Hello there"]),
        ('<p>{% translate "Hello there" %}</p>', []),
        ("<p>{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}</p>", []),
        ('<img alt="A photo" src="x">', ["A photo"]),
        ('<img alt="{% translate "A photo" %}" src="x">', []),
        ("<script>const a = 'not text';</script>", []),
        ("<p>{{ course.title }} · 42</p>", []),
        ('<a href="{% url "x" %}"{% if a %} class="b"{% endif %}>{{ t }}</a>', []),
        ("{# a comment #}<p>PDF</p>", []),
    ],
)
def test_the_lint_finds_unmarked_template_text(tmp_path, source, expected):
    path = tmp_path / "page.html"
    path.write_text(source)
    assert [f.text for f in i18n_lint.template_findings(path, "page.html")] == expected


@pytest.mark.parametrize(
    ("source", "count"),
    [
        ('messages.success(request, "Saved.")', 1),
        ('messages.success(request, _("Saved."))', 0),
        ('forms.CharField(label="Your name")', 1),
        ('forms.CharField(label=_("Your name"))', 0),
        ('raise ValidationError(f"{n} is too long")', 1),
        ('raise ValidationError(_("%(n)s is too long") % {"n": n})', 0),
        ('class S(models.TextChoices):\n    A = "a", "Active"', 1),
        ('class S(models.TextChoices):\n    A = "a", _("Active")', 0),
        ('logger.info("sent: %s", name)', 0),
        ('self.stdout.write("Done.")', 1),
    ],
)
def test_the_lint_finds_unmarked_python_text(tmp_path, source, count):
    path = tmp_path / "module.py"
    path.write_text(source)
    assert len(i18n_lint.python_findings(path, "module.py")) == count
