"""For a subject with data in every registered model, the archive holds every declared personal
field and every marker the subject's rows hold, plus the certificates and the ICO information.

What the archive must hold is taken from ALL the registry's personal declarations
(``subject_declarations()``: everything but the few models no subject can be matched in, listed
with reasons in tests/privacy/subject_models.py), never from the export's own list of what it
exports, so a change that drops models from the export fails here."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from learnward.privacy.registry.erasure import subject_queryset
from learnward.privacy.registry.export import (
    WITHHELD_CATEGORIES,
    export_subject_to,
    exportable_declarations,
    file_stem,
)
from learnward.privacy.registry.purposes import PURPOSES
from tests.privacy.subject_everywhere import build_subject_everywhere
from tests.privacy.subject_models import subject_declarations

pytestmark = pytest.mark.django_db


def _markers_held(ctx) -> set[str]:
    """Markers currently in the subject's rows (some were overwritten by later marks), except
    security credentials, which the archive lists but never discloses."""
    held = set()
    for declaration in subject_declarations():
        for row in subject_queryset(declaration, ctx.subject).values():
            for attname, value in row.items():
                name = attname.removesuffix("_id")
                if declaration.fields.get(name) in WITHHELD_CATEGORIES:
                    assert not ctx.markers.found_in(str(value)) or name in declaration.fields
                    continue
                held |= ctx.markers.found_in(json.dumps(value, default=str))
    return held


def test_archive_holds_every_declared_personal_field_and_value(client, settings, rights_env):
    ctx = build_subject_everywhere(client=client, settings=settings)
    held = _markers_held(ctx)
    assert len(held) > 50

    buffer = io.BytesIO()
    export_subject_to(user=ctx.user, fileobj=buffer)
    archive = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    assert archive.testzip() is None
    names = set(archive.namelist())
    manifest = json.loads(archive.read("manifest.json"))
    listed = {f["name"]: f for f in manifest["files"]}
    assert manifest["subject"]["email"] == ctx.user.email
    assert manifest["generated_at"]

    expected = {d.key for d in subject_declarations()}
    assert {d.key for d in exportable_declarations()} == expected
    exported_text = []
    for declaration in subject_declarations():
        stem = file_stem(declaration)
        assert f"{stem}.json" in names, f"{declaration.key}: no file in the archive"
        data = json.loads(archive.read(f"{stem}.json"))
        assert data["rows"], f"{declaration.key}: the subject's rows are missing from the export"
        for name in declaration.personal_fields:
            assert name in data["columns"], f"{declaration.key}.{name} missing from the JSON"
            assert all(name in row for row in data["rows"])
        rows = list(csv.reader(io.StringIO(archive.read(f"{stem}.csv").decode())))
        assert set(declaration.personal_fields) <= set(rows[0]), f"{declaration.key} CSV header"
        assert len(rows) - 1 == len(data["rows"])
        for extension in ("json", "csv"):
            entry = listed[f"{stem}.{extension}"]
            assert entry["model"] == declaration.key  # human file name, the model kept beside it
            assert entry["purposes"] == list(declaration.purposes)
            assert set(entry["categories"]) == set(declaration.personal_fields)
            assert entry["rows"] == len(data["rows"])
        exported_text.append(json.dumps(data))
    missing = held - ctx.markers.found_in("\n".join(exported_text))
    assert not missing, "not exported: " + ", ".join(sorted(ctx.markers.origin[m] for m in missing))

    ctx.certificate.refresh_from_db()
    code = ctx.certificate.code
    assert f"attachments/certificates/{code}.pdf" in names
    assert archive.read(f"attachments/certificates/{code}.pdf").startswith(b"%PDF")
    credential = json.loads(archive.read(f"attachments/certificates/{code}.credential.json"))
    assert credential["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
    assert listed[f"attachments/certificates/{code}.pdf"]["purposes"] == ["certification"]

    readme = archive.read("README.html").decode()
    for declaration in subject_declarations():  # the README lists each human file name
        assert f"<code>{file_stem(declaration)}.csv</code>" in readme
    assert not [n for n in names if n.startswith("data/")]  # no table-named files any more
    for key in {p for d in subject_declarations() for p in d.purposes}:
        assert PURPOSES[key].name.replace("'", "&#x27;") in readme
    for words in (
        "Rectification",
        "Erasure",
        "Restriction",
        "Objection",
        "Information Commissioner",
        "ico.org.uk",
        "Automated decision-making",
        "How long we keep it",
        "Where it came from",
        "Who receives it",
    ):
        assert words in readme
    # Security credentials are listed but never disclosed.
    user_rows = json.loads(archive.read(f"{file_stem(_decl('accounts.User'))}.json"))["rows"]
    assert user_rows[0]["password"].startswith("[withheld")


def _decl(label):
    return next(d for d in subject_declarations() if d.key == label)


def test_export_reads_one_query_per_table_whatever_the_rows(
    client,
    settings,
    rights_env,
    django_assert_max_num_queries,
):
    from learnward.learning.models import ActivityEvent

    ctx = build_subject_everywhere(client=client, settings=settings)
    event = ActivityEvent.objects.filter(user=ctx.user).first()

    def queries_for_export() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            export_subject_to(user=ctx.user, fileobj=io.BytesIO())
        return len(captured.captured_queries)

    before = queries_for_export()
    ActivityEvent.objects.bulk_create(
        [
            ActivityEvent(
                user=ctx.user,
                course_id=event.course_id,
                lesson_id=event.lesson_id,
                kind=event.kind,
                occurred_at=event.occurred_at,
            )
            for _ in range(5000)
        ]
    )
    after = queries_for_export()
    assert after == before
    assert before <= 3 * len(subject_declarations()) + 40
