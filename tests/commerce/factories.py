"""Products, orders and paid invoices for the commerce tests."""

from __future__ import annotations

import itertools
from decimal import Decimal

from learnward.commerce.models import Order, Product, StoreSettings
from learnward.commerce.rates import ensure_standard_rates
from learnward.commerce.services import Billing, order_mark_paid, order_place
from tests.catalog.factories import make_course

_seq = itertools.count(1)

UK_BILLING = Billing(
    name="Ada Lovelace", address="12 St James's Square\nLondon\nSW1Y 4LB", country="GB"
)


def ensure_tax_rates() -> None:
    """The rates the migration ships (a transactional test's flush removes them)."""
    ensure_standard_rates()


def make_product(*, price: str = "120.00", courses=None, access_months=None, **fields) -> Product:
    ensure_tax_rates()
    n = next(_seq)
    product = Product.objects.create(
        title=fields.pop("title", f"Product {n}"),
        slug=fields.pop("slug", f"product-{n}"),
        price=Decimal(price),
        access_months=access_months,
        **fields,
    )
    product.courses.set(courses if courses is not None else [make_course()])
    return product


def store(**changes) -> StoreSettings:
    settings = StoreSettings.current()
    for key, value in changes.items():
        setattr(settings, key, value)
    settings.save()
    return settings


def paid_order(*, user, product=None, billing: Billing = UK_BILLING, **place) -> Order:
    """An order paid by bank transfer and marked paid by staff (no Stripe needed)."""
    product = product or make_product()
    order = order_place(
        user=user, product=product, billing=billing, method=Order.Method.BANK_TRANSFER, **place
    )
    order, _ = order_mark_paid(order=order, actor=None)
    return order
