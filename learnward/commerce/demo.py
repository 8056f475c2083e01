"""Demo data for selling courses: Manual handling on sale, a bundle, a coupon, and orders that
show each state (paid by transfer with its invoice, waiting for a transfer, seats by invoice).

Idempotent: products and coupons are found by slug and code; orders are created only while the
second learner has none. Card payment appears when Stripe keys are set (docs/payments.md).
"""

from __future__ import annotations

from decimal import Decimal

from learnward.accounts.models import User
from learnward.catalog.models import Course

from .models import Coupon, Order, Product, StoreSettings
from .rates import ensure_standard_rates
from .services import Billing, order_mark_paid, order_place

# Orders are placed and paid through the services, each in its own (durable) transaction.
OWN_TRANSACTIONS = True
BUYER = "learner2@learnward.test"
BILLING = Billing(name="Sam Second", address="4 Harbour Row\nBristol\nBS1 4RN", country="GB")
EMPLOYER = Billing(
    name="Sam Second",
    company="Harbourside Care Ltd",
    address="Unit 2, Quay Street\nBristol\nBS1 4DJ",
    country="GB",
)


def load(result: dict) -> None:
    StoreSettings.current()
    ensure_standard_rates()  # a database emptied by tests has no rows from the migration
    manual = Course.objects.filter(slug="manual-handling").first()
    safeguarding = Course.objects.filter(slug="safeguarding-basics").first()
    if manual is None:
        return
    single, _ = Product.objects.get_or_create(
        slug="manual-handling",
        defaults={"title": "Manual handling", "price": Decimal("45.00"), "access_months": 12},
    )
    single.courses.set([manual])
    if safeguarding:
        bundle, _ = Product.objects.get_or_create(
            slug="care-compliance-bundle",
            defaults={
                "title": "Care compliance bundle (Manual handling and Safeguarding)",
                "price": Decimal("60.00"),
                "access_months": 12,
            },
        )
        bundle.courses.set([manual, safeguarding])
    Coupon.objects.get_or_create(
        code="WELCOME10", defaults={"kind": Coupon.Kind.PERCENT, "value": Decimal("10")}
    )
    buyer = User.objects.filter(email__iexact=BUYER).first()
    if buyer is not None and not Order.objects.filter(user=buyer).exists():
        paid = order_place(
            user=buyer, product=single, billing=BILLING, method=Order.Method.BANK_TRANSFER
        )
        order_mark_paid(order=paid, actor=None)
        seats = order_place(
            user=buyer,
            product=single,
            billing=EMPLOYER,
            method=Order.Method.INVOICE,
            seats=True,
            quantity=5,
            po_number="PO-2291",
        )
        order_mark_paid(order=seats, actor=None)
        if safeguarding:
            order_place(
                user=buyer,
                product=bundle,
                billing=BILLING,
                method=Order.Method.BANK_TRANSFER,
                coupon_code="WELCOME10",
            )
    result.setdefault("shop", {})["products"] = list(
        Product.objects.filter(active=True).values_list("slug", flat=True)
    )
