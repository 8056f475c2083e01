"""Amounts as people read them: £1,234.50, €99.00."""

from decimal import Decimal

from django import template

register = template.Library()

SYMBOLS = {"GBP": "£", "EUR": "€"}


def format_money(amount, currency: str) -> str:
    value = Decimal(amount)
    sign = "-" if value < 0 else ""
    return f"{sign}{SYMBOLS.get(currency, currency + ' ')}{abs(value):,.2f}"


@register.filter
def money(amount, currency: str = "GBP") -> str:
    if amount is None or amount == "":
        return ""
    return format_money(amount, currency)
