"""Consent records, the cookie register, and restriction and objection state."""

from .consent import ConsentMethod, ConsentRecord
from .cookies import CookieDefinition
from .restriction import Objection, ProcessingRestriction

__all__ = [
    "ConsentMethod",
    "ConsentRecord",
    "CookieDefinition",
    "Objection",
    "ProcessingRestriction",
]
