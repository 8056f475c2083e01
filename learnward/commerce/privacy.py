"""Registry declarations for selling: billing data is ``user.financial``; orders are kept a short
while, invoices and credit notes seven years (the tax record), and survive erasure as limited
records without the link to the account."""

from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from learnward.privacy.registry import Erasure, Retention, RetentionAction, declare
from learnward.privacy.registry.export import register_attachments
from learnward.privacy.registry.purposes import LawfulBasis, Purpose, register_purpose
from learnward.privacy.registry.taxonomy import NOT_PERSONAL

from .models import (
    AccessGrant,
    Coupon,
    CreditNote,
    DocumentSeries,
    EnrolmentCode,
    Invoice,
    Order,
    Product,
    SeatPool,
    StoreSettings,
    StripeEvent,
    TaxRate,
)

# The field that names the person a declaration is about (a field path, not text).
BY_BUYER = "buyer"
BY_REDEEMED_BY = "redeemed_by"
BY_USER = "user"

FINANCIAL = "user.financial"
INVOICE_YEARS = 7

register_purpose(
    Purpose(
        "purchases",
        _("Selling you courses"),
        LawfulBasis.CONTRACT,
        _(
            "Taking your order and payment, keeping your billing details for it, and giving you "
            "the access or the seats you paid for. When you pay by card, you enter your card "
            "details on our payment provider's page; we never see them, and keep only the "
            "card's brand and last four digits for your receipt."
        ),
        essential_service=True,
    )
)
register_purpose(
    Purpose(
        "accounting",
        _("Keeping accounting and tax records"),
        LawfulBasis.LEGAL_OBLIGATION,
        _(
            "Keeping the invoices and credit notes we issue, with the billing details on them "
            "and the evidence for the VAT we charged, for as long as tax law requires."
        ),
        legal_claims=True,
    )
)

for model in (StoreSettings, TaxRate, DocumentSeries, StripeEvent):
    declare(model, fields={f.name: NOT_PERSONAL for f in model._meta.get_fields() if f.concrete})
declare(
    Product,
    fields={
        **{f.name: NOT_PERSONAL for f in Product._meta.get_fields() if f.concrete},
        "courses": NOT_PERSONAL,
    },
)
for through in (Product.courses.through, Coupon.products.through):
    declare(
        through, fields={f.name: NOT_PERSONAL for f in through._meta.get_fields() if f.concrete}
    )
declare(
    Coupon,
    fields={
        **{f.name: NOT_PERSONAL for f in Coupon._meta.get_fields() if f.concrete},
        "products": NOT_PERSONAL,
    },
)

declare(
    Order,
    subject=BY_USER,
    fields={
        "id": NOT_PERSONAL,
        "user": "user.unique_id",
        "product": NOT_PERSONAL,
        "coupon": NOT_PERSONAL,
        **{
            name: FINANCIAL
            for name in (
                "reference",
                "status",
                "method",
                "description",
                "quantity",
                "seats",
                "currency",
                "unit_price",
                "discount",
                "net_total",
                "tax_rate",
                "tax_total",
                "gross_total",
                "tax_treatment",
                "tax_country",
                "tax_evidence",
                "billing_name",
                "billing_company",
                "billing_address",
                "billing_country",
                "vat_number",
                "po_number",
                "stripe_session_id",
                "stripe_payment_intent",
                "card_brand",
                "card_last4",
                "created_at",
                "paid_at",
                "cancelled_at",
                "closed_at",
            )
        },
    },
    purposes=["purchases"],
    erasure=Erasure.delete(),
    retention=Retention(
        description=format_lazy(
            _(
                "{months} months after the order is paid or cancelled (an unpaid order is "
                "cancelled after a day for card payments, or twice the payment terms for a bank "
                "transfer); the invoice stays as the record of the sale"
            ),
            months=settings.RETENTION_ORDER_MONTHS,
        ),
        anchor="closed_at",
        months=settings.RETENTION_ORDER_MONTHS,
        action=RetentionAction.DELETE,
        setting="LEARNWARD_RETENTION_ORDER_MONTHS",
        minimum_months=3,
    ),
    source=_(
        "You, when you buy a course; the card's brand and last digits from our payment provider"
    ),
    label=_("Orders"),
)

_DOCUMENT_FIELDS = (
    "series",
    "sequence",
    "number",
    "issued_at",
    "seller",
    "buyer_name",
    "buyer_company",
    "buyer_address",
    "buyer_country",
    "buyer_vat_number",
    "currency",
    "lines",
    "net_total",
    "tax_total",
    "gross_total",
    "tax_treatment",
    "tax_note",
)
_KEPT_REASON = format_lazy(
    _(
        "Kept as a limited record because tax law requires us to keep invoices and credit notes "
        "for {years} years (legal obligation); the link to your account is removed."
    ),
    years=INVOICE_YEARS,
)

