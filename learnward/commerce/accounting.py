"""The accountant's export: every invoice and credit note issued in a period, one row each, as
CSV. Credit notes carry negative amounts, so the columns add up to the period's sales.

Amounts are plain numbers ("120.00", "-20.00") so that a spreadsheet sums them; text a buyer
typed (names, companies) is neutralised against CSV injection.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.core.text import csv_safe

from .staff_selectors import documents_issued, method_label, treatment_label

HEADER = (
    "Document type",
    "Number",
    "Issue date",
    "Buyer name",
    "Buyer company",
    "Buyer country",
    "Buyer VAT number",
    "VAT treatment",
    "Net",
    "VAT rate (%)",
    "VAT",
    "Gross",
    "Currency",
    "Paid date",
    "Payment method",
    "Invoice number",
)


def _day(moment) -> str:
    return timezone.localtime(moment).date().isoformat() if moment else ""


def _amount(value: Decimal, sign: int) -> str:
    # Written by us, never typed by anyone: a negative amount stays a number.
    return f"{Decimal(value) * sign:.2f}"


def _rate(document) -> str:
    lines = document.lines or []
    return str(lines[0].get("tax_rate", "")) if lines else ""


def _row(document, *, credit: bool) -> list[str]:
    sign = -1 if credit else 1
    if credit:
        # A credit note is not paid; its method is the invoice's (how the money goes back).
        invoice = document.invoice
        paid, related = "", document.invoice_number
        method = method_label(invoice.method) if invoice is not None else ""
    else:
        paid, related = _day(document.paid_at), ""
        method = method_label(document.method)
    return [
        "Credit note" if credit else "Invoice",
        csv_safe(document.number),
        _day(document.issued_at),
        csv_safe(document.buyer_name),
        csv_safe(document.buyer_company),
        csv_safe(document.buyer_country),
        csv_safe(document.buyer_vat_number),
        csv_safe(treatment_label(document.tax_treatment)),
        _amount(document.net_total, sign),
        csv_safe(_rate(document)),
        _amount(document.tax_total, sign),
        _amount(document.gross_total, sign),
        csv_safe(document.currency),
        paid,
        csv_safe(method),
        csv_safe(related),
    ]


def accounts_csv_rows(*, actor, start: date, end: date) -> Iterator[list[str]]:
    """The header, then one row per invoice and credit note issued from ``start`` to ``end``
    (both included, in the site's time zone), in the order they were issued."""
    invoices, notes = documents_issued(actor=actor, start=start, end=end)
    documents: list[tuple[object, bool]] = [(i, False) for i in invoices]
    documents += [(n, True) for n in notes]
    documents.sort(key=lambda pair: (pair[0].issued_at, pair[1], pair[0].sequence))
    yield list(HEADER)
    for document, credit in documents:
        yield _row(document, credit=credit)


@dataclass(frozen=True)
class AccountsExport:
    filename: str
    content: str
    rows: int


def accounts_export(*, actor, start: date, end: date) -> AccountsExport:
    """The period's CSV, with the audit entry saying who exported which period and how many
    documents it held."""
    with transaction.atomic(durable=True):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        rows = -1  # the header is not a document
        for row in accounts_csv_rows(actor=actor, start=start, end=end):
            writer.writerow(row)
            rows += 1
        audit_record(
            action=Action.ACCOUNTS_EXPORTED,
            actor=actor,
            payload={"from": start.isoformat(), "to": end.isoformat(), "rows": rows},
        )
    return AccountsExport(
        filename=f"sales-{start.isoformat()}-to-{end.isoformat()}.csv",
        content=out.getvalue(),
        rows=rows,
    )
