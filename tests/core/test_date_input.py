"""The day/month/year date input (learnward.core.forms.DayMonthYearField)."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms

from learnward.core.forms import AccessibleFormMixin, DayMonthYearField


class BirthForm(AccessibleFormMixin, forms.Form):
    date_of_birth = DayMonthYearField(label="Date of birth", bday=True)


class OptionalForm(forms.Form):
    when = DayMonthYearField(label="Date", required=False)


def parts(day, month, year, name="date_of_birth"):
    return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}


def test_a_real_date_is_accepted():
    form = BirthForm(parts("27", "3", "2001"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == dt.date(2001, 3, 27)


def test_leading_zeros_and_spaces_are_fine():
    form = BirthForm(parts(" 07 ", "03", "2001"))
    assert form.is_valid()
    assert form.cleaned_data["date_of_birth"] == dt.date(2001, 3, 7)


def test_31_february_is_refused_with_a_clear_message():
    form = BirthForm(parts("31", "2", "2001"))
    assert not form.is_valid()
    assert form.errors["date_of_birth"] == [
        "Date of birth must be a real date: February 2001 has 28 days."
    ]


def test_29_february_only_in_a_leap_year():
    assert BirthForm(parts("29", "2", "2000")).is_valid()
    assert not BirthForm(parts("29", "2", "2001")).is_valid()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (("", "3", "2001"), "Date of birth must include a day."),
        (("27", "", ""), "Date of birth must include a month and year."),
        (("27", "3", ""), "Date of birth must include a year."),
    ],
)
def test_a_partial_date_says_what_is_missing(values, message):
    form = BirthForm(parts(*values))
    assert not form.is_valid()
    assert form.errors["date_of_birth"] == [message]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (("27", "13", "2001"), "The month must be a number from 1 to 12."),
        (("0", "3", "2001"), "Date of birth must be a real date: March 2001 has 31 days."),
        (("27", "3", "01"), "The year must have 4 numbers, like 2001."),
        (("27", "March", "2001"), "must be a real date, written in numbers"),
    ],
)
def test_impossible_values_are_refused(values, message):
    form = BirthForm(parts(*values))
    assert not form.is_valid()
    assert message in form.errors["date_of_birth"][0]


def test_an_empty_required_date_is_refused_and_an_optional_one_is_none():
    assert "date_of_birth" in BirthForm(parts("", "", "")).errors
    optional = OptionalForm(parts("", "", "", name="when"))
    assert optional.is_valid() and optional.cleaned_data["when"] is None


def test_an_iso_date_in_one_value_is_still_accepted():
    form = BirthForm({"date_of_birth": "2001-03-27"})
    assert form.is_valid()
    assert form.cleaned_data["date_of_birth"] == dt.date(2001, 3, 27)


def test_the_markup_is_a_fieldset_with_a_legend_hint_and_three_labelled_boxes():
    html = str(BirthForm(parts("31", "2", "2001"))["date_of_birth"].as_field_group())
    assert "<fieldset" in html and "<legend" in html and "Date of birth</legend>" in html
    assert "For example, 27 3 2001." in html
    for part, label in (("day", "Day"), ("month", "Month"), ("year", "Year")):
        assert (
            f'<label class="date-input__label" for="id_date_of_birth_{part}">{label}</label>'
            in html
        )
        assert f'name="date_of_birth_{part}"' in html
        assert f'autocomplete="bday-{part}"' in html
    assert 'inputmode="numeric"' in html
    assert 'value="31"' in html  # what was typed is kept
    assert 'type="date"' not in html


def test_sign_up_asks_for_the_date_of_birth_in_three_boxes(client, db):
    html = client.get("/accounts/signup/").content.decode()
    assert 'name="date_of_birth_day"' in html and 'type="date"' not in html
