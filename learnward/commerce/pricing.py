"""What an order costs: the server's own computation from the product, the quantity, a coupon
and the buyer's country and VAT number. Nothing the browser sends is trusted for a price."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from learnward.core.errors import ApplicationError

from . import vat
from .models import Coupon, Product, StoreSettings, TaxRate

MAX_SEATS = 500


class CheckoutError(ApplicationError):
    """A checkout the rules refuse; ``message`` is for the buyer, ``field`` the form field."""

    def __init__(self, message: str, *, field: str = "", code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


@dataclass(frozen=True)
class Quote:
    product: Product
    quantity: int
    currency: str
    unit_price: Decimal
    listed: Decimal  # price x quantity
    discount: Decimal
    coupon: Coupon | None
    decision: vat.TaxDecision
    amounts: vat.Amounts

    @property
    def net(self) -> Decimal:
        return self.amounts.net

    @property
    def tax(self) -> Decimal:
        return self.amounts.tax

    @property
    def gross(self) -> Decimal:
        return self.amounts.gross


def rate_for(country: str) -> Decimal | None:
    row = TaxRate.objects.filter(country=country.upper()).first()
    return row.rate if row else None


def coupon_check(*, code: str, product: Product, today=None) -> Coupon | None:
    """The usable coupon called ``code`` (any case), None for an empty code, or
    :class:`CheckoutError` saying why it cannot be used. The usage limit is checked again under
    a lock when the order is placed."""
    code = (code or "").strip().upper()
    if not code:
        return None
    today = today or timezone.localdate()
    coupon = Coupon.objects.filter(code=code, active=True).first()
    if coupon is None:
        raise CheckoutError(_("There is no coupon %(code)s.") % {"code": code}, field="coupon")
    if coupon.valid_until is not None and today > coupon.valid_until:
        raise CheckoutError(
            _("Coupon %(code)s expired on %(date)s.")
            % {"code": code, "date": date_format(coupon.valid_until, "j F Y")},
            field="coupon",
        )
    if coupon.usage_limit is not None and coupon.times_used >= coupon.usage_limit:
        raise CheckoutError(_("Coupon %(code)s has been used up.") % {"code": code}, field="coupon")
    if coupon.products.exists() and not coupon.products.filter(pk=product.pk).exists():
        raise CheckoutError(
            _("Coupon %(code)s cannot be used for %(product)s.")
            % {"code": code, "product": product.title},
            field="coupon",
        )
    return coupon


def discount_for(coupon: Coupon | None, listed: Decimal) -> Decimal:
    if coupon is None:
        return Decimal("0.00")
    if coupon.kind == Coupon.Kind.PERCENT:
        off = vat.money(listed * min(coupon.value, Decimal(100)) / 100)
    else:
        off = vat.money(coupon.value)
    return min(off, listed)


def quote(
    *,
    product: Product,
    quantity: int = 1,
    coupon_code: str = "",
    country: str,
    vat_number: str = "",
    store: StoreSettings | None = None,
) -> Quote:
    """Price ``quantity`` of ``product`` for a buyer billed in ``country``.

    Raises :class:`CheckoutError` for a product not on sale, a quantity out of range, a coupon
    that cannot be used, a VAT number that is not valid, or a country the store cannot sell to.
    """
    store = store or StoreSettings.current()
    if not product.active:
        raise CheckoutError(
            _("%(product)s is not on sale.") % {"product": product.title}, code="unavailable"
        )
    if not isinstance(quantity, int) or not 1 <= quantity <= MAX_SEATS:
        raise CheckoutError(
            _("Choose between 1 and %(max)s seats.") % {"max": MAX_SEATS},
            field="quantity",
            code="quantity",
        )
    country = (country or "").strip().upper()
    if len(country) != 2:
        raise CheckoutError(_("Choose your billing country."), field="country")

    try:
        number = vat.check_vat_number(vat_number, country)
        decision = vat.decide(
            seller_country=store.country,
            buyer_country=country,
            vat_number=number,
            sells_into_eu=store.sells_into_eu,
            rate_for=rate_for,
        )
    except vat.VatError as exc:
        raise CheckoutError(exc.message, field=exc.field) from None
    coupon = coupon_check(code=coupon_code, product=product)
    listed = vat.money(product.price * quantity)
    discount = discount_for(coupon, listed)
    home_rate = rate_for(store.country) or Decimal(0)
    amounts = vat.amounts(
        listed=listed - discount,
        prices_include_vat=store.prices_include_vat,
        home_rate=home_rate,
        rate=decision.rate,
    )
    return Quote(
        product=product,
        quantity=quantity,
        currency=store.currency,
        unit_price=product.price,
        listed=listed,
        discount=discount,
        coupon=coupon,
        decision=decision,
        amounts=amounts,
    )
