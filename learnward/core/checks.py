"""Start-up checks for the site's own settings."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register


@register()
def brand_colours(app_configs=None, **kwargs):
    """The default brand colours must be usable: #rrggbb with AA contrast against white."""
    from .branding import BrandingError, check_colour

    errors = []
    for name, label in (
        ("BRAND_PRIMARY_COLOUR", "primary colour"),
        ("BRAND_ACCENT_COLOUR", "accent colour"),
    ):
        try:
            check_colour(getattr(settings, name), label=label)
        except BrandingError as exc:
            errors.append(Error(f"LEARNWARD_{name}: {exc.message}", id="learnward.E010"))
    return errors
