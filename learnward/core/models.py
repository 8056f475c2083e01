"""The site's own records: the provider's branding (one row)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Branding(models.Model):
    """How the provider's site, emails and certificates look: one row (pk 1), edited on the
    Branding page of the staff area (``/staff/branding/``). A blank field falls back to the
    LEARNWARD_BRAND_* settings (and LEARNWARD_PROVIDER_NAME); read it through
    :func:`learnward.core.branding.current_branding`, never directly.

    The logo and signature are stored as re-encoded PNG bytes (never the upload as sent), so every
    web and worker machine reads the same image from the database.
    """

    legal_name = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("The provider's legal name, as it appears on certificates and invoices."),
    )
    website = models.URLField(blank=True, help_text=_("The provider's public website."))
    primary_colour = models.CharField(
        max_length=7, blank=True, help_text=_("Buttons, links and highlights, as #rrggbb.")
    )
    accent_colour = models.CharField(
        max_length=7, blank=True, help_text=_("A second colour used sparingly, as #rrggbb.")
    )
    logo = models.BinaryField(null=True, blank=True)
    logo_sha256 = models.CharField(max_length=64, blank=True)
    signature = models.BinaryField(null=True, blank=True)
    signature_sha256 = models.CharField(max_length=64, blank=True)
    signatory_name = models.CharField(
        max_length=150, blank=True, help_text=_("The person who signs certificates.")
    )
    signatory_title = models.CharField(
        max_length=150, blank=True, help_text=_("Their job title, printed under the signature.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "branding"
        verbose_name_plural = "branding"

    def __str__(self) -> str:
        return "Branding"
