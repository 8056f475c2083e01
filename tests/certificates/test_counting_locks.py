"""A verification never waits for the database's write lock to record its count."""

from __future__ import annotations

import sqlite3
import threading

import psycopg
import pytest
from django.db import connection

from learnward.certificates import counting
from learnward.certificates.models import Certificate

pytestmark = pytest.mark.django_db(transaction=True)


def _hold_write_lock(certificate: Certificate):
    """Another connection in the middle of a write that touches the certificate (as a
    retention batch holds SQLite's single write lock, or a revocation holds the row)."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        other = sqlite3.connect(
            settings["NAME"], timeout=0, isolation_level=None, check_same_thread=False
        )
        other.execute("BEGIN IMMEDIATE")
        other.execute(
            "UPDATE certificates_certificate SET verification_count = verification_count "
            "WHERE id = ?",
            [certificate.pk],
        )
        return other
    other = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        password=settings["PASSWORD"] or None,
    )
    other.execute(
        "SELECT id FROM certificates_certificate WHERE id = %s FOR UPDATE", [certificate.pk]
    )
    return other


def test_the_counting_request_does_not_wait_while_another_writer_holds_the_lock(
    client, certificate
):
    other = _hold_write_lock(certificate)
    # The other writer finishes a few seconds later. A flush that queued for the lock (SQLite's
    # busy timeout is 20 s) would then get it and write; one that does not wait has given up
    # long before, leaving the count pending.
    release = threading.Timer(3.0, other.rollback)
    release.start()
    try:
        counting._last_flush = 0.0  # this request is the one that writes the counts
        response = client.get(f"/api/v1/certificates/{certificate.display_code}")
        assert response.status_code == 200
        assert counting.pending_counts() == {certificate.pk: 1}  # deferred, not lost
    finally:
        release.join()
        other.close()
    counting._last_flush = 0.0
    client.get(f"/api/v1/certificates/{certificate.display_code}")
    assert counting.pending_counts() == {}
    certificate.refresh_from_db()
    assert certificate.verification_count == 2


def test_the_exit_flush_waits_for_the_lock(certificate):
    counting.count_verification(certificate.pk, certificate.course_id)
    other = _hold_write_lock(certificate)
    other.rollback()  # released before the flush starts, so a waiting flush writes
    other.close()
    assert counting.flush_verification_counts(wait=True) == 1
    certificate.refresh_from_db()
    assert certificate.verification_count == 1
