"""Which VAT applies to a sale, and how much: pure functions, no database.

The decision needs the seller's country, the buyer's billing country, the buyer's VAT number (if
they gave one), whether the seller sells to EU consumers, and the rates table. It returns the
treatment, the rate, the words an invoice must carry, and the evidence used, which is stored with
the invoice.

- Buyer in the seller's country: the seller's rate (a business buyer pays VAT too).
- Business buyer in another country, with a VAT number whose format and check digit are valid
  (python-stdnum) and whose country prefix matches the billing country: reverse charge, 0%.
- Consumer in another EU country: that country's rate when the seller sells into the EU (One
  Stop Shop). When it does not, a UK seller cannot sell to them; an EU seller below the
  threshold charges its own rate.
- Anyone else: outside the scope of the seller's VAT, 0%.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum.eu import vat as eu_vat
from stdnum.gb import vat as gb_vat

from learnward.core.errors import ApplicationError

CENT = Decimal("0.01")
EU_COUNTRIES = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()
)


def money(value: Decimal) -> Decimal:
    """Round to the cent, halves away from zero (as HMRC accepts for VAT)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


class Treatment(StrEnum):
    STANDARD = "standard"
    DESTINATION = "destination"
    REVERSE_CHARGE = "reverse_charge"
    OUTSIDE_SCOPE = "outside_scope"

    @property
    def label(self) -> str:
        return {
            "standard": _("VAT at the seller's rate"),
            "destination": _("VAT at the buyer's country's rate"),
            "reverse_charge": _("Reverse charge"),
            "outside_scope": _("Outside the scope of VAT"),
        }[self.value]


class VatError(ApplicationError):
    """A sale the VAT rules refuse, or a VAT number that is not valid; ``message`` is for the
    buyer and ``field`` names the form field it is about."""

    def __init__(self, message: str, *, field: str = "vat_number") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class TaxDecision:
    treatment: Treatment
    country: str  # whose rate applies ("" when none)
    rate: Decimal  # percent
    note: str  # printed on the invoice
    evidence: dict


def _prefix(country: str) -> str:
    return "EL" if country == "GR" else country


def check_vat_number(number: str, country: str) -> str:
    """The VAT number in its compact form (``DE136695976``), or :class:`VatError` saying why
    not: its country must be the billing country, and its format and check digit must be valid.
    """
    raw = (number or "").strip()
    if not raw:
        return ""
    if country != "GB" and country not in EU_COUNTRIES:
        raise VatError(
            _(
                "We can only check UK and EU VAT numbers. Leave the VAT number empty if your "
                "business is elsewhere."
            )
        )
    try:
        if country == "GB":
            compact = gb_vat.compact(raw)
            compact = compact if compact.startswith("GB") else f"GB{compact}"
            valid = gb_vat.is_valid(compact)
        else:
            if not raw[:2].isalpha():
                raw = f"{_prefix(country)}{raw}"
            compact = eu_vat.compact(raw)
            valid = eu_vat.is_valid(compact)
    except stdnum_errors.ValidationError:
        valid = False
        compact = raw.upper().replace(" ", "")
    if compact[:2] != _prefix(country):
        raise VatError(
            _(
                "That VAT number is not from the billing country you chose (%(country)s). Check "
                "the country, or leave the VAT number empty."
            )
            % {"country": country}
        )
    if not valid:
        raise VatError(
            _(
                "%(number)s is not a valid VAT number: check it against your VAT registration. "
                "Leave it empty to buy without the reverse charge."
            )
            % {"number": compact}
        )
    return compact


def decide(
    *,
    seller_country: str,
    buyer_country: str,
    vat_number: str,
    sells_into_eu: bool,
    rate_for: Callable[[str], Decimal | None],
) -> TaxDecision:
    """The VAT treatment of a sale (see the module docstring). ``vat_number`` must already be
    checked with :func:`check_vat_number`. Raises :class:`VatError` when the sale cannot be made.
    """
    seller_country, buyer_country = seller_country.upper(), buyer_country.upper()
    evidence = {
        "seller_country": seller_country,
        "billing_country": buyer_country,
        "vat_number": vat_number,
        "vat_number_check": "format and check digit (python-stdnum)" if vat_number else "",
    }

    def rate(country: str) -> Decimal:
        value = rate_for(country)
        if value is None:
            raise VatError(
                _(
                    "There is no VAT rate for %(country)s in the store's rates table; please "
                    "contact us to buy."
                )
                % {"country": country},
                field="country",
            )
        return Decimal(value)

    def made(treatment: Treatment, country: str, pct: Decimal, note: str) -> TaxDecision:
        return TaxDecision(
            treatment,
            country,
            pct,
            note,
            {**evidence, "treatment": treatment.value, "rate": str(pct), "rate_country": country},
        )

    if buyer_country == seller_country:
        return made(Treatment.STANDARD, seller_country, rate(seller_country), "")
    seller_in_vat_area = seller_country in EU_COUNTRIES or seller_country == "GB"
    buyer_in_vat_area = buyer_country in EU_COUNTRIES or buyer_country == "GB"
    if vat_number and seller_in_vat_area and buyer_in_vat_area:
        return made(
            Treatment.REVERSE_CHARGE,
            "",
            Decimal("0"),
            _(
                "Reverse charge: the customer accounts for the VAT (Article 196, Council "
                "Directive 2006/112/EC, or section 8 VAT Act 1994)."
            ),
        )
    if buyer_country in EU_COUNTRIES:
        if sells_into_eu:
            return made(Treatment.DESTINATION, buyer_country, rate(buyer_country), "")
        if seller_country in EU_COUNTRIES:
            return made(Treatment.STANDARD, seller_country, rate(seller_country), "")
        raise VatError(
            _(
                "We cannot sell to private buyers in %(country)s at the moment. A business can "
                "buy with its VAT number."
            )
            % {"country": buyer_country},
            field="country",
        )
    if seller_country == "GB":
        note = _("Outside the scope of %(country)s VAT: supplied to a customer outside the UK.") % {
            "country": seller_country
        }
    else:
        note = _("Outside the scope of %(country)s VAT: supplied to a customer outside the EU.") % {
            "country": seller_country
        }
    return made(Treatment.OUTSIDE_SCOPE, "", Decimal("0"), note)


@dataclass(frozen=True)
class Amounts:
    net: Decimal
    tax: Decimal
    gross: Decimal


def amounts(
    *, listed: Decimal, prices_include_vat: bool, home_rate: Decimal, rate: Decimal
) -> Amounts:
    """Net, VAT and gross for a ``listed`` total (price times quantity, less any discount).

    With VAT-inclusive prices the listed total is what a buyer at the seller's own rate pays,
    to the cent; the net price is the same for every buyer, and others pay it plus their VAT.
    """
    listed = money(listed)
    if prices_include_vat and rate == home_rate:
        tax = money(listed * rate / (100 + rate))
        return Amounts(listed - tax, tax, listed)
    net = money(listed * 100 / (100 + home_rate)) if prices_include_vat else listed
    tax = money(net * rate / 100)
    return Amounts(net, tax, net + tax)
