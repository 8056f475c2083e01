"""The VAT decision and the arithmetic, as known answers."""

from decimal import Decimal

import pytest

from learnward.commerce import vat
from learnward.commerce.vat import Treatment, VatError

RATES = {"GB": Decimal("20"), "DE": Decimal("19"), "FR": Decimal("20"), "NL": Decimal("21")}


def decide(buyer, number="", *, seller="GB", sells_into_eu=False):
    return vat.decide(
        seller_country=seller,
        buyer_country=buyer,
        vat_number=number,
        sells_into_eu=sells_into_eu,
        rate_for=RATES.get,
    )


def test_a_buyer_at_home_pays_the_sellers_rate_even_as_a_business():
    assert (decide("GB").treatment, decide("GB").rate) == (Treatment.STANDARD, Decimal("20"))
    business = decide("GB", "GB980780684")
    assert (business.treatment, business.rate) == (Treatment.STANDARD, Decimal("20"))


def test_a_business_abroad_with_a_valid_number_is_reverse_charged():
    decision = decide("DE", "DE136695976")
    assert decision.treatment == Treatment.REVERSE_CHARGE
    assert decision.rate == 0
    assert "Reverse charge" in decision.note
    assert decision.evidence["vat_number"] == "DE136695976"
    assert decision.evidence["billing_country"] == "DE"


def test_an_eu_consumer_pays_their_countrys_rate_when_the_seller_sells_into_the_eu():
    decision = decide("DE", sells_into_eu=True)
    assert (decision.treatment, decision.country, decision.rate) == (
        Treatment.DESTINATION,
        "DE",
        Decimal("19"),
    )


def test_a_uk_seller_not_selling_into_the_eu_refuses_eu_consumers_with_a_reason():
    with pytest.raises(VatError, match="cannot sell to private buyers in FR") as caught:
        decide("FR")
    assert caught.value.field == "country"


def test_an_eu_seller_below_the_threshold_charges_its_own_rate():
    decision = decide("DE", seller="NL")
    assert (decision.treatment, decision.rate) == (Treatment.STANDARD, Decimal("21"))


def test_a_buyer_outside_the_uk_and_eu_is_outside_the_scope():
    decision = decide("US")
    assert (decision.treatment, decision.rate) == (Treatment.OUTSIDE_SCOPE, 0)
    assert "outside the UK" in decision.note


def test_a_country_missing_from_the_rates_table_is_refused_not_charged_zero():
    with pytest.raises(VatError, match="no VAT rate for SE"):
        decide("SE", sells_into_eu=True)


@pytest.mark.parametrize(
    ("number", "country", "expected"),
    [
        ("DE136695976", "DE", "DE136695976"),
        ("de 136 695 976", "DE", "DE136695976"),
        ("136695976", "DE", "DE136695976"),
        ("NL004495445B01", "NL", "NL004495445B01"),
        ("GB 980 7806 84", "GB", "GB980780684"),
        ("", "DE", ""),
    ],
)
def test_valid_numbers_are_compacted(number, country, expected):
    assert vat.check_vat_number(number, country) == expected


def test_a_wrong_check_digit_is_refused_with_a_clear_message():
    with pytest.raises(VatError, match="DE136695977 is not a valid VAT number"):
        vat.check_vat_number("DE136695977", "DE")


def test_a_number_from_another_country_is_refused():
    with pytest.raises(VatError, match="not from the billing country you chose"):
        vat.check_vat_number("DE136695976", "FR")


def test_numbers_from_outside_the_uk_and_eu_cannot_be_checked():
    with pytest.raises(VatError, match="only check UK and EU"):
        vat.check_vat_number("123456789", "US")


@pytest.mark.parametrize(
    ("listed", "include", "home", "rate", "net", "tax", "gross"),
    [
        # VAT-inclusive price at home: the buyer pays the price to the cent.
        ("120.00", True, "20", "20", "100.00", "20.00", "120.00"),
        ("99.99", True, "20", "20", "83.32", "16.67", "99.99"),
        # The same net price for everyone else, plus their rate (or none).
        ("120.00", True, "20", "19", "100.00", "19.00", "119.00"),
        ("120.00", True, "20", "0", "100.00", "0.00", "100.00"),
        # Prices before VAT.
        ("100.00", False, "20", "20", "100.00", "20.00", "120.00"),
        ("10.05", False, "20", "20", "10.05", "2.01", "12.06"),
        ("0.00", True, "20", "20", "0.00", "0.00", "0.00"),
    ],
)
def test_amounts(listed, include, home, rate, net, tax, gross):
    got = vat.amounts(
        listed=Decimal(listed),
        prices_include_vat=include,
        home_rate=Decimal(home),
        rate=Decimal(rate),
    )
    assert (got.net, got.tax, got.gross) == (Decimal(net), Decimal(tax), Decimal(gross))
