"""The subject access / portability archive, derived from the registry and written as a stream.

:func:`export_subject_to` writes a ZIP to any binary file object (a file, a socket wrapper, a
non-seekable stream): ``README.html`` (the ICO's supplementary information), one JSON and one
CSV file per registered model with the subject's rows, attachments that apps register (the
certificates' PDFs and signed credentials), and ``manifest.json``. Rows are read with
``.iterator()``, one query per model, so memory stays flat and the query count grows with the
number of tables, never with the number of rows.

Apps that hold files about a subject register a provider with :func:`register_attachments`:
``fn(user) -> iterable of (name, bytes or iterable of bytes[, meta])``; ``meta`` is an optional
dict with ``purposes`` and ``categories`` for the manifest.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from uuid import UUID

from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone

from learnward.privacy.registry import Declaration, personal_declarations
from learnward.privacy.registry.erasure import Subject, subject_queryset
from learnward.privacy.registry.taxonomy import CATEGORIES, NOT_PERSONAL

WITHHELD = "[withheld: a security credential; it is never disclosed]"
WITHHELD_CATEGORIES = {"user.authorization.credentials"}
CHUNK_ROWS = 2000
_FLUSH_BYTES = 64 * 1024

Attachment = tuple  # (name, bytes | Iterable[bytes]) or (name, data, meta)
AttachmentProvider = Callable[[object], Iterable[Attachment]]
_ATTACHMENTS: list[AttachmentProvider] = []


def register_attachments(fn: AttachmentProvider) -> AttachmentProvider:
    """Register ``fn(user)`` yielding files about ``user`` to add under ``attachments/``."""
    if fn not in _ATTACHMENTS:
        _ATTACHMENTS.append(fn)
    return fn


def exportable_declarations() -> list[Declaration]:
    return [
        d
        for d in personal_declarations()
        if d.subject is not None or d.subject_email  # sessions and the like cannot be matched
    ]


def file_stem(declaration: Declaration) -> str:
    return "data/" + declaration.key.replace(".", "_").lower()


_PLAIN = frozenset({str, int, float, bool, type(None), list, dict})
_ISO = frozenset({datetime, date, time})


def _jsonable(value):
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind in _ISO:
        return value.isoformat()
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)


def _csv_cell(value):
    """A cell from an already JSON-ready value."""
    if value is None:
        return ""
    if type(value) in (list, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def write_table(
    zf: zipfile.ZipFile,
    stem: str,
    header: dict,
    columns: Sequence[str],
    rows: Iterable[Sequence],
) -> int:
    """Write ``rows`` as ``<stem>.json`` and ``<stem>.csv``; returns the number of rows.

    The JSON is written as the rows arrive; the CSV goes to a spooled temporary file (memory up
    to 1 MB, then disk) and is copied in afterwards, because a ZIP can only be written one
    member at a time. The benchmark's raw-SQL baseline feeds this same function.
    """
    count = 0
    spool = tempfile.SpooledTemporaryFile(max_size=1024 * 1024, mode="w+b")  # noqa: SIM115
    text = io.TextIOWrapper(spool, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(columns)
    with zf.open(f"{stem}.json", "w", force_zip64=True) as out:
        head = json.dumps({**header, "columns": list(columns)}, ensure_ascii=False)
        out.write((head[:-1] + ', "rows": [').encode())
        buffer: list[str] = []
        size = 0
        dumps = json.JSONEncoder(ensure_ascii=False).encode
        width = len(columns)
        for row in rows:
            if len(row) != width:
                raise ValueError(f"{stem}: a row has {len(row)} values for {width} columns")
            values = [_jsonable(v) for v in row]
            piece = ("\n" if count == 0 else ",\n") + dumps(dict(zip(columns, values, strict=True)))
            buffer.append(piece)
            size += len(piece)
            writer.writerow([_csv_cell(v) for v in values])
            count += 1
            if size >= _FLUSH_BYTES:
                out.write("".join(buffer).encode())
                buffer, size = [], 0
        buffer.append("\n]}\n")
        out.write("".join(buffer).encode())
    text.flush()
    spool.seek(0)
    with zf.open(f"{stem}.csv", "w", force_zip64=True) as out:
        while chunk := spool.read(_FLUSH_BYTES):
            out.write(chunk)
    text.close()
    return count


def _columns(declaration: Declaration) -> tuple[list[str], list[str], list[models.Field]]:
    """(column names, attnames to read, many-to-many fields) for a declared model."""
    model = declaration.model
    names, attnames = [], []
    for f in model._meta.concrete_fields:
        if f.name in declaration.fields:
            names.append(f.name)
            attnames.append(f.attname)
    m2m = [
        f
        for f in model._meta.many_to_many
        if f.name in declaration.fields and declaration.fields[f.name] != NOT_PERSONAL
    ]
    return names + [f.name for f in m2m], attnames, m2m


def _m2m_links(field: models.Field, queryset) -> dict:
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    links: dict = defaultdict(list)
    rows = through._default_manager.filter(**{f"{source}__in": queryset.values("pk")})
    for src, dst in rows.values_list(f"{source}_id", f"{target}_id").iterator(chunk_size=2000):
        links[src].append(dst)
    return links


def _model_rows(declaration: Declaration, subject: Subject) -> tuple[list[str], Iterator]:
    columns, attnames, m2m = _columns(declaration)
    queryset = subject_queryset(declaration, subject)
    pk_att = declaration.model._meta.pk.attname
    withheld = [
        i for i, name in enumerate(columns) if declaration.fields.get(name) in WITHHELD_CATEGORIES
    ]
    links = [_m2m_links(f, queryset) for f in m2m]
    read = list(attnames) if not m2m or pk_att in attnames else [*attnames, pk_att]

    def generate():
        values = queryset.order_by("pk").values_list(*read).iterator(chunk_size=CHUNK_ROWS)
        for raw in values:
            row = list(raw[: len(attnames)])
            if m2m:
                pk = raw[read.index(pk_att)]
                row += [sorted(link.get(pk, [])) for link in links]
            for i in withheld:
                row[i] = WITHHELD
            yield row

    return columns, generate()


def _categories(declaration: Declaration) -> dict[str, str]:
    return {
        name: CATEGORIES[cat].label
        for name, cat in declaration.fields.items()
        if cat != NOT_PERSONAL
    }


def _write_attachment(zf: zipfile.ZipFile, name: str, data) -> int:
    size = 0
    with zf.open(f"attachments/{name}", "w", force_zip64=True) as out:
        chunks = [data] if isinstance(data, bytes | bytearray) else data
        for chunk in chunks:
            out.write(chunk)
            size += len(chunk)
    return size


def export_subject_to(*, user, fileobj, include_attachments: bool = True) -> dict:
    """Write the ZIP for ``user`` to ``fileobj``; returns the manifest it wrote.

    ``include_attachments=False`` leaves out the registered attachments (the benchmark compares
    the table path alone with its raw-SQL baseline)."""
    from learnward.privacy.registry.describe import readme_context

    subject = Subject(
        user_id=user.pk,
        emails=tuple(e for e in {user.email.lower(), (user.pending_email or "").lower()} if e),
    )
    declarations = exportable_declarations()
    manifest = {
        "subject": {"user_id": user.pk, "email": user.email, "name": user.display_name},
        "generated_at": timezone.now().isoformat(),
        "format": "One JSON and one CSV file per kind of record; see README.html.",
        "files": [],
    }
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        context = readme_context(user=user, declarations=declarations, stem=file_stem)
        zf.writestr("README.html", render_to_string("privacy/export_readme.html", context))
        for declaration in declarations:
            columns, rows = _model_rows(declaration, subject)
            stem = file_stem(declaration)
            header = {"model": declaration.key, "label": declaration.display_label}
            count = write_table(zf, stem, header, columns, rows)
            for extension in ("json", "csv"):
                manifest["files"].append(
                    {
                        "name": f"{stem}.{extension}",
                        "model": declaration.key,
                        "label": declaration.display_label,
                        "rows": count,
                        "purposes": list(declaration.purposes),
                        "categories": _categories(declaration),
                    }
                )
        for provider in list(_ATTACHMENTS) if include_attachments else []:
            for item in provider(user):
                name, data = item[0], item[1]
                meta = item[2] if len(item) > 2 else {}
                size = _write_attachment(zf, name, data)
                manifest["files"].append(
                    {
                        "name": f"attachments/{name}",
                        "bytes": size,
                        "purposes": list(meta.get("purposes", [])),
                        "categories": list(meta.get("categories", [])),
                    }
                )
        zf.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
    return manifest
