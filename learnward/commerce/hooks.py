"""Commerce's entries in learning's extension points: a paid course is bought before it is
studied, and its course page shows the price."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from learnward.learning.extensions import EnrolmentGate, Section

from .models import AccessGrant, Product, StoreSettings
from .templatetags.money import format_money


def product_for(course) -> Product | None:
    """The cheapest active product that is exactly this one course, else the cheapest bundle
    holding it."""
    products = list(Product.objects.filter(active=True, courses=course).order_by("price", "id"))
    if not products:
        return None
    alone = [p for p in products if p.courses.count() == 1]
    return (alone or products)[0]


def has_access(*, user, course) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    now = timezone.now()
    return AccessGrant.objects.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now),
        user=user,
        course=course,
        ended_at__isnull=True,
    ).exists()


def enrolment_gate(*, user, course) -> EnrolmentGate | None:
    product = product_for(course)
    if product is None or has_access(user=user, course=course):
        return None
    store = StoreSettings.current()
    price = format_money(product.price, store.currency)
    vat = "including VAT" if store.prices_include_vat else "plus VAT"
    access = f" for {product.access_months} months' access" if product.access_months else ""
    return EnrolmentGate(
        message=f"This course costs {price} ({vat}){access}.",
        url=reverse("commerce:buy", args=[product.slug]),
        label=f"Buy for {price}",
    )


def course_page_section(*, user, course, enrolment) -> Section | None:
    product = product_for(course)
    if product is None:
        return None
    store = StoreSettings.current()
    return Section(
        "commerce/course_section.html",
        {
            "product": product,
            "price": format_money(product.price, store.currency),
            "includes_vat": store.prices_include_vat,
            "seats_url": reverse("commerce:buy_seats", args=[product.slug])
            if product.seats_allowed
            else "",
        },
    )
