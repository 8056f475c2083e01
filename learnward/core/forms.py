"""What every form on the site shares."""

import calendar
import datetime as dt

from django import forms
from django.utils.dates import MONTHS
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .text import NameNotAllowed, clean_person_name


class AccessibleFormMixin:
    """Plain labels and the GOV.UK-style error summary the templates render."""

    template_name_div = "includes/form_fields.html"

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")  # labels read "Email address", not "Email address:"
        super().__init__(*args, **kwargs)

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor, message) pairs: non-field errors first, then fields in order."""
        items = [("", str(message)) for message in self.non_field_errors()]
        for name in self.fields:
            bound = self[name]
            for message in bound.errors:
                items.append((f"#{bound.id_for_label or bound.auto_id}", str(message)))
        return items


DATE_HINT = _("For example, 27 3 2001")

# What a date with missing parts lacks, whole sentences so each language can word them.
_MISSING = {
    ("day",): _("%(subject)s must include a day."),
    ("month",): _("%(subject)s must include a month."),
    ("year",): _("%(subject)s must include a year."),
    ("day", "month"): _("%(subject)s must include a day and month."),
    ("day", "year"): _("%(subject)s must include a day and year."),
    ("month", "year"): _("%(subject)s must include a month and year."),
    ("day", "month", "year"): _("%(subject)s must include a day, month and year."),
}


class DayMonthYearWidget(forms.MultiWidget):
    """A date as three labelled boxes, day, month and year, in a fieldset whose legend is the
    field's label (the GOV.UK date input). No calendar widget and no mm/dd/yyyy: people type the
    date they know. ``bday``: the browser may fill in the person's own date of birth."""

    template_name = "core/widgets/date_input.html"  # an app template: the form renderer finds those
    use_fieldset = True
    PARTS = (("day", _("Day"), 2), ("month", _("Month"), 2), ("year", _("Year"), 4))

    def __init__(self, attrs=None, *, bday: bool = False) -> None:
        widgets = {}
        for part, _label, size in self.PARTS:
            sub = {
                "inputmode": "numeric",
                "maxlength": str(size),
                "class": f"date-input__input date-input__input--{part}",
                "spellcheck": "false",
            }
            if bday:
                sub["autocomplete"] = f"bday-{part}"
            widgets[part] = forms.TextInput(attrs=sub)  # named <name>_day, _month, _year
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value:
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        base_id = context["widget"]["attrs"].get("id")
        for sub, (part, label, _size) in zip(
            context["widget"]["subwidgets"], self.PARTS, strict=True
        ):
            sub["label"] = label
            if base_id:
                sub["attrs"]["id"] = (
                    f"{base_id}_{part}"  # not _0, _1, _2: ids that say what they are
                )
        return context

    def value_from_datadict(self, data, files, name):
        # A single ISO value (2001-03-27) is still accepted: API clients and older forms post it.
        if name in data and not any(f"{name}_{p}" in data for p, _l, _s in self.PARTS):
            return data.get(name)
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)


class DayMonthYearField(forms.DateField):
    """A date typed as day, month and year (:class:`DayMonthYearWidget`), refused with a message
    that says what is wrong: a missing part, a year without four digits, or a date that does not
    exist (31 February)."""

    widget = DayMonthYearWidget

    def __init__(self, *, bday: bool = False, **kwargs) -> None:
        help_text = kwargs.pop("help_text", "")
        kwargs["help_text"] = (
            format_lazy("{} {}.", help_text, DATE_HINT)
            if help_text
            else format_lazy("{}.", DATE_HINT)
        )
        kwargs.setdefault("widget", DayMonthYearWidget(bday=bday))
        super().__init__(**kwargs)

    @property
    def subject(self) -> str:
        return str(self.label or _("The date"))

    def to_python(self, value):
        if isinstance(value, (list, tuple)):
            return self._from_parts([str(v or "").strip() for v in value])
        return super().to_python(value)

    def _from_parts(self, parts: list[str]):
        names = ("day", "month", "year")
        if not any(parts):
            return None
        missing = tuple(n for n, v in zip(names, parts, strict=True) if not v)
        if missing:
            raise forms.ValidationError(
                _MISSING[missing] % {"subject": self.subject}, code="incomplete"
            )
        if not all(v.isdigit() for v in parts):
            raise forms.ValidationError(
                _("%(subject)s must be a real date, written in numbers, like 27 3 2001.")
                % {"subject": self.subject},
                code="invalid",
            )
        day, month, year = (int(v) for v in parts)
        if len(parts[2]) != 4:
            raise forms.ValidationError(_("The year must have 4 numbers, like 2001."), code="year")
        if not 1 <= month <= 12:
            raise forms.ValidationError(
                _("The month must be a number from 1 to 12."), code="invalid_month"
            )
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise forms.ValidationError(
                _("%(subject)s must be a real date: %(month)s %(year)s has %(days)s days.")
                % {"subject": self.subject, "month": MONTHS[month], "year": year, "days": last},
                code="invalid_day",
            )
        return dt.date(year, month, day)


