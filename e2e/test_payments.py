"""Buying a course in a real browser: by card through the stand-in for Stripe (its hosted page on
loopback, its webhook to the live server, signed with the stripe library's own signing), and by
bank transfer marked paid by the finance team; then studying it. Every page gets axe-core, and
the invoice PDF's text is read with pdftotext."""

from __future__ import annotations

import re
import subprocess

import pytest
from playwright.sync_api import expect

from e2e.conftest import check_accessibility
from e2e.steps import log_in, nav_to
from tests.fakes.stripe import FakeStripe

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def stripe_fake(settings, live_server, monkeypatch):
    import stripe

    from learnward.privacy.records.models import Processor

    monkeypatch.setattr(stripe, "enable_telemetry", False)
    fake = FakeStripe(webhook_url=live_server.url + "/shop/stripe/webhook/").start()
    settings.STRIPE_SECRET_KEY = fake.secret_key
    settings.STRIPE_WEBHOOK_SECRET = fake.webhook_secret
    settings.STRIPE_API_BASE = fake.base_url
    Processor.objects.create(
        name="Stripe Payments Europe, Ltd.",
        service="Card payments",
        purposes=["purchases"],
        data_categories=["user.financial"],
        location="Ireland",
        transfer_mechanism=Processor.TransferMechanism.SCCS,
    )
    yield fake
    fake.stop()


def _course_for_sale(price="120.00"):
    from tests.catalog.factories import make_course
    from tests.commerce.factories import make_product

    course = make_course(title="Fire Safety Awareness", questions=0)
    return make_product(title="Fire Safety Awareness", price=price, courses=[course]), course


def _fill_billing(page, *, method: str) -> None:
    page.get_by_label("Name on the invoice").fill("Ada Lovelace")
    page.get_by_label("Billing address").fill("12 St James's Square\nLondon\nSW1Y 4LB")
    page.get_by_label("Country").select_option("GB")
    page.get_by_label(method).check()
    page.get_by_role("button", name="Review your order").click()


def _pdf_text(page, tmp_path, href: str) -> str:
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    path = tmp_path / "document.pdf"
    path.write_bytes(response.body())
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_a_learner_buys_a_course_by_card_and_studies_it(
    page, live_server, settings, make_user, stripe_fake, tmp_path
):
    settings.BASE_URL = live_server.url
    product, course = _course_for_sale()
    make_user(email="ada@example.test", display_name="Ada Lovelace")
    log_in(page, "ada@example.test")

    page.goto(course.get_absolute_url())
    expect(page.get_by_text("This course costs £120.00 (including VAT).")).to_be_visible()
    check_accessibility(page, label="course page with a price")
    page.get_by_role("link", name="Buy for £120.00").click()

    # Nothing filled in: the error summary, nothing stored.
    page.get_by_role("button", name="Review your order").click()
    assert page.title().startswith("Error: ")
    check_accessibility(page, label="checkout with errors")

    _fill_billing(page, method="Card, on Stripe's secure page")
    expect(page.get_by_role("heading", name="Review your order")).to_be_visible()
    expect(page.get_by_role("row", name="VAT at 20% £20.00")).to_be_visible()
    expect(page.get_by_role("row", name="Total to pay £120.00")).to_be_visible()
    check_accessibility(page, label="order review")

    page.get_by_role("button", name="Continue to payment").click()
    page.wait_for_url(re.compile(r"/pay/cs_test_"))
    expect(page.get_by_role("button", name="Pay £120.00")).to_be_visible()
    check_accessibility(page, label="the payment provider's page")
    page.get_by_role("button", name=re.compile("^Pay")).click()

    # Stripe's webhook reached the live server before the buyer came back.
    expect(page.get_by_text("Payment received. Thank you!")).to_be_visible()
    assert [delivery.status for delivery in stripe_fake.deliveries] == [200]
    expect(page.get_by_text("Visa ending 4242")).to_be_visible()
    check_accessibility(page, label="paid order")

    invoice_link = page.get_by_role("link", name=re.compile(r"Invoice INV-000001"))
    text = _pdf_text(page, tmp_path, invoice_link.get_attribute("href"))
    assert "INV-000001" in text and "Ada Lovelace" in text
    assert re.search(r"VAT at 20% +£20\.00", text)
    assert re.search(r"Total +£120\.00", text)
    assert "Visa ending 4242" in text

    page.get_by_role("link", name="Fire Safety Awareness").first.click()
    page.get_by_role("link", name="Start the first lesson").click()
    expect(page.get_by_role("heading", name="Lesson 1.1")).to_be_visible()
    check_accessibility(page, label="lesson of a bought course")


def test_a_learner_pays_by_bank_transfer_and_finance_marks_it_paid(
    page, browser, live_server, settings, make_user, smtp_server, tmp_path
):
    settings.BASE_URL = live_server.url
    product, course = _course_for_sale(price="45.00")
    make_user(email="sam@example.test", display_name="Sam Second")
    make_user(email="robin@example.test", display_name="Robin Finance", roles=["Finance"])
    log_in(page, "sam@example.test")

    page.goto(f"/shop/{product.slug}/buy/")
    _fill_billing(page, method="Bank transfer (we email you the details)")
    page.get_by_role("button", name="Place the order").click()
    expect(page.get_by_role("heading", name="How to pay")).to_be_visible()
    reference = page.locator("h1").inner_text().removeprefix("Order ")
    expect(page.get_by_text(f"Quote the reference {reference}")).to_be_visible()
    check_accessibility(page, label="order waiting for a transfer")
    proforma = page.get_by_role("link", name=re.compile("proforma invoice"))
    text = _pdf_text(page, tmp_path, proforma.get_attribute("href"))
    assert "Proforma invoice" in text and reference in text

    # Not paid yet: the course still asks to be bought.
    page.goto(course.get_absolute_url())
    expect(page.get_by_role("link", name="Buy for £45.00")).to_be_visible()

    staff = browser.new_context(base_url=live_server.url, locale="en-GB", bypass_csp=True)
    finance = staff.new_page()
    log_in(finance, "robin@example.test")
    nav_to(finance, "Sales")
    check_accessibility(finance, label="staff orders")
    finance.get_by_role("link", name=reference).click()
    check_accessibility(finance, label="staff order")
    finance.get_by_role("button", name="Mark as paid").click()
    expect(finance.get_by_text("Paid", exact=True).first).to_be_visible()
    staff.close()

    page.goto("/shop/orders/")
    check_accessibility(page, label="your orders")
    invoice_link = page.get_by_role("link", name=re.compile(r"Invoice INV-000001"))
    text = _pdf_text(page, tmp_path, invoice_link.get_attribute("href"))
    assert "Paid on" in text and "bank transfer" in text
    assert re.search(r"Total +£45\.00", text)

    page.goto(course.get_absolute_url())
    page.get_by_role("link", name="Start the first lesson").click()
    expect(page.get_by_role("heading", name="Lesson 1.1")).to_be_visible()
