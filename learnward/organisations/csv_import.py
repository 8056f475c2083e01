"""Reading a manager's CSV of people to invite: ``email``, ``name`` and an optional
``department`` column, a header row first, UTF-8 with or without a byte-order mark, at most
:data:`MAX_BYTES` and :data:`MAX_ROWS` rows, read by ``core.csvupload`` as every staff CSV upload
is. Every refusal says what to fix; nothing here writes.

Between the preview and "Send N invitations" the parsed rows wait in the manager's own session
under a random id (:func:`upload_store`), so no address travels in a URL or a hidden field, and
the upload is gone once the invitations are sent or the session ends.
"""

from __future__ import annotations

import csv
import io
import secrets
import time

from django.utils.translation import gettext

from learnward.core.csvupload import CsvRefused, read_rows  # noqa: F401 (views catch it here)
from learnward.core.text import csv_safe

MAX_BYTES = 1024 * 1024
MAX_ROWS = 2000
REQUIRED_COLUMNS = ("email", "name")
COLUMNS = ("email", "name", "department")
SESSION_PREFIX = "organisations:upload:"
UPLOAD_SECONDS = 60 * 60
MAX_UPLOADS_KEPT = 3


def parse_upload(data: bytes) -> list[tuple[int, dict]]:
    """``(line number, {"email", "name", "department"})`` for each row that is not blank."""
    return read_rows(
        data,
        columns=COLUMNS,
        required=REQUIRED_COLUMNS,
        noun=gettext("person"),
        nouns=gettext("people"),
        max_rows=MAX_ROWS,
        max_bytes=MAX_BYTES,
    )


def outcomes_csv(outcomes) -> str:
    """The preview as CSV (line, email, name, department, outcome); every cell made safe for a
    spreadsheet (a cell starting with = + - @ or a tab runs as a formula otherwise)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["line", "email", "name", "department", "outcome"])
    for outcome in outcomes:
        writer.writerow(
            [
                outcome.line,
                csv_safe(outcome.invitee.email),
                csv_safe(outcome.invitee.name),
                csv_safe(outcome.invitee.department),
                csv_safe(outcome.message),
            ]
        )
    return out.getvalue()


# --- between the preview and the sending ----------------------------------------------------------


def upload_store(session, *, organisation_id: int, pool_id: int | None, rows) -> str:
    """Keep the parsed rows in ``session``; returns the random id the preview's URL carries."""
    now = time.time()
    stale = [
        key
        for key, value in list(session.items())
        if key.startswith(SESSION_PREFIX)
        and (not isinstance(value, dict) or now - value.get("at", 0) > UPLOAD_SECONDS)
    ]
    for key in stale:
        del session[key]
    kept = sorted(
        (k for k in session.keys() if k.startswith(SESSION_PREFIX)),
        key=lambda k: session[k].get("at", 0),
    )
    for key in kept[: max(0, len(kept) - MAX_UPLOADS_KEPT + 1)]:
        del session[key]
    upload_id = secrets.token_urlsafe(12)
    session[SESSION_PREFIX + upload_id] = {
        "organisation": organisation_id,
        "pool": pool_id,
        "rows": [[line, row] for line, row in rows],
        "at": now,
    }
    return upload_id


def upload_load(session, *, upload_id: str, organisation_id: int) -> dict | None:
    """The stored upload for this organisation, or None (unknown, another's, or too old)."""
    stored = session.get(SESSION_PREFIX + upload_id)
    if not isinstance(stored, dict) or stored.get("organisation") != organisation_id:
        return None
    if time.time() - stored.get("at", 0) > UPLOAD_SECONDS:
        return None
    return {
        "pool": stored.get("pool"),
        "rows": [(int(line), dict(row)) for line, row in stored.get("rows", [])],
    }


def upload_forget(session, *, upload_id: str) -> None:
    session.pop(SESSION_PREFIX + upload_id, None)
