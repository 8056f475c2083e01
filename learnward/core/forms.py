"""What every form on the site shares."""

from django import forms

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
