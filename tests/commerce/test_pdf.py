"""Invoices, credit notes and proformas as PDFs: the text a reader sees (pdftotext), the fonts
embedded, the metadata, and names printed as typed."""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta
from decimal import Decimal

import pdfplumber
import pytest
from django.utils import timezone
from django.utils.dateformat import format as format_date

from learnward.commerce.models import CreditNote, Invoice, Order
from learnward.commerce.pdf import (
    country_name,
    credit_note_pdf_bytes,
    invoice_pdf_bytes,
    proforma_pdf_bytes,
)
from learnward.commerce.services import Billing, invoice_refund, order_place
from tests.commerce.factories import UK_BILLING, make_product, paid_order, store

pytestmark = pytest.mark.django_db

REVERSE_CHARGE = Billing(
    name="Jürgen Weiß",
    company="Musterfirma GmbH",
    address="Friedrichstraße 1\n10117 Berlin",
    country="DE",
    vat_number="DE136695976",
)


def _write(tmp_path, pdf: bytes, name: str = "document.pdf"):
    assert pdf.startswith(b"%PDF-")
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


def _text(tmp_path, pdf: bytes, *, mode: str = "-layout") -> str:
    """The page text as pdftotext lays it out, runs of spaces made one (columns vary)."""
    path = _write(tmp_path, pdf)
    result = subprocess.run(
        ["pdftotext", mode, "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return re.sub(r"[ \t]+", " ", result.stdout)


def _info(tmp_path, pdf: bytes) -> str:
    path = _write(tmp_path, pdf, "info.pdf")
    return subprocess.run(
        ["pdfinfo", "-enc", "UTF-8", str(path)], capture_output=True, text=True, check=True
    ).stdout


def _day(value) -> str:
    return format_date(timezone.localtime(value).date(), "j F Y")


def _fonts_embedded(tmp_path, pdf: bytes) -> list[str]:
    path = _write(tmp_path, pdf, "fonts.pdf")
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = out.stdout.splitlines()[2:]
    assert rows, out.stdout
    for row in rows:
        assert "TrueType" in row, row
        assert row.split()[-5:-3] == ["yes", "yes"], row  # embedded, subset
    return rows


def test_uk_invoice_shows_number_buyer_seller_and_the_vat(tmp_path, make_user):
    order = paid_order(user=make_user(), product=make_product(price="120.00", title="Fire Safety"))
    invoice = order.invoice
    assert (invoice.net_total, invoice.tax_total, invoice.gross_total) == (
        Decimal("100.00"),
        Decimal("20.00"),
        Decimal("120.00"),
    )

    text = _text(tmp_path, invoice_pdf_bytes(invoice))

    assert re.search(r"\bInvoice\b", text)
    assert re.fullmatch(r"INV-\d{6}", invoice.number)
    assert invoice.number in text
    assert f"Date of issue {_day(invoice.issued_at)}" in text
    assert f"Paid on {_day(invoice.paid_at)} by bank transfer" in text
    # Seller
    assert "Learnward Training Ltd" in text
    assert "1 Example Street" in text
    assert "EC1A 1AA" in text
    assert "VAT number GB980780684" in text
    assert "accounts@example.com" in text
    # Buyer
    assert "Bill to" in text
    bill_to = text[text.index("Bill to") :]
    assert "Ada Lovelace" in bill_to
    assert "12 St James's Square" in bill_to
    assert "SW1Y 4LB" in bill_to
    assert "United Kingdom" in bill_to
    # The line and the totals
    for heading in ("Description", "Qty", "Unit", "Discount", "Net", "VAT", "Total"):
        assert heading in text
    assert "Fire Safety" in text
    assert re.search(r"Fire Safety 1 £100\.00 £0\.00 £100\.00 20% £20\.00 £120\.00", text)
    assert re.search(r"Net total £100\.00", text)
    assert re.search(r"VAT at 20% £20\.00", text)
    assert re.search(r"^ ?Total £120\.00$", text, re.M)
    assert "VAT at the seller's rate" in text  # the treatment
    assert "Reverse charge" not in text
    assert "not a VAT invoice" not in text
    assert "How to pay" not in text  # it is paid


def test_invoice_metadata_fonts_and_page(tmp_path, make_user):
    order = paid_order(user=make_user())
    pdf = invoice_pdf_bytes(order.invoice)

    info = _info(tmp_path, pdf)
    assert re.search(rf"^Title: +Invoice {order.invoice.number}$", info, re.M)
    assert re.search(r"^Author: +Learnward Training Ltd$", info, re.M)
    assert re.search(r"Page size: +595\.2\d* x 841\.89 pts \(A4\)", info)
    assert re.search(r"^Pages: +1$", info, re.M)
    rows = _fonts_embedded(tmp_path, pdf)
    assert len(rows) == 2  # regular and bold (DejaVu Sans), nothing else
    assert not any("Helvetica" in row for row in rows)

    with pdfplumber.open(_write(tmp_path, pdf, "plumber.pdf")) as document:
        assert len(document.pages) == 1
        fonts = {char["fontname"] for char in document.pages[0].chars}
    # Every character is drawn in an embedded subset (its name has the "ABCDEF+" tag).
    assert len(fonts) == 2 and all(re.match(r"[A-Z]{6}\+", name) for name in fonts), fonts


def test_card_payment_is_named_with_the_card(tmp_path, make_user):
    order = paid_order(user=make_user())
    invoice = order.invoice
    # A card payment recorded on the snapshot (Stripe itself is covered elsewhere).
    invoice.method, invoice.card_brand, invoice.card_last4 = "card", "visa", "4242"

    text = _text(tmp_path, invoice_pdf_bytes(invoice))

    assert f"Paid on {_day(invoice.paid_at)} by Visa ending 4242" in text
    assert "bank transfer" not in text


def test_reverse_charge_invoice_has_no_vat_and_says_why(tmp_path, make_user):
    order = paid_order(
        user=make_user(), product=make_product(price="120.00"), billing=REVERSE_CHARGE
    )
    invoice = order.invoice
    assert invoice.tax_treatment == "reverse_charge"

    text = _text(tmp_path, invoice_pdf_bytes(invoice))

    assert "Reverse charge: the customer accounts for the VAT" in text
    assert "Article 196" in text
    assert re.search(r"VAT at 0% £0\.00", text)
    assert re.search(r"Net total £100\.00", text)
    assert re.search(r"^ ?Total £100\.00$", text, re.M)
    # The unit price is before VAT, so the line adds up to what the buyer pays.
    assert re.search(r"1 £100\.00 £0\.00 £100\.00 0% £0\.00 £100\.00", text)
    assert "£120.00" not in text
    bill_to = text[text.index("Bill to") :]
    for expected in ("Jürgen Weiß", "Musterfirma GmbH", "Friedrichstraße 1", "Germany"):
        assert expected in bill_to
    assert "VAT number DE136695976" in bill_to


def test_unpaid_invoice_says_when_and_how_to_pay(tmp_path, make_user):
    # The bank details are part of the invoice as issued; changing them later changes nothing.
    store(payment_instructions="IBAN X1")
    order = order_place(
        user=make_user(),
        product=make_product(price="50.00"),
        billing=Billing(name="Grace Hopper", company="Acme Ltd", address="1 Road", country="GB"),
        method=Order.Method.INVOICE,
        seats=True,
        quantity=3,
        po_number="PO-7781",
    )
    invoice = Invoice.objects.get(order=order)
    assert invoice.paid_at is None and invoice.due_on is not None

    text = _text(tmp_path, invoice_pdf_bytes(invoice, store=store(payment_instructions="IBAN Z9")))

    assert f"Payment due by {format_date(invoice.due_on, 'j F Y')}" in text
    assert "Purchase order PO-7781" in text
    assert "How to pay" in text
    assert "IBAN X1" in text and "IBAN Z9" not in text
    assert f"Quote reference {invoice.number}" in text
    assert re.search(r": 3 seats 3 £41\.67 £0\.00 £125\.00 20% £25\.00 £150\.00", text)
    assert "Paid on" not in text


def test_credit_note_for_a_partial_refund(tmp_path, make_user):
    order = paid_order(user=make_user(), product=make_product(price="120.00"))
    note = invoice_refund(
        invoice=order.invoice, actor=None, amount=Decimal("30.00"), reason="Partial refund"
    )
    assert isinstance(note, CreditNote)

    pdf = credit_note_pdf_bytes(note)
    text = _text(tmp_path, pdf)

    assert re.search(r"\bCredit note\b", text)
    assert re.fullmatch(r"CN-\d{6}", note.number)
    assert note.number in text
    assert f"Credits invoice {order.invoice.number}" in text
    assert "Reason: Partial refund" in text
    assert f"Date of issue {_day(note.issued_at)}" in text
    assert re.search(r"Net total £25\.00", text)
    assert re.search(r"VAT at 20% £5\.00", text)
    assert re.search(r"Total credited £30\.00", text)
    assert "Ada Lovelace" in text
    assert "VAT number GB980780684" in text
    assert "Unit price" not in text  # a credit note's line has none
    assert re.search(rf"^Title: +Credit note {note.number}$", _info(tmp_path, pdf), re.M)
    _fonts_embedded(tmp_path, pdf)


def test_proforma_for_a_bank_transfer_waiting_for_payment(tmp_path, make_user):
    settings = store(
        legal_name="Zoë's Training Co",
        company_number="01234567",
        payment_instructions="Account name: Zoë's Training Co\nSort code: 12-34-56\n"
        "Account number: 87654321",
        payment_terms_days=14,
        invoice_footer="Registered in England & Wales",
    )
    order = order_place(
        user=make_user(),
        product=make_product(price="120.00", title="Manual Handling"),
        billing=UK_BILLING,
        method=Order.Method.BANK_TRANSFER,
        po_number="PO 42",
    )
    assert order.status == Order.Status.AWAITING_TRANSFER

    pdf = proforma_pdf_bytes(order, settings)
    text = _text(tmp_path, pdf)

    assert "Proforma invoice" in text
    assert "This is not a VAT invoice" in text
    assert f"Reference {order.reference}" in text
    assert f"Date {_day(order.created_at)}" in text
    due = _day(order.created_at + timedelta(days=14))
    assert f"Payment due by {due}" in text
    assert "Purchase order PO 42" in text
    assert "Company number 01234567" in text
    assert "Zoë's Training Co" in text
    assert "Manual Handling" in text
    assert re.search(r"Net total £100\.00", text)
    assert re.search(r"VAT at 20% £20\.00", text)
    assert re.search(r"Total to pay £120\.00", text)
    assert f"Please pay £120.00 by {due}, by bank transfer to:" in text
    assert "Sort code: 12-34-56" in text
    assert "Account number: 87654321" in text
    assert f"Quote reference {order.reference}" in text
    assert "Registered in England & Wales" in text
    bill_to = text[text.index("Bill to") :]
    assert "Ada Lovelace" in bill_to
    assert not Invoice.objects.filter(order=order).exists()  # nothing issued by printing

    info = _info(tmp_path, pdf)
    assert re.search(rf"^Title: +Proforma invoice {order.reference}$", info, re.M)
    assert re.search(r"^Author: +Zoë's Training Co$", info, re.M)
    _fonts_embedded(tmp_path, pdf)


def test_names_in_other_alphabets_survive(tmp_path, make_user):
    billing = Billing(
        name="Zoë Ångström",
        company="Łukasz Żółć Sp. z o.o.",
        address="ul. Świętokrzyska 12\nWarszawa",
        country="GB",
    )
    order = paid_order(
        user=make_user(), product=make_product(title="Ελληνικά для всех"), billing=billing
    )

    pdf = invoice_pdf_bytes(order.invoice)
    text = _text(tmp_path, pdf)

    for expected in (
        "Zoë Ångström",
        "Łukasz Żółć Sp. z o.o.",
        "ul. Świętokrzyska 12",
        "Ελληνικά для всех",
    ):
        assert expected in text
    _fonts_embedded(tmp_path, pdf)


def test_markup_in_what_people_typed_prints_literally(tmp_path, make_user):
    billing = Billing(
        name="<b>Evil</b> & Co",
        company='<font size="40">Big</font> &amp; Ltd',
        address="<br/>1 <i>Main</i> St",
        country="GB",
    )
    order = paid_order(
        user=make_user(), product=make_product(title="A < B & C > D"), billing=billing
    )

    pdf = invoice_pdf_bytes(order.invoice)
    text = _text(tmp_path, pdf)

    assert "<b>Evil</b> & Co" in text
    assert '<font size="40">Big</font> &amp; Ltd' in text
    assert "<br/>1 <i>Main</i> St" in text
    # The PDF draws "(A < B & C > D) Tj"; pdftotext's layout modes drop the narrow spaces
    # between these symbols, so read this line in content-stream order.
    assert "A < B & C > D" in _text(tmp_path, pdf, mode="-raw")


def test_country_names_fall_back_to_the_code():
    assert country_name("gb") == "United Kingdom"
    assert country_name("DE") == "Germany"
    assert country_name("XK") in {"XK", "Kosovo"}
    assert country_name("ZZ") == "ZZ"
    assert country_name("") == ""
