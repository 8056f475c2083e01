"""The registry's personal declarations a data subject's rows can be found in, listed
independently of the export and erasure code the completeness tests check."""

from __future__ import annotations

from learnward.privacy.registry import Declaration, personal_declarations

# Personal models in which no subject's rows can be found (no ``subject`` path, no
# ``subject_email``), with the reason. Every other personal declaration is held to the subject's
# rows by the completeness tests: the list is kept here, not taken from the export or erasure
# code under test, so a change there that drops models cannot shrink the tests with it.
UNMATCHABLE = {
    "sessions.Session": "found by decoding each session; erased by the registry's own eraser",
    "axes.AccessAttemptExpiration": "an expiry time for a lockout row; holds no identifier",
    "django_tasks_database.DBTaskResult": "queued tasks hold ids only, never an address",
    "core.Branding": "the certificate signatory is named by the provider, with no account; "
    "changed on the Branding page",
}


def subject_declarations() -> list[Declaration]:
    """Every personal declaration except :data:`UNMATCHABLE`: what the export must contain and
    the erasure must reach for a subject with data everywhere."""
    out = []
    for declaration in personal_declarations():
        if declaration.key in UNMATCHABLE:
            assert declaration.subject is None and not declaration.subject_email, (
                f"{declaration.key} now names its subject: remove it from UNMATCHABLE"
            )
            continue
        out.append(declaration)
    return out