class PersonNameField(forms.CharField):
    """A person's name as typed: NFC, single-spaced, and refused (with a message saying why)
    when it holds control characters, direction overrides or other invisible characters
    (:func:`learnward.core.text.clean_person_name`). Right-to-left scripts and combining marks
    are kept as typed."""

    def __init__(self, *, subject: str = "Your name", **kwargs) -> None:
        kwargs.setdefault("max_length", 150)
        super().__init__(**kwargs)
        self.subject = subject

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        try:
            return clean_person_name(value, subject=self.subject)
        except NameNotAllowed as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None


class BrandingForm(AccessibleFormMixin, forms.Form):
    """The Branding page: blank fields use the site's defaults (LEARNWARD_BRAND_* settings)."""

    legal_name = forms.CharField(
        label=_("Legal name"),
        max_length=200,
        required=False,
        help_text=_("As it appears on certificates. Leave blank to use the site's name."),
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        help_text=_("Shown on the certificate verification page."),
    )
    primary_colour = forms.CharField(
        label=_("Primary colour"),
        max_length=7,
        required=False,
        help_text=_(
            "Buttons, links and the header's accents, as #rrggbb, for example #1d4f91. "
            "It needs a contrast of at least 4.5:1 against white."
        ),
    )
    accent_colour = forms.CharField(
        label=_("Accent colour"),
        max_length=7,
        required=False,
        help_text=_(
            "Used sparingly for highlights, as #rrggbb. Also at least 4.5:1 against white."
        ),
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_(
            "A PNG, JPEG, GIF or WebP image under 2 MB; a wide logo works best. "
            "Shown in the header, emails, certificates and the verification page."
        ),
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)
    signature = forms.FileField(
        label=_("Signature"),
        required=False,
        help_text=_(
            "A scan of the signature on a white or transparent background, PNG or JPEG, "
            "printed on certificates."
        ),
    )
    remove_signature = forms.BooleanField(label=_("Remove the current signature"), required=False)
    signatory_name = PersonNameField(
        label=_("Signatory's name"), required=False, subject=_("The signatory's name")
    )
    signatory_title = forms.CharField(
        label=_("Signatory's job title"), max_length=150, required=False
    )

    TEXT_FIELDS = (
        "legal_name",
        "website",
        "primary_colour",
        "accent_colour",
        "signatory_name",
        "signatory_title",
    )

    def __init__(self, *args, instance_values=None, **kwargs) -> None:
        if instance_values is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {n: getattr(instance_values, n) for n in self.TEXT_FIELDS}
        super().__init__(*args, **kwargs)
        from django.conf import settings

        # A blank field means "the site's default": show it as the placeholder.
        for name, default in (
            ("legal_name", settings.BRAND_LEGAL_NAME or settings.PROVIDER_NAME),
            ("website", settings.BRAND_WEBSITE),
            ("primary_colour", settings.BRAND_PRIMARY_COLOUR),
            ("accent_colour", settings.BRAND_ACCENT_COLOUR),
        ):
            if default:
                self.fields[name].widget.attrs["placeholder"] = default

    def _clean_colour(self, name: str, label: str) -> str:
        from .branding import BrandingError, check_colour

        value = self.cleaned_data.get(name, "").strip()
        if not value:
            return ""
        try:
            return check_colour(value, label=label)
        except BrandingError as exc:
            raise forms.ValidationError(exc.message, code="contrast") from None

    def clean_primary_colour(self) -> str:
        return self._clean_colour("primary_colour", _("primary colour"))

    def clean_accent_colour(self) -> str:
        return self._clean_colour("accent_colour", _("accent colour"))

    def _clean_image(self, name: str, label: str) -> bytes | None:
        from .branding import LOGO_BOX, BrandingError, clean_image

        upload = self.cleaned_data.get(name)
        if not upload:
            return None
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(
                _("The %(image)s must be smaller than 2 MB.") % {"image": label}
            )
        try:
            return clean_image(upload.read(), label=label, box=LOGO_BOX)
        except BrandingError as exc:
            raise forms.ValidationError(exc.message, code="image") from None

    def clean_logo(self):
        return self._clean_image("logo", _("logo"))

    def clean_signature(self):
        return self._clean_image("signature", _("signature"))

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        out = {name: data.get(name) or "" for name in self.TEXT_FIELDS}
        for name in ("logo", "signature"):
            if data.get(name):
                out[name] = data[name]
            elif data.get(f"remove_{name}"):
                out[name] = None
        return out


class GalleryForm(AccessibleFormMixin, forms.Form):
    """The date input as the design gallery shows it."""

    date_of_birth = DayMonthYearField(label=_("Date of birth"), bday=False, required=False)
