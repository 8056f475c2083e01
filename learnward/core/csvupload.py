"""Reading a staff member's or teacher's CSV upload, and keeping it between the preview and the
confirmation. The same rules as the organisations' invitation upload (``organisations.csv_import``):
a header row first that names the columns, UTF-8 with or without a byte-order mark, at most
``max_bytes`` and ``max_rows`` rows, blank rows skipped. Every refusal says what to fix; nothing
here writes to the database.

Between the preview and the confirmation the parsed rows wait in the uploader's own session under
a random id (:func:`upload_store`), so no address travels in a URL or a hidden field, and the
upload is gone once it is confirmed or the session ends.
"""

from __future__ import annotations

import csv
import io
import secrets
import time
from collections.abc import Sequence

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .errors import ApplicationError

MAX_BYTES = 1024 * 1024
MAX_ROWS = 2000
UPLOAD_SECONDS = 60 * 60
MAX_UPLOADS_KEPT = 3


class CsvRefused(ApplicationError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _normalise(name: str) -> str:
    return " ".join(name.strip().lower().replace("_", " ").split())


def read_rows(
    data: bytes,
    *,
    columns: Sequence[str],
    required: Sequence[str],
    aliases: dict[str, Sequence[str]] | None = None,
    noun: str = "",
    nouns: str = "",
    max_rows: int = MAX_ROWS,
    max_bytes: int = MAX_BYTES,
) -> list[tuple[int, dict[str, str]]]:
    """``(line number, {column: text})`` for each row that is not blank; every column of
    ``columns`` is present in each dict (empty when the file lacks it). ``aliases`` gives other
    header names a column may go by (``{"awarded_on": ["award date", "date"]}``); headers are
    matched case-insensitively, with underscores and spaces alike. ``noun`` and ``nouns`` (default
    ``noun`` + "s") name what a row is in the messages ("person", "people")."""
    noun = noun or _("row")
    nouns = nouns or _("rows")
    if len(data) > max_bytes:
        raise CsvRefused(
            _(
                "The file is %(size)s MB; the largest we take is %(limit)s MB. Split it into "
                "smaller files."
            )
            % {
                "size": number_format(len(data) / 1024 / 1024, 1),
                "limit": number_format(max_bytes / 1024 / 1024, 0),
            }
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvRefused(
            _(
                'The file is not UTF-8 text. In your spreadsheet, save it as "CSV UTF-8 (comma '
                'delimited)" and upload it again.'
            )
        ) from None
    if "\x00" in text:
        raise CsvRefused(_("The file is not a CSV text file."))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise CsvRefused(
            _("The file is empty: it needs a header row and one row per %(noun)s.") % {"noun": noun}
        ) from None
    except csv.Error:
        raise CsvRefused(_("The file could not be read as CSV.")) from None
    names = [_normalise(h) for h in header]
    where: dict[str, int] = {}
    for column in columns:
        for candidate in (column, *((aliases or {}).get(column, ()))):
            key = _normalise(candidate)
            if key in names:
                where[column] = names.index(key)
                break
    missing = [c.replace("_", " ") for c in required if c not in where]
    if missing:
        wanted = ", ".join(c.replace("_", " ") for c in columns)
        raise CsvRefused(
            _("The first row must name the columns (%(wanted)s). Missing: %(missing)s.")
            % {"wanted": wanted, "missing": ", ".join(missing)}
        )
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) == max_rows:
                raise CsvRefused(
                    _(
                        "The file has more than %(max)s %(nouns)s; the most we take at once is "
                        "%(max)s. Split it into smaller files."
                    )
                    % {"max": number_format(max_rows, force_grouping=True), "nouns": nouns}
                )
            row = {column: "" for column in columns}
            for column, i in where.items():
                row[column] = record[i].strip() if i < len(record) else ""
            rows.append((reader.line_num, row))
    except csv.Error:
        raise CsvRefused(
            _("Line %(line)s could not be read as CSV.") % {"line": reader.line_num}
        ) from None
    if not rows:
        raise CsvRefused(_("The file has a header row but no %(noun)s in it.") % {"noun": noun})
    return rows


# --- between the preview and the confirmation ------------------------------------------------------


def upload_store(session, *, prefix: str, scope: object, rows) -> str:
    """Keep the parsed rows in ``session`` under ``prefix``; returns the random id the preview's
    URL carries. ``scope`` (e.g. an exam sitting's id) must match again on loading."""
    now = time.time()
    stale = [
        key
        for key, value in list(session.items())
        if key.startswith(prefix)
        and (not isinstance(value, dict) or now - value.get("at", 0) > UPLOAD_SECONDS)
    ]
    for key in stale:
        del session[key]
    kept = sorted(
        (k for k in session.keys() if k.startswith(prefix)),
        key=lambda k: session[k].get("at", 0),
    )
    for key in kept[: max(0, len(kept) - MAX_UPLOADS_KEPT + 1)]:
        del session[key]
    upload_id = secrets.token_urlsafe(12)
    session[prefix + upload_id] = {
        "scope": scope,
        "rows": [[line, row] for line, row in rows],
        "at": now,
    }
    return upload_id


def upload_load(session, *, prefix: str, upload_id: str, scope: object):
    """The stored rows ``[(line, row)]`` for this scope, or None (unknown, another's, too old)."""
    stored = session.get(prefix + upload_id)
    if not isinstance(stored, dict) or stored.get("scope") != scope:
        return None
    if time.time() - stored.get("at", 0) > UPLOAD_SECONDS:
        return None
    return [(int(line), dict(row)) for line, row in stored.get("rows", [])]


def upload_forget(session, *, prefix: str, upload_id: str) -> None:
    session.pop(prefix + upload_id, None)
