"""The supervisory authority a learner may complain to, named in the privacy notice and on the
rights pages: the UK's Information Commissioner's Office or Belgium's Data Protection Authority,
as ``LEARNWARD_SUPERVISORY_AUTHORITY`` says (``ico`` or ``be-apd``).

Names and addresses are given in the active language where the authority has one; call inside
``core.i18n.use_language`` (or a request in that language).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from learnward.core.i18n import resolved

_AUTHORITIES = {
    "ico": {
        "key": "ico",
        "name": "Information Commissioner's Office",
        "short_name": "ICO",
        "description": _("the UK's supervisory authority for data protection"),
        "address": "Wycliffe House, Water Lane, Wilmslow, Cheshire, SK9 5AF, United Kingdom",
        "phone": "0303 123 1113",
        "url": "https://ico.org.uk/make-a-complaint/",
    },
    "be-apd": {
        "key": "be-apd",
        # Belgium's authority has a name in each national language; English is its own.
        "names": {
            "en-gb": ("Data Protection Authority", "DPA"),
            "nl": ("Gegevensbeschermingsautoriteit", "GBA"),
            "fr": ("Autorité de protection des données", "APD"),
        },
        "description": _("Belgium's supervisory authority for data protection"),
        "addresses": {
            "en-gb": "Rue de la Presse 35, 1000 Brussels, Belgium",
            "nl": "Drukpersstraat 35, 1000 Brussel, België",
            "fr": "Rue de la Presse 35, 1000 Bruxelles, Belgique",
        },
        "phone": "+32 2 274 48 00",
        "urls": {
            "en-gb": "https://www.dataprotectionauthority.be/citizen/actions/lodge-a-complaint",
            "nl": "https://www.gegevensbeschermingsautoriteit.be/burger/acties/klacht-indienen",
            "fr": "https://www.autoriteprotectiondonnees.be/citoyen/agir/introduire-une-plainte",
        },
    },
}


def supervisory_authority() -> dict:
    """``{"key", "name", "short_name", "description", "address", "phone", "url"}`` for the
    configured authority, in the active language."""
    entry = _AUTHORITIES[settings.SUPERVISORY_AUTHORITY]
    if "names" not in entry:
        return resolved(dict(entry))
    language = get_language() or settings.LANGUAGE_CODE
    if language not in entry["names"]:
        language = settings.LANGUAGE_CODE
    name, short_name = entry["names"][language]
    return resolved(
        {
            "key": entry["key"],
            "name": name,
            "short_name": short_name,
            "description": entry["description"],
            "address": entry["addresses"][language],
            "phone": entry["phone"],
            "url": entry["urls"][language],
        }
    )
