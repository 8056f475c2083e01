"""The holder's certificate as an Open Badges 3.0 ``OpenBadgeCredential`` (VCDM 2.0), signed."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from learnward.core.i18n import strip_language_prefix, use_language
from learnward.core.links import absolute_url

from ..models import Certificate
from ..pdf import certificate_language, verification_url
from . import dataintegrity
from .jsonld import OB_V3, VC_V2
from .keys import issuer
from .statuslist import entry_for


def _day_start(day: date) -> str:
    """Midnight at the start of ``day`` in the site's time zone, as an xsd:dateTimeStamp."""
    moment = timezone.make_aware(datetime.combine(day, time.min))
    return moment.replace(microsecond=0).isoformat()


def _hours(value) -> float:
    return float(value)


def _renews_sentence(certificate: Certificate) -> str:
    """A renewal names the certificate it renews. Said in the description, which every verifier
    shows, because Open Badges 3.0 has no property for it; fixed at issue like the rest of the
    credential. The renewed certificate's credential does not change: being renewed is not
    revocation, and its verification page says where the renewal is."""
    if certificate.renews_id is None:
        return ""
    earlier = certificate.renews
    url = verification_url(earlier)
    return (
        _("It renews certificate %(code)s (%(url)s).")
        % {
            "code": earlier.display_code,
            "url": url,
        }
        + " "
    )


def _elsewhere_sentence(certificate: Certificate) -> str:
    """A certificate issued by hand says the learning was assessed outside the platform."""
    if not certificate.assessed_elsewhere:
        return ""
    return (
        _(
            "The learning was assessed outside the platform (for example in a classroom course "
            "or a practical exam) and the certificate was issued by %(provider)s's staff."
        )
        % {"provider": settings.PROVIDER_NAME}
        + " "
    )


def _criteria(certificate: Certificate, hours: float) -> str:
    cpd = _(
        "The course counts for %(hours)s hours of continuing professional development (CPD)."
    ) % {"hours": _hours_text(hours)}
    if certificate.assessed_elsewhere:
        return _("Learning assessed outside the platform, as the course requires.") + " " + cpd
    return _("Complete every lesson of the course and pass its assessment.") + " " + cpd


def _badge_image(certificate: Certificate) -> dict:
    """OB 3.0 ``Image``: the badge drawn from the certificate's design (badge_image.py)."""
    return {
        "id": _neutral_url(reverse("certificates:badge_image", args=[certificate.display_code])),
        "type": "Image",
        "caption": _("Badge: %(course)s, %(hours)s CPD hours")
        % {"course": certificate.course_title, "hours": _hours_text(_hours(certificate.cpd_hours))},
    }


def _neutral_url(path: str) -> str:
    """``path`` as an absolute address without a language prefix (ids are the same in every
    language)."""
    return absolute_url(strip_language_prefix(path))


def _hours_text(hours: float) -> str:
    """``hours`` for a sentence, with the active language's decimal mark ("1.5", "1,5")."""
    return f"{hours:g}".replace(".", get_format("DECIMAL_SEPARATOR"))


def unsigned_credential(certificate: Certificate) -> dict:
    """The credential; its wording (name, descriptions, criteria, image caption) is in the
    holder's saved language like the PDF, and everything a machine reads (keys, types, ids,
    dates, numbers) is the same in every language."""
    with translation.override(settings.LANGUAGE_CODE):
        status = entry_for(certificate)  # an address, the same in every language
    with use_language(certificate_language(certificate)):
        return _unsigned_credential(certificate, status)


def _unsigned_credential(certificate: Certificate, status: dict) -> dict:
    current = issuer()
    verify_url = verification_url(certificate)
    hours = _hours(certificate.cpd_hours)
    course_key = (
        f"course:{certificate.course_id}"
        if certificate.course_id
        else "title:" + (certificate.course_title)
    )
    document = {
        "@context": [VC_V2, OB_V3],
        "id": "urn:uuid:"
        + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.BASE_URL}|{certificate.code}")),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": _("%(course)s: CPD certificate") % {"course": certificate.course_title},
        "description": (
            _("CPD certificate %(code)s, awarded by %(provider)s.")
            % {"code": certificate.display_code, "provider": settings.PROVIDER_NAME}
            + " "
            + _renews_sentence(certificate)
            + _elsewhere_sentence(certificate)
            + _("Check it at %(url)s") % {"url": verify_url}
        ),
        "issuer": {
            "id": current.did,
            "type": ["Profile"],
            "name": settings.PROVIDER_NAME,
            "url": settings.BASE_URL + "/",
            "email": settings.PROVIDER_EMAIL,
        },
        "validFrom": _day_start(certificate.awarded_on),
        "awardedDate": _day_start(certificate.awarded_on),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": certificate.holder_name,
                    "identityType": "name",
                    "hashed": False,
                }
            ],
            "creditsEarned": hours,
            "achievement": {
                "id": "urn:uuid:"
                + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.BASE_URL}|{course_key}")),
                "type": ["Achievement"],
                "achievementType": "CertificateOfCompletion",
                "name": certificate.course_title,
                "description": (
                    _("Completion of the CPD course “%(course)s”, worth %(hours)s CPD hours.")
                    % {"course": certificate.course_title, "hours": _hours_text(hours)}
                ),
                "criteria": {"narrative": _criteria(certificate, hours)},
                "image": _badge_image(certificate),
                "creditsAvailable": hours,
                "creator": {
                    "id": current.did,
                    "type": ["Profile"],
                    "name": settings.PROVIDER_NAME,
                },
            },
        },
        "credentialStatus": status,
    }
    if certificate.expires_on is not None:
        document["validUntil"] = _day_start(certificate.expires_on)
    return document


def signed_credential(certificate: Certificate) -> dict:
    current = issuer()
    return dataintegrity.add_proof(
        unsigned_credential(certificate),
        private_key=current.private_key,
        verification_method=current.verification_method,
        created=certificate.created_at,
    )
