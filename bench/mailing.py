"""Benchmark: sending a marketing mailing, against plain email sending, in the same run.

A fresh SQLite database (or PostgreSQL with --db postgres) gets N learners; 60% opted in to the
topic (some changed their minds: three consent records each), 5% of those are restricted. Then:

- audience, baseline: one ``consent_given`` call per learner (what a naive sender would do);
- audience, measured: the set-based query the mailing task uses (latest consent per person);
- sending, baseline: building and sending one email per consenting learner over one SMTP
  connection to a real SMTP server on loopback (aiosmtpd, as in the tests);
- sending, measured: ``mailing_send_batch`` until done (gate, claim, send, count) to the same
  server.

Prints the times and the ratios measured/baseline. No timing is asserted anywhere.

    .venv/bin/python bench/mailing.py [--people 3000] [--db sqlite|postgres]
    BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres (a bench_lw_e database is created)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = "bench_lw_e"


def setup(db: str, data_dir: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["LEARNWARD_DATA_DIR"] = data_dir
    os.environ["LEARNWARD_EMAIL_BACKEND"] = "django.core.mail.backends.smtp.EmailBackend"
    os.environ["LEARNWARD_TASK_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    os.environ["LEARNWARD_LOG_LEVEL"] = "WARNING"
    if db == "postgres":
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
            conn.execute(f"CREATE DATABASE {PG_DB}")
        os.environ["DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{PG_DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnward.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def populate(people: int) -> None:
    from django.utils import timezone

    from learnward.accounts.models import User
    from learnward.privacy.consent.models import ConsentRecord, ProcessingRestriction

    now = timezone.now()
    users = User.objects.bulk_create(
        User(
            email=f"p{i}@example.test",
            display_name=f"Person {i}",
            email_verified_at=now,
            password="!",
        )
        for i in range(people)
    )
    records = []
    for i, user in enumerate(users):
        wants = i % 10 < 6
        decisions = [True, False, True] if wants else ([True, False] if i % 10 < 8 else [])
        for n, given in enumerate(decisions):
            records.append(
                ConsentRecord(
                    subject=user,
                    purpose="marketing",
                    topic="courses",
                    channel="email",
                    given=given,
                    text="Email me about new courses.",
                    version="v1",
                    method="account",
                    at=now - timezone.timedelta(days=10 - n),
                )
            )
    ConsentRecord.objects.bulk_create(records, batch_size=2000)
    ProcessingRestriction.objects.bulk_create(
        ProcessingRestriction(user=user, requested_by="learner")
        for i, user in enumerate(users)
        if i % 10 < 6 and i % 20 == 0
    )


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def run(people: int) -> None:
    from django.conf import settings
    from django.core.mail import get_connection

    from tests.fakes.smtp import LoopbackSMTP

    server = LoopbackSMTP()
    server.start()
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    try:
        _run(people, server, get_connection)
    finally:
        server.stop()


def _run(people: int, server, get_connection) -> None:
    from learnward.accounts.models import User
    from learnward.communications.models import Mailing
    from learnward.communications.services import _consenting, mailing_send_batch
    from learnward.core.mail import build_email
    from learnward.privacy.consent.services import consent_given

    populate(people)
    everyone = list(User.objects.all())
    # Import everything both paths use (URL conf, rights selectors) before anything is timed.
    from django.urls import reverse

    from learnward.communications.email import marketing_skip_reason

    reverse("communications:preferences")
    marketing_skip_reason(user=everyone[0], topic="courses")

    naive_s, naive = timed(
        lambda: [
            u.pk
            for u in everyone
            if consent_given(user=u, purpose="marketing", topic="courses", channel="email")
        ]
    )
    set_s, fast = timed(lambda: list(_consenting("courses").values_list("pk", flat=True)))
    assert sorted(naive) == sorted(fast)

    wanting = list(User.objects.filter(pk__in=fast))

    def plain_send():
        connection = get_connection()
        connection.open()
        for user in wanting:
            message = build_email(
                to=user.email,
                subject="Spring",
                template="communications/email/mailing",
                context={
                    "user": user,
                    "body_text": "New courses.",
                    "body_html": "<p>New courses.</p>",
                    "topic_label": "New courses and training",
                    "unsubscribe_url": "https://example.test/u/",
                    "preferences_url": "https://example.test/p/",
                },
                headers={"List-Unsubscribe": "<https://example.test/u/>"},
            )
            message.connection = connection
            message.send()
        connection.close()

    plain_s, _ = timed(plain_send)
    plain_count = len(server.messages)
    server.clear()
    mailing = Mailing.objects.create(
        topic="courses", subject="Spring", body_markdown="New courses.", status="queued"
    )

    def send_all():
        while mailing_send_batch(mailing=mailing):
            pass

    mailing_s, _ = timed(send_all)
    mailing.refresh_from_db()
    assert plain_count == len(wanting) and len(server.messages) == mailing.sent_count
    print(
        f"people {people}, consenting {len(fast)}, sent {mailing.sent_count}, "
        f"skipped restricted {mailing.skipped_restricted}, no consent {mailing.skipped_no_consent}"
    )
    print(
        f"audience: per-person {naive_s * 1000:.0f} ms, set query {set_s * 1000:.0f} ms, "
        f"ratio {set_s / naive_s:.3f}"
    )
    print(
        f"sending:  plain {plain_s * 1000:.0f} ms, mailing task {mailing_s * 1000:.0f} ms, "
        f"ratio {mailing_s / plain_s:.2f} "
        f"({(mailing_s - plain_s) / max(mailing.sent_count, 1) * 1000:.2f} ms extra per email)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        setup(args.db, data_dir)
        try:
            run(args.people)
        finally:
            if args.db == "postgres":
                from django.db import connections

                connections.close_all()
                import psycopg

                with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                    conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")


if __name__ == "__main__":
    main()
