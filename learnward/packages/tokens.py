"""Signed, short-lived launch tokens: the only credential of the package's content.

The content runs in an opaque origin (sandboxed) or on a separate origin, without the learner's
session. Its URLs carry a token signed with the site's secret key that names one attempt (or,
for a staff preview, one package) and expires after ``PACKAGES_LAUNCH_HOURS``: the files, the
SCORM commit endpoint and the cmi5 fetch URL each accept only it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing

_SALT = "learnward.packages.launch"


@dataclass(frozen=True)
class Launch:
    package_id: int
    attempt_id: int | None  # None: a staff preview, which records nothing


def launch_token(*, package_id: int, attempt_id: int | None) -> str:
    return signing.dumps({"p": package_id, "a": attempt_id}, salt=_SALT)


def launch_from_token(token: str) -> Launch | None:
    """The launch the token names, or None when it is forged, altered or expired."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=settings.PACKAGES_LAUNCH_HOURS * 3600)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("p"), int):
        return None
    attempt = data.get("a")
    if attempt is not None and not isinstance(attempt, int):
        return None
    return Launch(package_id=data["p"], attempt_id=attempt)
