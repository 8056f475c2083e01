"""The checkout's forms: billing details, how to pay, a coupon; seats and a PO number for
employers; an enrolment code. No price or total is ever a form field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from learnward.core.forms import AccessibleFormMixin, PersonNameField

from .countries import country_choices
from .models import Order
from .pricing import MAX_SEATS


class CheckoutForm(AccessibleFormMixin, forms.Form):
    billing_name = PersonNameField(
        label=_("Name on the invoice"), subject=_("The name on the invoice"), max_length=200
    )
    billing_company = forms.CharField(label=_("Company (optional)"), max_length=200, required=False)
    billing_address = forms.CharField(
        label=_("Billing address"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "street-address"}),
        help_text=_("Street, town and postcode, one per line."),
    )
    country = forms.ChoiceField(
        label=_("Country"),
        choices=country_choices,
        widget=forms.Select(attrs={"autocomplete": "country"}),
    )
    vat_number = forms.CharField(
        label=_("VAT number (optional)"),
        max_length=20,
        required=False,
        help_text=_(
            "A business in another country than ours pays no VAT with a valid VAT number "
            "(reverse charge)."
        ),
    )
    coupon = forms.CharField(label=_("Coupon code (optional)"), max_length=40, required=False)
    method = forms.ChoiceField(label=_("How would you like to pay?"), widget=forms.RadioSelect)

    def __init__(self, *args, card_available: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        methods = [
            (Order.Method.BANK_TRANSFER.value, _("Bank transfer (we email you the details)"))
        ]
        if card_available:
            methods.insert(0, (Order.Method.CARD.value, _("Card, on Stripe's secure page")))
        self.fields["method"].choices = methods
        self.fields["method"].initial = methods[0][0]
        self.fields["billing_name"].widget.attrs["autocomplete"] = "name"
        self.fields["billing_company"].widget.attrs["autocomplete"] = "organization"

    def clean_vat_number(self) -> str:
        return self.cleaned_data["vat_number"].strip().upper()

    def clean_coupon(self) -> str:
        return self.cleaned_data["coupon"].strip().upper()


class SeatsForm(CheckoutForm):
    quantity = forms.IntegerField(
        label=_("Number of seats"), min_value=1, max_value=MAX_SEATS, initial=5
    )
    po_number = forms.CharField(
        label=_("Purchase order number (optional)"), max_length=60, required=False
    )
    field_order = [
        "quantity",
        "billing_name",
        "billing_company",
        "billing_address",
        "country",
        "vat_number",
        "po_number",
        "coupon",
        "method",
    ]

    def __init__(self, *args, card_available: bool, **kwargs) -> None:
        super().__init__(*args, card_available=card_available, **kwargs)
        self.fields["method"].choices = [
            (Order.Method.INVOICE.value, _("Invoice now, pay by bank transfer within our terms")),
            *self.fields["method"].choices,
        ]
        self.fields["method"].initial = Order.Method.INVOICE.value
        self.fields["billing_company"].label = _("Company")

        self.fields["billing_company"].required = True


class RedeemForm(AccessibleFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Enrolment code"),
        max_length=20,
        help_text=_("As your employer gave it to you, for example ABCD-EFGH-JKLM."),
    )
