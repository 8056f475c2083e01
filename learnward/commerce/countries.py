"""Country names for the billing form, the order pages and the documents (ISO 3166, pycountry)."""

from __future__ import annotations

from functools import lru_cache

import pycountry


def _name(country) -> str:
    return getattr(country, "common_name", None) or country.name


@lru_cache(maxsize=1)
def country_choices() -> list[tuple[str, str]]:
    names = sorted(((c.alpha_2, _name(c)) for c in pycountry.countries), key=lambda p: p[1])
    return [("", "Choose a country"), *names]


def country_name(code: str) -> str:
    """The English name of a two-letter country code, or the code when it is not one."""
    code = (code or "").strip().upper()
    country = pycountry.countries.get(alpha_2=code) if code else None
    return _name(country) if country is not None else code
