"""The cookie register: cookies an operator adds (the site's own essential cookies are built in)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class CookieDefinition(models.Model):
    """A cookie the site (or a script it loads) sets, declared so the notice and banner can name it.

    The site's own essential cookies (session, CSRF, language, messages, cookie choice) are built
    into :func:`learnward.privacy.cookies.cookie_register`; add rows here for anything else, such
    as an analytics script's cookies. A non-essential row is only active after consent: its
    ``script_url`` is loaded only for browsers that said yes, and the banner asks first.
    """

    name = models.CharField(max_length=100, help_text=_("The cookie's name, e.g. _pk_id."))
    provider = models.CharField(
        max_length=100, blank=True, help_text=_("Who sets it, if not us (e.g. Matomo).")
    )
    purpose = models.TextField(help_text=_("What it is for, in plain English."))
    duration = models.CharField(max_length=100, help_text=_("How long it lasts, e.g. 13 months."))
    essential = models.BooleanField(
        default=False,
        help_text=_(
            "Strictly necessary for a service the visitor asked for. Non-essential cookies "
            "are only set after the visitor agrees."
        ),
    )
    script_url = models.URLField(
        _("script address"),
        blank=True,
        help_text=_("A script that sets this cookie (https only), loaded only after consent."),
    )
    enabled = models.BooleanField(
        default=True, help_text=_("Turn off to stop using this cookie without deleting the entry.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "privacy_cookiedefinition"
        ordering = ["-essential", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.script_url:
            if self.essential:
                raise ValidationError(
                    {
                        "script_url": _(
                            "Scripts are only for non-essential cookies set after consent."
                        )
                    }
                )
            parts = urlsplit(self.script_url)
            if parts.scheme != "https":
                raise ValidationError({"script_url": _("Use an https:// address.")})
