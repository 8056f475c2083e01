"""Country names for the billing form, the order pages and the documents (ISO 3166, pycountry),
in the active language: pycountry ships the ISO 3166 names translated (its ``iso3166-1``
catalogues), so "Belgium" is "België" on a Dutch page and "Belgique" on a French one."""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from learnward.core.i18n import supported_language


def _name(country) -> str:
    return getattr(country, "common_name", None) or country.name


@lru_cache(maxsize=8)
def _catalogue(language: str):
    """pycountry's translations of the country names for ``language`` (en-gb: none)."""
    base = language.split("-")[0]
    if base == "en":
        return gettext.NullTranslations()
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[base], fallback=True)


def _translated(country) -> str:
    return _catalogue(supported_language(get_language())).gettext(_name(country))


@lru_cache(maxsize=8)
def _choices(language: str) -> list[tuple[str, str]]:
    names = sorted(
        ((c.alpha_2, _translated(c)) for c in pycountry.countries),
        key=lambda p: p[1].casefold(),
    )
    return [("", _("Choose a country")), *names]


def country_choices() -> list[tuple[str, str]]:
    """Every country, by its name in the active language, in that language's order."""
    return _choices(supported_language(get_language()))


def country_name(code: str) -> str:
    """The name of a two-letter country code in the active language, or the code when it is not
    one."""
    code = (code or "").strip().upper()
    country = pycountry.countries.get(alpha_2=code) if code else None
    return _translated(country) if country is not None else code
