"""One base for the errors a service raises on purpose (HackSoftware's Django Styleguide).

``message`` is written for the person using the site and safe to show them; ``extra`` carries
structured detail for the caller. Neither may hold personal data: errors end up in logs.
"""

from __future__ import annotations


class ApplicationError(Exception):
    def __init__(self, message: str = "", extra: dict | None = None) -> None:
        super().__init__(*((message,) if message else ()))
        self.message = message
        self.extra = extra or {}
