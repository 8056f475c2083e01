"""Minimisation: each kind of personal detail is replaced before anything leaves."""

from datetime import date

import pytest

from learnward.ai.redaction import identifying_values, luhn_valid, redact, redact_patterns


@pytest.mark.parametrize(
    "text",
    [
        "write to j.smith+cpd@mail.example.co.uk please",
        "Contact: O'Brien@Example.COM.",
    ],
)
def test_email_addresses_are_replaced(text):
    out = redact_patterns(text)
    assert "[EMAIL]" in out
    assert "@" not in out


@pytest.mark.parametrize(
    "number",
    [
        "07700 900123",
        "07700900123",
        "(020) 7946 0958",
        "020 7946 0958",
        "0121-496-0000",
        "+44 7700 900123",
        "+44 (0)20 7946 0958",
        "+1 415 555 2671",
        "+33 1 09 75 83 51",
        "0044 20 7946 0958",
    ],
)
def test_phone_numbers_uk_and_international_are_replaced(number):
    out = redact_patterns(f"Call me on {number} after six.")
    assert out == "Call me on [PHONE] after six."


@pytest.mark.parametrize(
    "postcode",
    ["SW1A 1AA", "sw1a1aa", "M1 1AE", "B33 8TH", "CR2 6XH", "EC1A 1BB", "DN55 1PT", "GIR 0AA"],
)
def test_uk_postcodes_are_replaced(postcode):
    assert redact_patterns(f"I live at {postcode} now") == "I live at [POSTCODE] now"


@pytest.mark.parametrize("nino", ["QQ 12 34 56 C", "AB123456D", "ab 123456 a"])
def test_national_insurance_numbers_are_replaced(nino):
    assert redact_patterns(f"My NI is {nino}.") == "My NI is [NI NUMBER]."


@pytest.mark.parametrize("nino", ["AB123456E", "AB12345C", "AB1234567C"])
def test_wrong_suffix_or_digit_count_is_not_a_nino(nino):
    assert "[NI NUMBER]" not in redact_patterns(f"ref {nino}")


@pytest.mark.parametrize(
    "card",
    ["4111 1111 1111 1111", "4111-1111-1111-1111", "5555555555554444", "378282246310005"],
)
def test_card_numbers_passing_luhn_are_replaced(card):
    assert luhn_valid(card.replace(" ", "").replace("-", ""))
    assert redact_patterns(f"card {card} expires") == "card [CARD NUMBER] expires"


def test_long_numbers_failing_luhn_are_not_called_cards():
    assert not luhn_valid("4111111111111112")
    assert "[CARD NUMBER]" not in redact_patterns("order 4111 1111 1111 1112 shipped")


@pytest.mark.parametrize(
    "text",
    [
        "Keep records for 72 hours, then report within 30 days.",
        "ISO 27001:2022 and article 6(1)(f) apply.",
        "In 2024-05-17 terms, module 3 covers 12 lessons.",
        "Score 45 out of 50 in lesson 1.2.",
    ],
)
def test_ordinary_course_text_is_left_alone(text):
    assert redact_patterns(text) == text


def test_learners_declared_details_are_replaced(make_user):
    user = make_user(
        email="jane.doe@example.org",
        display_name="Jane Okonkwo-Smith",
        date_of_birth=date(1990, 5, 17),
    )
    result = redact(
        "Hi, I'm Jane Okonkwo-Smith (jane okonkwo-smith to friends), born 17/05/1990, also "
        "written 17th May 1990 or 1990-05-17. Mr Okonkwo asked; email jane.doe@example.org.",
        user=user,
    )
    text = result.text
    for leaked in ("Jane", "Okonkwo", "Smith", "1990", "17/05", "jane.doe", "example.org"):
        assert leaked.lower() not in text.lower(), leaked
    assert "[NAME]" in text and "[DATE OF BIRTH]" in text and "[EMAIL]" in text
    assert result.total >= 7


def test_registry_fields_marked_identifying_are_read_for_the_learner(make_user):
    user = make_user(
        email="sam@example.org", display_name="Samira Patel", pending_email="new@x.org"
    )
    values = dict(identifying_values(user))
    assert values["Samira Patel"] == "[NAME]"
    assert values["Samira"] == "[NAME]"
    assert values["sam@example.org"] == "[EMAIL]"
    # pending_email is declared user.contact.email: identifying, so it is covered too.
    assert values["new@x.org"] == "[EMAIL]"


def test_another_users_details_are_not_looked_up_for_this_learner(make_user):
    me = make_user(display_name="Priya Raman")
    make_user(display_name="Tobias Lindqvist")
    values = dict(identifying_values(me))
    assert "Priya" in values
    assert "Tobias" not in values


def test_short_name_parts_do_not_eat_ordinary_words(make_user):
    user = make_user(display_name="Al Li")
    assert redact("Alternatively, list all lessons.", user=user).text == (
        "Alternatively, list all lessons."
    )
    assert redact("Al Li asked", user=user).text == "[NAME] asked"