_DOCUMENT_RETENTION = Retention(
    description=format_lazy(
        _("{years} years after it is issued, as tax law requires, then deleted"),
        years=INVOICE_YEARS,
    ),
    anchor="issued_at",
    months=INVOICE_YEARS * 12,
    action=RetentionAction.DELETE,
)

_INVOICE_ONLY = (
    "po_number",
    "method",
    "due_on",
    "paid_at",
    "tax_evidence",
    "payment_reference",
    "card_brand",
    "card_last4",
)
declare(
    Invoice,
    subject=BY_USER,
    fields={
        "id": NOT_PERSONAL,
        "user": "user.unique_id",
        "order": FINANCIAL,
        **{name: FINANCIAL for name in _DOCUMENT_FIELDS + _INVOICE_ONLY},
    },
    purposes=["accounting"],
    erasure=Erasure.retain(reason=_KEPT_REASON, fields=_DOCUMENT_FIELDS + _INVOICE_ONLY),
    retention=_DOCUMENT_RETENTION,
    source=_("Us, when you pay (from the billing details you gave)"),
    label=_("Invoices"),
)

_CREDIT_ONLY = ("invoice_number", "reason", "refund_reference", "ended_access")
declare(
    CreditNote,
    subject=BY_USER,
    fields={
        "id": NOT_PERSONAL,
        "user": "user.unique_id",
        "invoice": FINANCIAL,
        **{name: FINANCIAL for name in _DOCUMENT_FIELDS + _CREDIT_ONLY},
    },
    purposes=["accounting"],
    erasure=Erasure.retain(
        reason=_KEPT_REASON, fields=_DOCUMENT_FIELDS + _CREDIT_ONLY + ("invoice",)
    ),
    retention=_DOCUMENT_RETENTION,
    source=_("Us, when we refund you or cancel an invoice"),
    label=_("Credit notes"),
)

declare(
    AccessGrant,
    subject=BY_USER,
    fields={
        "id": NOT_PERSONAL,
        "user": "user.unique_id",
        "course": "user.behavior.learning_activity",
        "order": FINANCIAL,
        "granted_at": FINANCIAL,
        "expires_at": FINANCIAL,
        "ended_at": FINANCIAL,
        "reminded_at": "user.communications",
    },
    purposes=["purchases"],
    erasure=Erasure.delete(),
    retention=Retention(
        description=format_lazy(
            _("{months} months after the access ends"), months=settings.RETENTION_ORDER_MONTHS
        ),
        anchor="ended_at",
        months=settings.RETENTION_ORDER_MONTHS,
        action=RetentionAction.DELETE,
        setting="LEARNWARD_RETENTION_ORDER_MONTHS",
        minimum_months=3,
    ),
    source=_("Us, when you pay for a course or use an enrolment code"),
    label=_("Paid access to courses"),
)

declare(
    SeatPool,
    subject=BY_BUYER,
    fields={
        "id": NOT_PERSONAL,
        "buyer": "user.unique_id",
        "order": FINANCIAL,
        "product": NOT_PERSONAL,
        "seats": FINANCIAL,
        "access_months": NOT_PERSONAL,
        "created_at": FINANCIAL,
    },
    purposes=["purchases"],
    erasure=Erasure.anonymise(
        "buyer", reason=_("The seats belong to the employer who paid for them.")
    ),
    retention=Retention(
        description=format_lazy(
            _("{years} years after the seats were bought"), years=INVOICE_YEARS
        ),
        anchor="created_at",
        months=INVOICE_YEARS * 12,
        action=RetentionAction.DELETE,
    ),
    source=_("You, when you buy seats for others"),
    label=_("Seats bought for others"),
)

declare(
    EnrolmentCode,
    subject=BY_REDEEMED_BY,
    fields={
        "id": NOT_PERSONAL,
        "pool": NOT_PERSONAL,
        "code": NOT_PERSONAL,
        "redeemed_by": "user.unique_id",
        "redeemed_at": "user.behavior.learning_activity",
    },
    purposes=["purchases"],
    erasure=Erasure.anonymise(
        "redeemed_by", reason=_("The code stays used, so the seat is not handed out twice.")
    ),
    retention_note=_("Kept with the seats it belongs to, and deleted with them."),
    source=_("Us, when you use an enrolment code from your employer"),
    label=_("Enrolment codes you used"),
)


# --- invoices and credit notes as PDFs in a subject's export archive ----------------------------


def _export_attachments(user):
    """Each invoice and credit note of ``user``, as the PDF they can download."""
    from . import selectors
    from .pdf import credit_note_pdf_bytes, invoice_pdf_bytes

    meta = {"purposes": ["accounting"], "categories": ["Payment and billing records"]}
    for invoice in selectors.invoices_for(user=user).iterator():
        yield f"invoices/{invoice.number}.pdf", invoice_pdf_bytes(invoice), meta
    for note in selectors.credit_notes_for(user=user).iterator():
        yield f"invoices/{note.number}.pdf", credit_note_pdf_bytes(note), meta


register_attachments(_export_attachments)
