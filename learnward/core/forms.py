"""What every form on the site shares."""


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
