"""Sharing a certificate: LinkedIn's "Add to profile" link, the verification link and its QR code.

LinkedIn's Add to Profile for certifications is a plain link, no API key or app: the member opens
``https://www.linkedin.com/profile/add`` with the certification's fields in the query string and
LinkedIn shows its "Add licence or certification" form filled in. The parameters are those of
LinkedIn's Add to Profile developer documentation: ``startTask=CERTIFICATION_NAME``, ``name``,
``organizationId`` (the provider's LinkedIn page, when known) or ``organizationName``,
``issueYear``/``issueMonth``, ``expirationYear``/``expirationMonth``, ``certUrl`` and ``certId``.
See docs/certificates.md ("Sharing") for the sources.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import quote, urlencode

import segno
from django.conf import settings

from .models import Certificate, CertificateStatus
from .pdf import verification_url

LINKEDIN_ADD_TO_PROFILE = "https://www.linkedin.com/profile/add"


def linkedin_add_to_profile_url(
    *,
    name: str,
    issued_on: date,
    expires_on: date | None,
    cert_url: str,
    cert_id: str,
    organization_name: str = "",
    organization_id: str = "",
) -> str:
    """LinkedIn's add-certification link for these fields (pure: no database, no settings).

    ``organization_id`` (LinkedIn's numeric id of the issuer's page) is preferred when given,
    because LinkedIn then links the certification to that page and shows its logo; otherwise
    ``organization_name`` is sent as free text. Every value is percent-encoded (UTF-8, spaces as
    ``%20``, nothing left unescaped), so names with ``&``, ``#``, ``+`` or accents arrive intact.
    """
    if not name.strip():
        raise ValueError("A LinkedIn certification needs a name.")
    if not (organization_id or organization_name.strip()):
        raise ValueError("A LinkedIn certification needs an organisation id or name.")
    if organization_id and not str(organization_id).isdigit():
        raise ValueError("A LinkedIn organisation id is a number.")
    params: list[tuple[str, str]] = [("startTask", "CERTIFICATION_NAME"), ("name", name)]
    if organization_id:
        params.append(("organizationId", str(organization_id)))
    else:
        params.append(("organizationName", organization_name.strip()))
    params += [("issueYear", str(issued_on.year)), ("issueMonth", str(issued_on.month))]
    if expires_on is not None:
        params += [
            ("expirationYear", str(expires_on.year)),
            ("expirationMonth", str(expires_on.month)),
        ]
    params += [("certUrl", cert_url), ("certId", cert_id)]
    return f"{LINKEDIN_ADD_TO_PROFILE}?{urlencode(params, quote_via=quote, safe='')}"


def can_add_to_linkedin(certificate: Certificate, *, today: date | None = None) -> bool:
    """Only a certificate that is valid now is offered for a LinkedIn profile: a revoked one
    must not be promoted, and an expired one is renewed first (the new one is then offered)."""
    status = certificate.status if today is None else certificate.status_on(today)
    return status == CertificateStatus.VALID


def linkedin_url_for(certificate: Certificate, *, today: date | None = None) -> str | None:
    """The Add to LinkedIn link for ``certificate``, or None when it is not valid."""
    if not can_add_to_linkedin(certificate, today=today):
        return None
    return linkedin_add_to_profile_url(
        name=certificate.course_title,
        organization_name=settings.PROVIDER_NAME,
        organization_id=getattr(settings, "LINKEDIN_ORGANIZATION_ID", ""),
        issued_on=certificate.awarded_on,
        expires_on=certificate.expires_on,
        cert_url=verification_url(certificate),
        cert_id=certificate.display_code,
    )


def verification_qr_data_uri(certificate: Certificate) -> str:
    """The verification URL as a QR code (SVG data URI for an ``<img>``: the page's CSP allows
    ``data:`` images and no inline markup is needed). Same error correction as the PDF."""
    qr = segno.make(verification_url(certificate), error="m", micro=False)
    return qr.svg_data_uri(scale=4, border=4, dark="#000", light="#fff")
