"""The archive's format, file by file: what a value becomes in the JSON and the CSV, how a table
is laid out, what the manifest says, and what attachments add.

tests/privacy/registry/test_export_completeness.py checks that a subject with data everywhere
gets all of it; these pin the exact shapes a reader of the archive (the learner, or another
service they take it to) relies on, with small known answers.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import PurePosixPath
from uuid import UUID

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from learnward.privacy.registry import export
from learnward.privacy.registry.export import (
    WITHHELD,
    _csv_cell,
    _jsonable,
    export_subject_to,
    file_stem,
    write_table,
)

# --- values ------------------------------------------------------------------------------------


class _Moment(datetime):
    """A datetime subclass (as some libraries hand out): still written as ISO 8601."""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("text", "text"),
        (7, 7),
        (1.5, 1.5),
        (True, True),
        (None, None),
        ([1, "a"], [1, "a"]),
        ({"k": 1}, {"k": 1}),
        (datetime(2025, 3, 3, 10, 30, tzinfo=UTC), "2025-03-03T10:30:00+00:00"),
        (date(2025, 3, 3), "2025-03-03"),
        (time(9, 5), "09:05:00"),
        (_Moment(2025, 3, 3, 10, 30), "2025-03-03T10:30:00"),
        (Decimal("1.50"), "1.50"),
        (UUID("12345678-1234-5678-1234-567812345678"), "12345678-1234-5678-1234-567812345678"),
        (b"\x00\xffab", "AP9hYg=="),
        (memoryview(b"\x00\xffab"), "AP9hYg=="),
        (PurePosixPath("exports/a.zip"), "exports/a.zip"),
    ],
)
def test_every_value_becomes_json_with_a_known_answer(value, expected):
    result = _jsonable(value)
    assert result == expected and type(result) is type(expected)


def test_subclasses_of_plain_types_stay_as_they_are():
    from django.db.models import TextChoices

    class Colour(TextChoices):
        RED = "red", "Red"

    assert _jsonable(Colour.RED) == "red" and json.dumps(_jsonable(Colour.RED)) == '"red"'


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (None, ""),
        ("", ""),
        (0, 0),
        ("é", "é"),
        (["b", "é"], '["b", "é"]'),
        ({"z": 1, "a": "é"}, '{"a": "é", "z": 1}'),
    ],
)
def test_csv_cells(value, cell):
    assert _csv_cell(value) == cell


# --- one table ---------------------------------------------------------------------------------


def _table(rows, columns=("id", "name")):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        count = write_table(zf, "data/things", {"model": "app.Thing"}, list(columns), rows)
    archive = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    raw = archive.read("data/things.json")
    return count, raw, json.loads(raw), archive.read("data/things.csv").decode()


def test_a_table_is_written_as_json_and_csv_with_the_same_rows():
    count, raw, data, text = _table(
        [[1, "Zoë"], [2, None], [3, ["x", "y"]]],
    )
    assert count == 3
    assert data == {
        "model": "app.Thing",
        "columns": ["id", "name"],
        "rows": [
            {"id": 1, "name": "Zoë"},
            {"id": 2, "name": None},
            {"id": 3, "name": ["x", "y"]},
        ],
    }
    assert "Zoë".encode() in raw  # UTF-8 as written, not \u escapes
    assert text == 'id,name\r\n1,Zoë\r\n2,\r\n3,"[""x"", ""y""]"\r\n'


def test_an_empty_table_is_still_valid_with_its_header():
    count, _, data, text = _table([])
    assert count == 0
    assert data == {"model": "app.Thing", "columns": ["id", "name"], "rows": []}
    assert text == "id,name\r\n"


def test_a_large_table_is_written_whole_across_flushes():
    rows = [[n, "x" * 1000 + str(n)] for n in range(300)]  # about 300 kB: several flushes
    count, _, data, text = _table(rows)
    assert count == 300
    assert data["rows"] == [{"id": n, "name": name} for n, name in rows]
    assert list(csv.reader(io.StringIO(text)))[1:] == [[str(n), name] for n, name in rows]


def test_a_table_larger_than_the_memory_spool_goes_through_disk_whole():
    rows = [[n, "é" * 500] for n in range(1200)]  # about 1.2 MB of CSV: past the 1 MB spool
    count, _, _, text = _table(rows)
    assert count == 1200
    assert list(csv.reader(io.StringIO(text)))[1:] == [[str(n), name] for n, name in rows]


def test_the_header_is_utf8_text_too():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        write_table(zf, "data/things", {"label": "Données de Zoë"}, ["id"], [[1]])
    raw = zipfile.ZipFile(io.BytesIO(buffer.getvalue())).read("data/things.json")
    assert raw.startswith('{"label": "Données de Zoë", "columns": ["id"], "rows": ['.encode())


def test_the_csv_is_utf8_whatever_the_servers_locale():
    import locale

    before = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")  # ASCII, as on a server with no UTF-8 locale
    try:
        _, _, _, text = _table([[1, "Zoë"]])
    finally:
        locale.setlocale(locale.LC_CTYPE, before)
    assert text == "id,name\r\n1,Zoë\r\n"


class _Member:
    """A ZIP member that records the size of each write."""

    def __init__(self):
        self.writes = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def write(self, data):
        self.writes.append(len(data))


class _RecordingZip:
    def __init__(self):
        self.members = {}

    def open(self, name, mode, force_zip64):
        assert (mode, force_zip64) == ("w", True)
        return self.members.setdefault(name, _Member())


def test_rows_are_written_out_each_time_64_kib_have_gathered():
    # JSON pieces of an exact length: "\n" or ",\n", then {"v": "..."} (9 characters + the text).
    flush = 64 * 1024
    texts = [
        "a" * (flush - 1 - 10),  # the first piece, one character short of 64 KiB: kept
        "",  # ,\n{"v": ""}, 11 characters: past 64 KiB, written out
        "b" * (flush - 1 - 11),  # one short of 64 KiB again after the write: kept
        "",  # past 64 KiB again: written out
        "c" * (40_000 - 11),
        "d" * (flush - 40_000 - 11),  # 40000 + 25536: exactly 64 KiB, written out
    ]
    zf = _RecordingZip()
    assert write_table(zf, "data/things", {"model": "app.Thing"}, ["v"], [[t] for t in texts]) == 6
    head = len('{"model": "app.Thing", "columns": ["v"], "rows": [')
    json_writes = [head, flush + 10, flush + 10, flush, len("\n]}\n")]
    assert zf.members["data/things.json"].writes == json_writes
    # The CSV is copied in 64 KiB at a time, never read whole into memory.
    # (A row of one empty cell is written as "" so that it is not an empty line.)
    csv_size = len("v\r\n") + sum(len(t) + 2 for t in texts) + 2 * texts.count("")
    assert zf.members["data/things.csv"].writes == [flush] * (csv_size // flush) + [
        csv_size % flush
    ]


def test_a_row_of_the_wrong_width_is_refused():
    with pytest.raises(ValueError, match=r"data/things: a row has 1 values for 2 columns"):
        _table([[1, "a"], [2]])


def test_file_names_are_human_a_folder_per_purpose_and_the_label():
    from learnward.accounts.models import User
    from learnward.learning.models import Enrolment
    from learnward.privacy.registry import declaration_for

    assert file_stem(declaration_for(User)) == "account/profile"  # "Your profile", account
    assert file_stem(declaration_for(Enrolment)) == "courses/enrolments"  # "Your enrolments"


def test_every_file_name_in_the_archive_is_unique_and_readable():
    from learnward.privacy.registry.export import exportable_declarations, file_stems

    stems = file_stems()
    assert set(stems) == {d.key for d in exportable_declarations()}
    assert len(set(stems.values())) == len(stems)
    for stem in stems.values():
        folder, name = stem.split("/")
        assert re.fullmatch(r"[a-z0-9-]+", folder) and re.fullmatch(r"[a-z0-9-]+", name), stem
        assert "_" not in stem  # never a table name such as accounts_user


def test_an_explicit_file_name_wins_and_a_clash_gets_the_model_name(monkeypatch):
    from dataclasses import replace

    from learnward.accounts.models import User
    from learnward.learning.models import Enrolment
    from learnward.privacy.registry import declaration_for

    user = replace(declaration_for(User), file_name="account/about-you")
    clash = replace(declaration_for(Enrolment), file_name="account/about-you")
    stems = export.file_stems([user, clash])
    assert stems == {
        "accounts.User": "account/about-you",
        "learning.Enrolment": "account/about-you-learning-enrolment",
    }


# --- the whole archive ---------------------------------------------------------------------------


@pytest.fixture
def subject(make_user):
    user = make_user(email="Ada@Example.test", display_name="Ada Lovelace")
    user.pending_email = "ADA.NEW@example.test"
    user.save(update_fields=["pending_email"])
    return user


def _archive(user, **kwargs):
    buffer = io.BytesIO()
    manifest = export_subject_to(user=user, fileobj=buffer, **kwargs)
    return manifest, zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


def _json(archive, key):
    from learnward.privacy.registry.export import file_stems

    return json.loads(archive.read(f"{file_stems()[key]}.json"))


@pytest.mark.django_db
def test_the_archive_lists_each_file_with_rows_purposes_and_category_labels(subject):
    from learnward.accounts.models import User
    from learnward.privacy.registry import declaration_for

    manifest, archive = _archive(subject)
    assert manifest == json.loads(archive.read("manifest.json"))
    assert manifest["subject"] == {
        "user_id": subject.pk,
        "email": subject.email,
        "name": "Ada Lovelace",
    }
    assert manifest["format"] == (
        "One JSON and one CSV file per kind of record, in a folder per purpose; see README.html. "
        "Each file's entry names the model it comes from."
    )
    generated = datetime.fromisoformat(manifest["generated_at"])
    assert abs(generated - timezone.now()) < timedelta(minutes=1)
    declaration = declaration_for(User)
    entries = [f for f in manifest["files"] if f.get("model") == "accounts.User"]
    assert [e["name"] for e in entries] == ["account/profile.json", "account/profile.csv"]
    for entry in entries:
        assert entry["label"] == declaration.display_label
        assert entry["rows"] == 1
        assert entry["purposes"] == list(declaration.purposes)
        assert entry["categories"]["email"] == "Email address"
        assert entry["categories"]["id"] == "Account identifier"
        assert set(entry["categories"]) == set(declaration.personal_fields)
    assert "README.html" in archive.namelist()
    assert "Ada Lovelace" in archive.read("README.html").decode()
    assert manifest["files"][-1]["name"] != "manifest.json"  # the manifest lists the others


@pytest.mark.django_db
def test_the_accounts_row_withholds_the_password_and_lists_groups_as_ids(subject):
    alpha, beta = Group.objects.create(name="Alpha"), Group.objects.create(name="Beta")
    subject.groups.add(beta, alpha)
    _, archive = _archive(subject)
    data = _json(archive, "accounts.User")
    [row] = data["rows"]
    assert row["password"] == WITHHELD
    assert row["email"] == subject.email and row["display_name"] == "Ada Lovelace"
    assert row["groups"] == sorted([alpha.pk, beta.pk])
    assert row["user_permissions"] == []
    assert data["columns"][-2:] == ["groups", "user_permissions"]
    assert data["model"] == "accounts.User" and data["label"] == "Your profile"


@pytest.mark.django_db
def test_rows_found_by_the_pending_address_are_exported_and_others_are_not(subject, make_user):
    from learnward.privacy.rights import desk

    dpo = make_user()
    desk.request_record(
        kind="access", channel="email", actor=dpo, requester_email="ada.new@EXAMPLE.test"
    )
    desk.request_record(
        kind="access", channel="email", actor=dpo, requester_email="someone@example.test"
    )
    _, archive = _archive(subject)
    rows = _json(archive, "privacy_rights.RightsRequest")["rows"]
    assert [r["requester_email"] for r in rows] == ["ada.new@example.test"]


def test_without_a_pending_address_only_the_account_address_finds_rows(make_user):
    from axes.models import AccessAttempt

    user = make_user(email="grace@example.test")
    assert not user.pending_email
    for username in ("GRACE@example.test", "xxxx", ""):
        AccessAttempt.objects.create(
            username=username,
            ip_address="192.0.2.1",
            user_agent="test",
            http_accept="text/html",
            path_info="/accounts/login/",
            get_data="",
            post_data="",
            failures_since_start=1,
        )
    _, archive = _archive(user)
    rows = _json(archive, "axes.AccessAttempt")["rows"]
    assert [r["username"] for r in rows] == ["GRACE@example.test"]


@pytest.mark.django_db
def test_attachments_are_added_with_their_size_and_meta(subject, monkeypatch):
    seen = []

    def provider(user):
        seen.append(user)
        yield "notes/one.txt", b"hello"
        yield "notes/two.bin", iter([b"ab", b"cde"]), {"purposes": ["support"], "categories": ["x"]}

    monkeypatch.setattr(export, "_ATTACHMENTS", [])
    assert export.register_attachments(provider) is provider
    export.register_attachments(provider)  # registering twice adds it once
    manifest, archive = _archive(subject)
    assert seen == [subject]
    assert archive.read("attachments/notes/one.txt") == b"hello"
    assert archive.read("attachments/notes/two.bin") == b"abcde"
    files = {f["name"]: f for f in manifest["files"]}
    assert files["attachments/notes/one.txt"] == {
        "name": "attachments/notes/one.txt",
        "bytes": 5,
        "purposes": [],
        "categories": [],
    }
    assert files["attachments/notes/two.bin"] == {
        "name": "attachments/notes/two.bin",
        "bytes": 5,
        "purposes": ["support"],
        "categories": ["x"],
    }

    seen.clear()
    manifest, archive = _archive(subject, include_attachments=False)
    assert seen == [] and not [n for n in archive.namelist() if n.startswith("attachments/")]


@pytest.mark.django_db
def test_the_manifest_is_readable_utf8_text(make_user):
    user = make_user(email="zoe@example.test", display_name="Zoë Ångström")
    _, archive = _archive(user)
    raw = archive.read("manifest.json").decode("utf-8")
    assert '"name": "Zoë Ångström"' in raw  # as written, not \u escapes
    assert raw.startswith('{\n  "subject": {\n    "user_id": ')  # one field a line, for people
    assert archive.getinfo("manifest.json").compress_type == zipfile.ZIP_DEFLATED


@pytest.mark.django_db
def test_members_of_any_size_can_be_streamed_in(subject, monkeypatch):
    """Members are streamed with their size unknown in advance: each is opened as ZIP64, or one
    past the ZIP limit (4 GiB; lowered here to 256 bytes so the test can reach it) fails."""
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 256)

    def provider(user):
        yield "big.bin", [b"x" * 1000, b"y" * 1000]

    monkeypatch.setattr(export, "_ATTACHMENTS", [provider])
    _, archive = _archive(subject)
    assert archive.read("attachments/big.bin") == b"x" * 1000 + b"y" * 1000
    assert len(archive.read("account/profile.json")) > 256
    assert len(archive.read("account/profile.csv")) > 256


def _export_as_declared(subject, fields):
    """The archive with the account model declared with ``fields`` for the duration."""
    from learnward.accounts.models import User
    from learnward.privacy import registry
    from learnward.privacy.registry import declaration_for, declare

    original = declaration_for(User)
    try:
        declare(
            User,
            subject=original.subject,
            fields=fields(original.fields),
            purposes=original.purposes,
            erasure=original.erasure,
            retention=original.retention,
            source=original.source,
            label=original.label,
        )
        return _archive(subject)[1]
    finally:
        registry._REGISTRY[original.key] = original


@pytest.mark.django_db
def test_a_link_declared_not_personal_is_left_out(subject):
    from learnward.privacy.registry.taxonomy import NOT_PERSONAL

    archive = _export_as_declared(
        subject, lambda fields: {**fields, "user_permissions": NOT_PERSONAL}
    )
    columns = _json(archive, "accounts.User")["columns"]
    assert "groups" in columns and "user_permissions" not in columns


@pytest.mark.django_db
def test_links_are_exported_for_a_model_whose_id_is_not(subject):
    """Answers, say, export their chosen options but not their own id: the links are still
    matched to the right row."""
    alpha = Group.objects.create(name="Alpha")
    subject.groups.add(alpha)
    archive = _export_as_declared(
        subject, lambda fields: {k: v for k, v in fields.items() if k != "id"}
    )
    data = _json(archive, "accounts.User")
    [row] = data["rows"]
    assert "id" not in data["columns"] and "id" not in row
    assert row["groups"] == [alpha.pk] and row["email"] == subject.email
