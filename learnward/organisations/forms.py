"""Forms for managers, members and staff. They check shape only; the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from learnward.catalog.models import Course
from learnward.core.forms import AccessibleFormMixin, DayMonthYearField, PersonNameField

from .csv_import import MAX_ROWS
from .models import Membership, SeatPool


def _email_field(label: str = "Email address") -> forms.EmailField:
    return forms.EmailField(
        label=label,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter their email address.",
            "invalid": "Enter an email address in the right format, like name@example.com.",
        },
    )


def _department_field(**kwargs) -> forms.CharField:
    kwargs.setdefault("label", "Department (optional)")
    return forms.CharField(max_length=100, required=False, **kwargs)


class PoolChoiceField(forms.ModelChoiceField):
    """A choice of the organisation's pools, each shown with its seats left (``counted``: the
    pools as :func:`~learnward.organisations.services.pools_with_usage` counted them)."""

    counted: dict = {}

    def label_from_instance(self, pool: SeatPool) -> str:
        pool = self.counted.get(pool.pk, pool)
        left = getattr(pool, "left", None)
        seats = f", {left} seat{'s' if left != 1 else ''} left" if left is not None else ""
        return f"{pool.course.title} (until {pool.expires_on.day} {pool.expires_on:%B %Y}{seats})"


class _PoolForm(AccessibleFormMixin, forms.Form):
    def __init__(self, *args, pools=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        usable = {p.pk: p for p in pools if not p.expired}
        field = PoolChoiceField(
            queryset=SeatPool.objects.filter(pk__in=list(usable)).select_related("course"),
            required=False,
            label="Seat",
            empty_label="No seat: only join the organisation",
            help_text="A seat enrols them on the course when they accept.",
        )
        field.counted = usable
        self.fields["pool"] = field


class InviteForm(_PoolForm):
    email = _email_field()
    name = PersonNameField(label="Their name (optional)", subject="The name", required=False)
    department = _department_field()
    field_order = ["email", "name", "department", "pool"]


class UploadForm(_PoolForm):
    file = forms.FileField(
        label="CSV file",
        help_text=f"A header row with the columns email, name and (optionally) department, then "
        f"one row per person; UTF-8; at most 1 MB and {MAX_ROWS:,} people.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": "Choose a CSV file to upload."},
    )
    field_order = ["file", "pool"]


class RequiredCourseForm(AccessibleFormMixin, forms.Form):
    course = forms.ModelChoiceField(
        queryset=Course.objects.filter(published=True).order_by("title"),
        label="Course",
        empty_label="Choose a course",
        error_messages={"required": "Choose a course."},
    )
    department = _department_field(
        label="Department (optional)", help_text="Leave empty to require it of every member."
    )
    renewal_months = forms.IntegerField(
        label="Renew every (months, optional)",
        min_value=1,
        max_value=120,
        required=False,
        help_text="Empty: the certificate's own expiry applies.",
    )


class RequiredCourseChangeForm(AccessibleFormMixin, forms.Form):
    department = _department_field()
    renewal_months = forms.IntegerField(
        label="Renew every (months, optional)", min_value=1, max_value=120, required=False
    )

    def __init__(self, *args, prefix_id: int, **kwargs) -> None:
        kwargs.setdefault("prefix", f"required-{prefix_id}")
        super().__init__(*args, **kwargs)


class SharingForm(AccessibleFormMixin, forms.Form):
    sharing = forms.ChoiceField(
        label="What your managers see",
        widget=forms.RadioSelect,
        choices=[
            ("required", "Only the courses the organisation requires"),
            ("all", "Every course I take"),
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
        label="Name", max_length=200, error_messages={"required": "Enter the organisation's name."}
    )
    company_number = forms.CharField(
        label="Company number (optional)", max_length=20, required=False
    )
    vat_number = forms.CharField(label="VAT number (optional)", max_length=20, required=False)


class DomainForm(AccessibleFormMixin, forms.Form):
    domain = forms.CharField(
        label="Email domain",
        max_length=253,
        help_text="e.g. example-care.co.uk",
        error_messages={"required": "Enter a domain."},
    )


class SeatPoolForm(AccessibleFormMixin, forms.Form):
    course = forms.ModelChoiceField(
        queryset=Course.objects.filter(published=True).order_by("title"),
        label="Course",
        empty_label="Choose a course",
        error_messages={"required": "Choose a course."},
    )
    seats = forms.IntegerField(
        label="Seats",
        min_value=1,
        max_value=100000,
        required=False,
        help_text="Leave empty when the seats come from an order.",
    )
    expires_on = DayMonthYearField(
        label="Seats usable until",
        error_messages={"required": "Choose the last day the seats can be used."},
    )
    order_reference = forms.CharField(
        label="From a paid seat order (optional)",
        max_length=30,
        required=False,
        help_text="Its reference, e.g. ORD-ABCD-EFGH: its unused enrolment codes become these "
        "seats and stop working.",
    )

    def clean_expires_on(self):
        value = self.cleaned_data["expires_on"]
        if value < timezone.localdate():
            raise forms.ValidationError("Choose a day from today on.")
        return value

    def clean(self):
        data = super().clean()
        if not data.get("seats") and not (data.get("order_reference") or "").strip():
            self.add_error("seats", "Enter how many seats, or the order they come from.")
        return data


class ManagerInviteForm(AccessibleFormMixin, forms.Form):
    email = _email_field("Manager's email address")
    name = PersonNameField(label="Their name (optional)", subject="The name", required=False)


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, membership: Membership) -> str:
        user = membership.user
        return f"{user.display_name} ({user.email})"


class DirectEnrolForm(AccessibleFormMixin, forms.Form):
    member = MemberChoiceField(
        queryset=Membership.objects.none(),
        label="Member",
        empty_label="Choose a member",
        error_messages={"required": "Choose a member."},
    )
    course = forms.ModelChoiceField(
        queryset=Course.objects.filter(published=True).order_by("title"),
        label="Course",
        empty_label="Choose a course",
        error_messages={"required": "Choose a course."},
    )

    def __init__(self, *args, organisation, **kwargs) -> None:
        kwargs.setdefault("prefix", "enrol")
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Membership.objects.filter(
            organisation=organisation, left_at__isnull=True
        ).select_related("user")
