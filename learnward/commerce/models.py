"""Selling courses: products and their prices, coupons, orders, invoices, credit notes, access
and seats.

Money is ``Decimal`` with two places, in the store's one currency. An invoice and a credit note
are snapshots taken when they are issued (seller, buyer, lines, totals, the VAT evidence) and
never change afterwards: they stand on their own after the order is deleted or the buyer's
account is erased, as the law on keeping accounting records asks.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from learnward.catalog.models import Course

MONEY = {"max_digits": 12, "decimal_places": 2}
ZERO = Decimal("0.00")


class StoreSettings(models.Model):
    """The seller: legal details printed on invoices, and how prices and VAT work. One row."""

    class Currency(models.TextChoices):
        GBP = "GBP", _("Pound sterling (£)")
        EUR = "EUR", _("Euro (€)")

    legal_name = models.CharField(max_length=200, default="Learnward Training Ltd")
    address = models.TextField(
        default="1 Example Street\nLondon\nEC1A 1AA", help_text=_("One line per line of address.")
    )
    country = models.CharField(
        max_length=2, default="GB", help_text=_("Two-letter country code of the seller.")
    )
    vat_number = models.CharField(max_length=20, blank=True, default="GB980780684")
    company_number = models.CharField(max_length=20, blank=True, default="")
    email = models.EmailField(default="accounts@example.com")
    currency = models.CharField(max_length=3, choices=Currency.choices, default=Currency.GBP)
    prices_include_vat = models.BooleanField(
        default=True,
        help_text=_(
            "Prices are what a buyer in the seller's country pays, VAT included. Off: "
            "prices are before VAT, which is added at checkout."
        ),
    )
    sells_into_eu = models.BooleanField(
        _("sells to consumers in the EU"),
        default=False,
        help_text=_(
            "Charge EU consumers their own country's VAT rate (One Stop Shop). Off: EU "
            "consumers cannot buy; EU businesses with a VAT number still can (reverse charge)."
        ),
    )
    payment_instructions = models.TextField(
        default="Account name: Learnward Training Ltd\nSort code: 00-00-00\n"
        "Account number: 00000000",
        help_text=_("Bank details for payment by transfer, printed on proforma invoices."),
    )
    payment_terms_days = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    full_refund_ends_access = models.BooleanField(
        default=True, help_text=_("A full refund ends the buyer's access to the courses bought.")
    )
    invoice_footer = models.CharField(max_length=300, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("store settings")
        verbose_name_plural = _("store settings")

    def __str__(self) -> str:
        return gettext("Store settings")

    @classmethod
    def current(cls) -> StoreSettings:
        return cls.objects.get_or_create(pk=1)[0]


class TaxRate(models.Model):
    """The standard VAT rate of a country; the provider keeps this table up to date."""

    # Filled by a migration: a freshly migrated site with only these rows is still empty (for
    # `learnward restore`'s refusal to overwrite a site holding data).
    SEEDED_BY_MIGRATIONS = True

    country = models.CharField(max_length=2, unique=True, help_text=_("Two-letter country code."))
    name = models.CharField(max_length=100)
    rate = models.DecimalField(
        _("rate (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    in_eu = models.BooleanField(_("in the EU"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.rate}%)"


class Product(models.Model):
    """Something for sale: one course, or a bundle of courses, at one price."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    courses = models.ManyToManyField(Course, related_name="products")
    price = models.DecimalField(**MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    access_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("How long access lasts after payment. Leave blank for access without end."),
    )
    seats_allowed = models.BooleanField(
        default=True, help_text=_("Employers may buy seats of it, paid by invoice.")
    )
    active = models.BooleanField(default=True, help_text=_("Only active products can be bought."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class Coupon(models.Model):
    class Kind(models.TextChoices):
        PERCENT = "percent", _("Percentage off")
        FIXED = "fixed", _("Fixed amount off")

    code = models.CharField(max_length=40, unique=True, help_text=_("Stored in capitals."))
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PERCENT)
    value = models.DecimalField(
        **MONEY,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Percent (1-100) or the amount off the price."),
    )
    valid_until = models.DateField(null=True, blank=True, help_text=_("Last day it can be used."))
    usage_limit = models.PositiveIntegerField(null=True, blank=True)
    times_used = models.PositiveIntegerField(default=0, editable=False)
    products = models.ManyToManyField(
        Product, blank=True, help_text=_("Leave empty for every product.")
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs) -> None:
        self.code = (self.code or "").strip().upper()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.code = (self.code or "").strip().upper()
        if self.kind == self.Kind.PERCENT and self.value is not None and self.value > 100:
            raise ValidationError({"value": gettext("A percentage cannot be more than 100.")})


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for card payment")
        AWAITING_TRANSFER = "awaiting_transfer", _("Waiting for bank transfer")
        AWAITING_INVOICE = "awaiting_invoice", _("Invoiced, waiting for payment")
        PAID = "paid", _("Paid")
        CANCELLED = "cancelled", _("Cancelled")

    class Method(models.TextChoices):
        CARD = "card", _("Card (Stripe)")
        BANK_TRANSFER = "bank_transfer", _("Bank transfer")
        INVOICE = "invoice", _("Invoice with purchase order")

    reference = models.CharField(max_length=20, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="orders"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    method = models.CharField(max_length=20, choices=Method.choices)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="orders")
    description = models.CharField(max_length=300)
    quantity = models.PositiveIntegerField(default=1)
    seats = models.BooleanField(default=False, help_text=_("Bought as seats for others."))
    currency = models.CharField(max_length=3)
    unit_price = models.DecimalField(**MONEY)
    discount = models.DecimalField(**MONEY, default=ZERO)
    coupon = models.ForeignKey(Coupon, null=True, blank=True, on_delete=models.SET_NULL)
    net_total = models.DecimalField(**MONEY)
    tax_rate = models.DecimalField(max_digits=5, decimal_places=2)
    tax_total = models.DecimalField(**MONEY)
    gross_total = models.DecimalField(**MONEY)
    tax_treatment = models.CharField(max_length=20)
    tax_country = models.CharField(max_length=2, blank=True)
    tax_evidence = models.JSONField(default=dict)
    billing_name = models.CharField(max_length=200)
    billing_company = models.CharField(max_length=200, blank=True)
    billing_address = models.TextField()
    billing_country = models.CharField(max_length=2)
    vat_number = models.CharField(max_length=20, blank=True)
    po_number = models.CharField(_("purchase order number"), max_length=60, blank=True)
    stripe_session_id = models.CharField(max_length=100, blank=True)
    stripe_payment_intent = models.CharField(max_length=100, blank=True)
    card_brand = models.CharField(max_length=20, blank=True)
    card_last4 = models.CharField(max_length=4, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # When the order reached its end (paid or cancelled): retention counts from here.
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            ("manage_orders", "Can mark orders paid, cancel them and refund"),
            ("export_accounts", "Can export invoices and credit notes for the accountant"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in {
            self.Status.PENDING,
            self.Status.AWAITING_TRANSFER,
            self.Status.AWAITING_INVOICE,
        }


class DocumentSeries(models.Model):
    """A numbering series (invoices, credit notes): the next number, taken under a row lock in
    the transaction that issues the document, so numbers have no gaps."""

    key = models.CharField(max_length=20, unique=True)
    prefix = models.CharField(max_length=10)
    next_number = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return self.key


class _Issued(models.Model):
    """What invoices and credit notes share: a number, a snapshot, immutability."""

    series = models.CharField(max_length=20)
    sequence = models.PositiveIntegerField()
    number = models.CharField(max_length=30, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    issued_at = models.DateTimeField()
    seller = models.JSONField(help_text=_("The seller's legal details when it was issued."))
    buyer_name = models.CharField(max_length=200)
    buyer_company = models.CharField(max_length=200, blank=True)
    buyer_address = models.TextField()
    buyer_country = models.CharField(max_length=2)
    buyer_vat_number = models.CharField(max_length=20, blank=True)
    currency = models.CharField(max_length=3)
    lines = models.JSONField()
    net_total = models.DecimalField(**MONEY)
    tax_total = models.DecimalField(**MONEY)
    gross_total = models.DecimalField(**MONEY)
    tax_treatment = models.CharField(max_length=20)
    tax_note = models.CharField(max_length=300, blank=True)

    # Fields erasure may clear on an issued document (the link to the account); nothing else.
    MUTABLE_AFTER_ISSUE = frozenset({"user"})

    class Meta:
        abstract = True
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            fields = kwargs.get("update_fields")
            if fields is None or not set(fields) <= self.MUTABLE_AFTER_ISSUE:
                raise ValidationError(
                    gettext("%(number)s is issued and cannot be changed.") % {"number": self.number}
                )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        # Only the retention run deletes issued documents (through the queryset, in bulk).
        raise ValidationError(
            gettext("%(number)s is issued and cannot be deleted one by one.")
            % {"number": self.number}
        )


class Invoice(_Issued):
    order = models.OneToOneField(
        Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="invoice"
    )
    po_number = models.CharField(_("purchase order number"), max_length=60, blank=True)
    method = models.CharField(max_length=20)

    due_on = models.DateField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    tax_evidence = models.JSONField(default=dict)
    payment_reference = models.CharField(
        max_length=100, blank=True, help_text=_("The payment provider's id for the payment.")
    )
    card_brand = models.CharField(max_length=20, blank=True)
    card_last4 = models.CharField(max_length=4, blank=True)

    MUTABLE_AFTER_ISSUE = frozenset({"user", "paid_at", "order"})

    class Meta(_Issued.Meta):
        constraints = [
            models.UniqueConstraint(fields=["series", "sequence"], name="invoice_unique_sequence")
        ]


class CreditNote(_Issued):
    # Kept by number when the invoice's own seven years end first: each document has its own.
    invoice = models.ForeignKey(
        Invoice, null=True, on_delete=models.SET_NULL, related_name="credit_notes"
    )
    invoice_number = models.CharField(max_length=30)
    reason = models.CharField(max_length=300)
    refund_reference = models.CharField(max_length=100, blank=True)
    ended_access = models.BooleanField(default=False)

    class Meta(_Issued.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["series", "sequence"], name="creditnote_unique_sequence"
            )
        ]


class AccessGrant(models.Model):
    """A learner's paid access to a course, from an order or a seat code; may end."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_grants"
    )
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="access_grants")
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="grants"
    )
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-granted_at", "-id"]

    def __str__(self) -> str:
        return f"Access to course {self.course_id}"


class SeatPool(models.Model):
    """Seats of a course bought by an employer: handed out as enrolment codes."""

    order = models.OneToOneField(
        Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="seat_pool"
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="seat_pools",
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT)
    seats = models.PositiveIntegerField()
    access_months = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.seats} seats of {self.product}"


class EnrolmentCode(models.Model):
    pool = models.ForeignKey(SeatPool, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(max_length=20, unique=True)
    redeemed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    redeemed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.code


class StripeEvent(models.Model):
    """A Stripe webhook event already processed: its id and type only, never its payload."""

    event_id = models.CharField(max_length=100, unique=True)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return self.event_id
