"""Amounts as people read them, in the active language, with CLDR's conventions (Babel):
"£1,234.50" in English, "£ 1.234,50" in Dutch, "1 234,50 £GB" in French.

Django's language codes map to Babel locales of Belgium for Dutch and French (Learnward's first
provider is Belgian; the Netherlands' and France's forms of money are the same as Belgium's).
The spaces are CLDR's no-break spaces (U+00A0, and U+202F between thousands in French), so an
amount never wraps across lines. Machine formats (CSV values, JSON) never come through here."""

from decimal import Decimal

from babel.numbers import format_currency, format_decimal
from django import template
from django.utils.translation import get_language

from learnward.core.i18n import supported_language

register = template.Library()

BABEL_LOCALES = {"en-gb": "en_GB", "nl": "nl_BE", "fr": "fr_BE"}


def babel_locale(language: str | None = None) -> str:
    """The Babel locale of ``language`` (default: the active language)."""
    return BABEL_LOCALES.get(supported_language(language or get_language()), "en_GB")


def format_money(amount, currency: str) -> str:
    return format_currency(Decimal(amount), currency, locale=babel_locale())


def percent(value) -> str:
    """A VAT rate as people read it: 20.00 -> "20%", 5.50 -> "5.5%" ("5,5%" in nl and fr)."""
    rate = Decimal(str(value if value not in (None, "") else "0")).normalize()
    return f"{format_decimal(Decimal(f'{rate:f}'), locale=babel_locale())}%"


@register.filter
def money(amount, currency: str = "GBP") -> str:
    if amount is None or amount == "":
        return ""
    return format_money(amount, currency)


@register.filter(name="percent")
def percent_filter(value) -> str:
    if value is None or value == "":
        return ""
    return percent(value)
