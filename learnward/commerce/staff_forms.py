"""Forms of the sales pages: filters, cancelling, refunding, and the accountant's period. Thin:
the services decide what may happen, and their messages are shown as they say it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from learnward.core.dates import add_months
from learnward.core.forms import AccessibleFormMixin, DayMonthYearField

from .models import Order
from .templatetags.money import format_money

EXPORT_MAX_MONTHS = 24
REASON_MAX = 300  # what a credit note keeps


class OrderFilterForm(AccessibleFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Order.Status.choices],
        error_messages={"invalid_choice": _("Choose a status from the list.")},
    )
    q = forms.CharField(
        label=_("Order reference or invoice number"),
        required=False,
        max_length=40,
        help_text=_("The whole reference or number, for example ORD-ABCD-EFGH or INV-000012."),
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={"max_length": _("A reference or number is at most 40 characters.")},
    )


class DocumentSearchForm(AccessibleFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Number or order reference"),
        required=False,
        max_length=40,
        help_text=_("The whole number, for example INV-000012, CN-000003 or ORD-ABCD-EFGH."),
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={"max_length": _("A number or reference is at most 40 characters.")},
    )


class CancelOrderForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=REASON_MAX,
        help_text=_("Printed on the credit note when the order was already invoiced."),
        error_messages={
            # Django fills in limit_value (the field's max_length) when it shows the message.
            "max_length": _("Keep the reason to %(limit_value)s characters or fewer.")
        },
    )


class RefundForm(AccessibleFormMixin, forms.Form):
    amount = forms.DecimalField(
        label=_("Amount to refund, VAT included"),
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        error_messages={
            "required": _("Enter the amount to refund."),
            "invalid": _("Enter the amount as a number, for example 20.00."),
            "max_decimal_places": _("Enter the amount in pounds and pence, for example 20.50."),
            "max_digits": _("Enter an amount no larger than the invoice."),
            "max_whole_digits": _("Enter an amount no larger than the invoice."),
        },
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        help_text=_("Printed on the credit note the buyer receives."),
        error_messages={
            "required": _("Say why the refund is given: it is printed on the credit note."),
            "max_length": _("Keep the reason to %(limit_value)s characters or fewer."),
        },
    )
    end_access = forms.BooleanField(label=_("End access to the course"), required=False)

    def __init__(self, *args, left: Decimal, currency: str, ends_access: bool, **kwargs):
        kwargs.setdefault("initial", {"amount": left, "end_access": ends_access})
        super().__init__(*args, **kwargs)
        self.left = left
        self.fields["amount"].help_text = _t("%(amount)s is left to refund on this invoice.") % {
            "amount": format_money(left, currency)
        }
        self.fields["end_access"].help_text = _t(
            "Only with a full refund of what is left (%(amount)s): the buyer can no longer study "
            "the courses bought. A partial refund never ends access."
        ) % {"amount": format_money(left, currency)}

    def clean(self):
        cleaned = super().clean()
        amount = cleaned.get("amount")
        # Too much or nothing at all is the service's to refuse, with its own message.
        if cleaned.get("end_access") and amount is not None and 0 < amount < self.left:
            self.add_error(
                "end_access",
                _t(
                    "Access ends only with a full refund: refund everything that is left, or "
                    "untick “End access to the course”."
                ),
            )
        return cleaned


class ExportForm(AccessibleFormMixin, forms.Form):
    start = DayMonthYearField(
        label=_("From"),
        help_text=_("The first day, included."),
        error_messages={
            "required": _("Enter the first day of the period."),
            "invalid": _("Enter the first day as a date, for example 2026-01-01."),
        },
    )
    end = DayMonthYearField(
        label=_("To"),
        help_text=_("The last day, included."),
        error_messages={
            "required": _("Enter the last day of the period."),
            "invalid": _("Enter the last day as a date, for example 2026-03-31."),
        },
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start > end:
                self.add_error(
                    "end", _t("The last day must be the same as or after the first day.")
                )
            elif end >= add_months(start, EXPORT_MAX_MONTHS):
                last = add_months(start, EXPORT_MAX_MONTHS) - timedelta(days=1)
                self.add_error(
                    "end",
                    _t("Choose a period of at most two years: up to %(date)s.")
                    % {"date": date_format(last, "j F Y")},
                )
        return cleaned

    @staticmethod
    def last_quarter(today: date) -> dict[str, date]:
        """The calendar quarter before the one ``today`` is in: what an accountant asks for."""
        this_quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        return {"start": add_months(this_quarter, -3), "end": this_quarter - timedelta(days=1)}
