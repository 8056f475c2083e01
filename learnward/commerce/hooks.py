"""Commerce's entries in learning's extension points: a paid course is bought before it is
studied, and its course page shows the price."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from learnward.catalog.extensions import CardFact
from learnward.learning.extensions import EnrolmentGate, Section

from .models import AccessGrant, Product, StoreSettings
from .templatetags.money import format_money


def product_for(course) -> Product | None:
    """The cheapest active product that is exactly this one course, else the cheapest bundle
    holding it. One query, remembered on ``course`` for the rest of the request (the course
    page asks for the gate and for its section)."""
    if hasattr(course, "_commerce_product"):
        return course._commerce_product
    holding = Product.courses.through.objects.filter(course=course).values("product_id")
    products = list(
        Product.objects.filter(active=True, pk__in=holding)
        .annotate(course_count=Count("courses"))
        .order_by("price", "id")
    )
    alone = [p for p in products if p.course_count == 1]
    course._commerce_product = (alone or products or [None])[0]
    return course._commerce_product


def _store_for(course) -> StoreSettings:
    """The store settings, read once per course page."""
    if not hasattr(course, "_commerce_store"):
        course._commerce_store = StoreSettings.current()
    return course._commerce_store


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
    store = _store_for(course)
    price = format_money(product.price, store.currency)
    values = {"price": price, "months": product.access_months}
    if product.access_months and store.prices_include_vat:
        message = _("This course costs %(price)s (including VAT) for %(months)s months' access.")
    elif product.access_months:
        message = _("This course costs %(price)s (plus VAT) for %(months)s months' access.")
    elif store.prices_include_vat:
        message = _("This course costs %(price)s (including VAT).")
    else:
        message = _("This course costs %(price)s (plus VAT).")
    return EnrolmentGate(
        message=message % values,
        url=reverse("commerce:buy", args=[product.slug]),
        label=_("Buy for %(price)s") % {"price": price},
    )


def course_page_section(*, user, course, enrolment) -> Section | None:
    product = product_for(course)
    if product is None:
        return None
    store = _store_for(course)
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


def card_prices(*, courses) -> dict[int, list[CardFact]]:
    """The price on each course card: the cheapest active product that is exactly that course,
    else the cheapest bundle holding it (as :func:`product_for`). Two queries for any number of
    courses; a course not on sale gets nothing (it is free)."""
    if len(courses) == 1:
        # One course (its own page): the product and store its gate and section read anyway.
        course = courses[0]
        product = product_for(course)
        if product is None:
            return {}
        store = _store_for(course)
        best = {course.pk: product}
    else:
        best, store = _cheapest(courses), None
    if not best:
        return {}
    store = store or StoreSettings.current()

    def shown(product) -> str:
        price = format_money(product.price, store.currency)
        return price if store.prices_include_vat else _("%(price)s plus VAT") % {"price": price}

    return {
        course_id: [CardFact(_("Price"), shown(product))] for course_id, product in best.items()
    }


def _cheapest(courses) -> dict[int, Product]:
    course_ids = [course.pk for course in courses]
    links = Product.courses.through.objects.filter(
        course_id__in=course_ids, product__active=True
    ).values_list("course_id", "product_id")
    products = {
        p.pk: p
        for p in Product.objects.filter(pk__in={pid for _, pid in links}).annotate(
            course_count=Count("courses")
        )
    }
    best: dict[int, Product] = {}
    for course_id, product_id in links:
        product = products[product_id]
        key = (product.course_count != 1, product.price, product.pk)
        current = best.get(course_id)
        if current is None or key < (current.course_count != 1, current.price, current.pk):
            best[course_id] = product
    return best
