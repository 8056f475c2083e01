"""Forms for managers, members and staff. They check shape only; the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from learnward.catalog.models import Course
from learnward.core.forms import AccessibleFormMixin, DayMonthYearField, PersonNameField

from .csv_import import MAX_ROWS
from .models import Membership, SeatPool

EMAIL_LABEL = _("Email address")


def _email_field(label=EMAIL_LABEL) -> forms.EmailField:
    return forms.EmailField(
        label=label,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter their email address."),
            "invalid": _("Enter an email address in the right format, like name@example.com."),
        },
    )


def _department_field(**kwargs) -> forms.CharField:
    kwargs.setdefault("label", _("Department (optional)"))
    return forms.CharField(max_length=100, required=False, **kwargs)


class _MaxRows:
    """The most people an upload may hold, written as the active language writes numbers
    ("2,000", "2.000", "2 000")."""

    def __str__(self) -> str:
        return number_format(MAX_ROWS, force_grouping=True)


class PoolChoiceField(forms.ModelChoiceField):
    """A choice of the organisation's pools, each shown with its seats left (``counted``: the
    pools as :func:`~learnward.organisations.services.pools_with_usage` counted them)."""

    counted: dict = {}

    def label_from_instance(self, pool: SeatPool) -> str:
        pool = self.counted.get(pool.pk, pool)
        left = getattr(pool, "left", None)
        values = {
            "course": pool.course.title,
            "day": date_format(pool.expires_on, "j F Y"),
            "count": left,
        }
        if left is None:
            return gettext("%(course)s (until %(day)s)") % values
        return (
            ngettext(
                "%(course)s (until %(day)s, %(count)s seat left)",
                "%(course)s (until %(day)s, %(count)s seats left)",
                left,
            )
            % values
        )


class _PoolForm(AccessibleFormMixin, forms.Form):
    def __init__(self, *args, pools=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        usable = {p.pk: p for p in pools if not p.expired}
        field = PoolChoiceField(
            queryset=SeatPool.objects.filter(pk__in=list(usable)).select_related("course"),
            required=False,
            label=_("Seat"),
            empty_label=_("No seat: only join the organisation"),
            help_text=_("A seat enrols them on the course when they accept."),
        )
        field.counted = usable
        self.fields["pool"] = field


class InviteForm(_PoolForm):
    email = _email_field()
    name = PersonNameField(label=_("Their name (optional)"), subject=_("The name"), required=False)
    department = _department_field()
    field_order = ["email", "name", "department", "pool"]


class UploadForm(_PoolForm):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=format_lazy(
            _(
                "A header row with the columns email, name and (optionally) department, then "
                "one row per person; UTF-8; at most 1 MB and {max_rows} people."
            ),
            max_rows=_MaxRows(),
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": _("Choose a CSV file to upload.")},
    )
    field_order = ["file", "pool"]


class RequiredCourseForm(AccessibleFormMixin, forms.Form):
    course = forms.ModelChoiceField(
        queryset=Course.objects.filter(published=True).order_by("title"),
        label=_("Course"),
        empty_label=_("Choose a course"),
        error_messages={"required": _("Choose a course.")},
    )
    department = _department_field(
        label=_("Department (optional)"), help_text=_("Leave empty to require it of every member.")
    )
    renewal_months = forms.IntegerField(
        label=_("Renew every (months, optional)"),
        min_value=1,
        max_value=120,
        required=False,
        help_text=_("Empty: the certificate's own expiry applies."),
    )


class RequiredCourseChangeForm(AccessibleFormMixin, forms.Form):
    department = _department_field()
    renewal_months = forms.IntegerField(
        label=_("Renew every (months, optional)"), min_value=1, max_value=120, required=False
    )

    def __init__(self, *args, prefix_id: int, **kwargs) -> None:
        kwargs.setdefault("prefix", f"required-{prefix_id}")
        super().__init__(*args, **kwargs)


class SharingForm(AccessibleFormMixin, forms.Form):
    sharing = forms.ChoiceField(
        label=_("What your managers see"),
        widget=forms.RadioSelect,
        choices=[
            ("required", _("Only the courses the organisation requires")),
            ("all", _("Every course I take")),
        ],
    )

    def __init__(self, *args, membership: Membership, **kwargs) -> None:
        kwargs.setdefault("prefix", f"sharing-{membership.pk}")
        kwargs.setdefault(
            "initial", {"sharing": "all" if membership.shares_all_courses else "required"}
        )
        super().__init__(*args, **kwargs)


# --- staff -----------------------------------------------------------------------------------------


class OrganisationForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        error_messages={"required": _("Enter the organisation's name.")},
    )
    company_number = forms.CharField(
        label=_("Company number (optional)"), max_length=20, required=False
    )
    vat_number = forms.CharField(label=_("VAT number (optional)"), max_length=20, required=False)


class DomainForm(AccessibleFormMixin, forms.Form):
    domain = forms.CharField(
        label=_("Email domain"),
        max_length=253,
        help_text=_("e.g. example-care.co.uk"),
        error_messages={"required": _("Enter a domain.")},
    )


class SeatPoolForm(AccessibleFormMixin, forms.Form):
    course = forms.ModelChoiceField(
        queryset=Course.objects.filter(published=True).order_by("title"),
        label=_("Course"),
        empty_label=_("Choose a course"),
        error_messages={"required": _("Choose a course.")},
    )
    seats = forms.IntegerField(
        label=_("Seats"),
        min_value=1,
        max_value=100000,
        required=False,
        help_text=_("Leave empty when the seats come from an order."),
    )
    expires_on = DayMonthYearField(
        label=_("Seats usable until"),
        error_messages={"required": _("Choose the last day the seats can be used.")},
    )
    order_reference = forms.CharField(
        label=_("From a paid seat order (optional)"),
        max_length=30,
        required=False,
        help_text=_(
            "Its reference, e.g. ORD-ABCD-EFGH: its unused enrolment codes become these "
            "seats and stop working."
        ),
    )

    def clean_expires_on(self):
        value = self.cleaned_data["expires_on"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("Choose a day from today on."))
        return value

    def clean(self):
        data = super().clean()
        if not data.get("seats") and not (data.get("order_reference") or "").strip():
            self.add_error("seats", _("Enter how many seats, or the order they come from."))
        return data


class ManagerInviteForm(AccessibleFormMixin, forms.Form):
    email = _email_field(_("Manager's email address"))
    name = PersonNameField(label=_("Their name (optional)"), subject=_("The name"), required=False)


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, membership: Membership) -> str:
        user = membership.user
        return f"{user.display_name} ({user.email})"


class DirectEnrolForm(AccessibleFormMixin, forms.Form):
    member = MemberChoiceField(
        queryset=Membership.objects.none(),
        label=_("Member"),
        empty_label=_("Choose a member"),
        error_messages={"required": _("Choose a member.")},
    )
    course = forms.ModelChoiceField(
        queryset=Course.objects.filter(published=True).order_by("title"),
        label=_("Course"),
        empty_label=_("Choose a course"),
        error_messages={"required": _("Choose a course.")},
    )

    def __init__(self, *args, organisation, **kwargs) -> None:
        kwargs.setdefault("prefix", "enrol")
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Membership.objects.filter(
            organisation=organisation, left_at__isnull=True
        ).select_related("user")
