"""People's names: NFC, one line, no controls, no direction overrides, no invisible characters;
right-to-left scripts and combining marks as typed."""

from __future__ import annotations

import unicodedata

import pytest
from django import forms

from learnward.core.forms import AccessibleFormMixin, PersonNameField
from learnward.core.text import NameNotAllowed, clean_person_name, csv_safe, scrub_person_name

ARABIC = "فاطمة الزهراء"
HEBREW = "שׁרה לוי"  # with a combining point (shin dot)
PERSIAN = "مهر\u200cناز"  # the zero-width non-joiner inside a Persian name
DEVANAGARI = "क्\u200dष"  # a zero-width joiner after a virama


@pytest.mark.parametrize(
    ("typed", "code", "words"),
    [
        ("Ann\x07 Lee", "control", "control character (U+0007, bell)"),
        ("Ann\x1b[31m Lee", "control", "control character (U+001B, escape)"),
        ("Ann\x00Lee", "control", "(U+0000, null)"),
        ("Ann\tLee", "control", "(U+0009, tab)"),
        ("Ann\x9bLee", "control", "(U+009B"),  # a C1 control
        ("Ann Lee\r\nBcc: victim@example.test", "line_break", "must be on one line"),
        ("Ann Lee\nBcc: victim@example.test", "line_break", "must be on one line"),
        ("Ann\u2028Lee", "line_break", "must be on one line"),
        ("Ann\x85Lee", "line_break", "must be on one line"),
        ("Ann\u202eeeL", "bidi", "changes the direction of the text (U+202E, right-to-left "),
        ("\u202aAnn", "bidi", "U+202A, left-to-right embedding"),
        ("Ann\u2066Lee\u2069", "bidi", "U+2066, left-to-right isolate"),
        ("Ann\u200fLee", "bidi", "U+200F, right-to-left mark"),
        ("Ann\u200bLee", "invisible", "invisible character (U+200B, zero width space)"),
        ("Ann\u00adLee", "invisible", "U+00AD, soft hyphen"),
        ("\ufeffAnn", "invisible", "U+FEFF"),
        ("Ann\U000e0041", "invisible", "U+E0041, tag latin capital letter a"),
        ("\u3164", "invisible", "U+3164, hangul filler"),
        ("Ann\u200d", "invisible", "zero width joiner"),  # a joiner with no letter after it
        ("Ann \u200cLee", "invisible", "zero width non-joiner"),
        ("Ann\ue000", "unprintable", "cannot be printed (U+E000)"),
        ("Ann\U000e0fff", "unprintable", "cannot be printed"),
    ],
)
def test_control_and_format_characters_are_refused_with_a_message_that_names_them(
    typed, code, words
):
    with pytest.raises(NameNotAllowed) as caught:
        clean_person_name(typed)
    assert caught.value.code == code
    assert caught.value.message.startswith("Your name ")
    assert words in caught.value.message


@pytest.mark.parametrize("name", [ARABIC, HEBREW, PERSIAN, DEVANAGARI, "Nguyễn Thị Minh Khai"])
def test_right_to_left_scripts_joiners_between_letters_and_combining_marks_are_kept(name):
    assert clean_person_name(name) == unicodedata.normalize("NFC", name)


def test_a_decomposed_letter_is_stored_composed():
    typed = "Rene\u0301e Dupont"
    assert clean_person_name(typed) == "Renée Dupont"
    assert len(clean_person_name(typed)) == len(typed) - 1


def test_spaces_of_any_kind_become_one_plain_space():
    assert clean_person_name("  Yamada\u3000Taro \u00a0 San ") == "Yamada Taro San"


def test_printable_punctuation_is_a_name_and_is_escaped_where_it_is_shown():
    assert clean_person_name("Siobhán O'Brien & Sons <x>") == "Siobhán O'Brien & Sons <x>"


def test_the_message_names_the_field():
    with pytest.raises(NameNotAllowed, match=r"^The requester's name must be on one line"):
        clean_person_name("A\nB", subject="The requester's name")


@pytest.mark.parametrize(
    ("stored", "scrubbed"),
    [
        ("Ann Lee\r\nBcc: x@example.test", "Ann Lee Bcc: x@example.test"),
        ("Ann\x07\x1bLee", "Ann Lee"),
        ("Ann\u202eeeL", "AnneeL"),
        ("\u2066Ann\u2069 \u200bLee", "Ann Lee"),
        ("Rene\u0301e", "Renée"),
        ("A\u200d\u200bB", "AB"),  # the joiner lost its letter when the space went
        (ARABIC, ARABIC),
        (PERSIAN, PERSIAN),
        ("\u202e\u3164", ""),
    ],
)
def test_scrubbing_keeps_every_visible_character(stored, scrubbed):
    assert scrub_person_name(stored) == scrubbed
    if scrubbed:
        assert clean_person_name(scrubbed) == scrubbed


class _NameForm(AccessibleFormMixin, forms.Form):
    name = PersonNameField(label="Your name", error_messages={"required": "Enter your name."})


def test_the_form_field_turns_a_refusal_into_the_fields_error():
    form = _NameForm({"name": "Ann\u202eLee"})
    assert not form.is_valid()
    [message] = form.errors["name"]
    assert "changes the direction of the text" in message
    assert form.errors.as_data()["name"][0].code == "bidi"


def test_the_form_field_stores_nfc_and_still_requires_a_name():
    form = _NameForm({"name": " Rene\u0301e "})
    assert form.is_valid() and form.cleaned_data["name"] == "Renée"
    form = _NameForm({"name": " \u3000 "})
    assert not form.is_valid() and form.errors["name"] == ["Enter your name."]


def test_the_form_field_counts_length_after_normalising():
    form = _NameForm({"name": "e\u0301" * 150})  # 300 code points typed, 150 letters
    assert PersonNameField().max_length == 150
    assert form.is_valid() and form.cleaned_data["name"] == "é" * 150


# CSV injection: the rule the insights, CPD and accountant's exports share.
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rReturn", "'\rReturn"),
        ("Ada = Lovelace", "Ada = Lovelace"),
        ("", ""),
        (None, ""),
    ],
)
def test_csv_safe_neutralises_formulas(value, expected):
    assert csv_safe(value) == expected
