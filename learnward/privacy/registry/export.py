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

from learnward.core.i18n import resolved
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


# The archive's folders, one per main purpose: a person looks for "courses", not "learning".
# A purpose missing here gets a folder named after it (``slugify(purpose.name)``).
PURPOSE_FOLDERS = {
    "account": "account",
    "security": "security",
    "learning": "courses",
    "assessment": "assessments",
    "certification": "certificates",
    "awarding_body_registration": "awarding-body",
    "service_communications": "emails",
    "audit": "records-of-actions",
    "rights_requests": "data-protection-requests",
    "marketing": "marketing",
    "support": "support",
    "evaluation": "course-evaluations",
    "research": "research",
    "guardian_consent": "guardian-consent",
    "cookies_analytics": "cookies",
    "ai_assistance": "ai-features",
    "cpd_record": "cpd",
    "breach_management": "breaches",
    "notifications": "notifications",
    "web_push": "push-notifications",
    "purchases": "purchases",
    "accounting": "invoices-and-credit-notes",
    "employer_training_records": "organisations",
    "connected_systems": "connected-systems",
    "xapi_statements": "learning-records",
    "community": "community",
    "recommendations": "recommendations",
    "lti_grade_passback": "other-learning-platforms",
}
RESERVED_STEMS = frozenset({"README", "manifest", "attachments"})


def _folder(declaration: Declaration) -> str:
    from django.utils.text import slugify

    from learnward.privacy.registry.purposes import PURPOSES

    if not declaration.purposes:
        return "other"
    main = declaration.purposes[0]
    return PURPOSE_FOLDERS.get(main) or slugify(PURPOSES[main].name) or "other"


def _human_stem(declaration: Declaration) -> str:
    """``folder/name`` from the declaration: its ``file_name`` if given, else its main purpose's
    folder and its label ("Your enrolments" under learning: ``courses/enrolments``)."""
    from django.utils.text import slugify

    if declaration.file_name:
        return declaration.file_name
    name = slugify(declaration.display_label)
    if name.startswith("your-"):
        name = name[len("your-") :]
    return f"{_folder(declaration)}/{name or slugify(declaration.model._meta.model_name)}"


def file_stems(declarations: Iterable[Declaration] | None = None) -> dict[str, str]:
    """Every exportable declaration's file stem (without .json/.csv), unique in the archive: a
    second declaration with the same human name gets its model's name appended."""
    stems: dict[str, str] = {}
    taken: set[str] = set(RESERVED_STEMS)
    for declaration in exportable_declarations() if declarations is None else declarations:
        stem = _human_stem(declaration)
        if stem in taken:
            stem = f"{stem}-{declaration.key.replace('.', '-').replace('_', '-').lower()}"
        taken.add(stem)
        stems[declaration.key] = stem
    return stems


def file_stem(declaration: Declaration) -> str:
    """The declaration's file stem in the archive, e.g. ``courses/enrolments``; the manifest
    keeps the model's name (``learning.Enrolment``) beside it."""
    stems = file_stems()
    return stems.get(declaration.key) or _human_stem(declaration)


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
        # The declarations' wording is lazy (translated): as text, in the active language.
        head = json.dumps(resolved({**header, "columns": list(columns)}), ensure_ascii=False)
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
        "format": "One JSON and one CSV file per kind of record, in a folder per purpose; "
        "see README.html. Each file's entry names the model it comes from.",
        "files": [],
    }
    stems = file_stems(declarations)
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        context = readme_context(user=user, declarations=declarations, stem=lambda d: stems[d.key])
        zf.writestr("README.html", render_to_string("privacy/export_readme.html", context))
        for declaration in declarations:
            columns, rows = _model_rows(declaration, subject)
            stem = stems[declaration.key]
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
        zf.writestr("manifest.json", json.dumps(resolved(manifest), indent=2, ensure_ascii=False))
    return manifest
