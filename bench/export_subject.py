"""Benchmark: streaming a learner's data export, against raw SQL cursors feeding the same writer.

    .venv/bin/python bench/export_subject.py [--events 1000 100000] [--rounds 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_lw_d .venv/bin/python bench/export_subject.py

A learner with N activity events, 200 assessment attempts and 20 certificates (each with its PDF
and signed credential in the archive). For each N it measures, in the same run:

- the export (``export_subject_to``): total time, time to first byte, query count, and peak
  memory with tracemalloc (a separate run, since tracing slows Python down);
- the same export without the certificate attachments (the table path alone);
- the baseline: for every registered model, the same SQL (compiled from the same queryset) run on
  a raw DB-API cursor with ``fetchmany``, its rows fed to the same ``write_table`` ZIP writer.

Targets: table path at most 1.5x the baseline; peak memory at the largest N within 25 MB of the
peak at the smallest. Rounds alternate between export and baseline so both see the same load.
A fresh SQLite database is made under a temporary data directory unless DATABASE_URL is set
(the database must exist and be empty or migrated).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
import zipfile
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("LEARNWARD_DATA_DIR", tempfile.mkdtemp(prefix="lw-bench-export-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnward.settings")
os.environ.setdefault("LEARNWARD_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
os.environ.setdefault("LEARNWARD_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from learnward.privacy.registry.erasure import Subject, subject_queryset  # noqa: E402
from learnward.privacy.registry.export import (  # noqa: E402
    _columns,
    export_subject_to,
    exportable_declarations,
    file_stem,
    write_table,
)

CHUNK = 2000


class Timed:
    """A write-only file that notes when its first byte arrives."""

    def __init__(self, path: Path) -> None:
        self.handle = open(path, "wb")  # noqa: SIM115
        self.first_byte_at: float | None = None

    def write(self, data) -> int:
        if self.first_byte_at is None and len(data):
            self.first_byte_at = time.perf_counter()
        return self.handle.write(data)

    def flush(self) -> None:
        self.handle.flush()

    def tell(self) -> int:
        return self.handle.tell()

    def seek(self, *args):
        return self.handle.seek(*args)

    def seekable(self) -> bool:
        return True

    def close(self) -> None:
        self.handle.close()


def build(events: int):
    """The learner: 20 completed courses with certificates, 200 attempts, ``events`` events."""
    from learnward.accounts.models import User
    from learnward.assessments.models import Assessment, Attempt
    from learnward.catalog.models import Course, Lesson, Module
    from learnward.certificates.services import certificate_issue_for_completion
    from learnward.learning.models import ActivityEvent, Completion, Enrolment

    user = User.objects.create_user(
        f"bench-{events}@example.test", "x" * 20, display_name="Bench Learner"
    )
    now = timezone.now()
    lessons = []
    for i in range(20):
        course = Course.objects.create(
            title=f"Course {events}-{i}",
            slug=f"course-{events}-{i}",
            summary="A course.",
            cpd_hours=Decimal("2.5"),
            published=True,
            certificate_validity_months=12,
        )
        module = Module.objects.create(course=course, title="Module", position=0)
        lessons.append(
            Lesson.objects.create(module=module, title="L", position=0, body_markdown="x")
        )
        assessment = Assessment.objects.create(course=course)
        enrolment = Enrolment.objects.create(user=user, course=course, enrolled_at=now)
        Attempt.objects.bulk_create(
            Attempt(
                assessment=assessment,
                user=user,
                number=n + 1,
                started_at=now,
                submitted_at=now,
                points_awarded=Decimal("1"),
                points_possible=1,
                score=Decimal("100"),
                passed=True,
            )
            for n in range(10)
        )
        completion = Completion.objects.create(enrolment=enrolment, completed_at=now)
        certificate_issue_for_completion(completion=completion)
    batch = []
    for n in range(events):
        lesson = lessons[n % len(lessons)]
        batch.append(
            ActivityEvent(
                user=user,
                course_id=lesson.module.course_id,
                lesson=lesson,
                kind="viewed" if n % 2 else "completed",
                occurred_at=now - timedelta(seconds=n),
            )
        )
        if len(batch) == 5000:
            ActivityEvent.objects.bulk_create(batch)
            batch = []
    ActivityEvent.objects.bulk_create(batch)
    return user


def baseline_to(user, path: Path) -> Timed:
    """Raw cursors over the same rows (same compiled SQL), into the same ZIP writer."""
    subject = Subject(user_id=user.pk, emails=(user.email,))
    out = Timed(path)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for declaration in exportable_declarations():
            columns, attnames, m2m = _columns(declaration)
            queryset = subject_queryset(declaration, subject).order_by("pk").values_list(*attnames)
            sql, params = queryset.query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(sql, params)

                padding = ([],) * len(m2m)

                def rows(cursor=cursor, padding=padding):
                    while chunk := cursor.fetchmany(CHUNK):
                        for row in chunk:
                            yield (*row, *padding)

                header = {"model": declaration.key, "label": declaration.display_label}
                write_table(zf, file_stem(declaration), header, columns, rows())
    out.close()
    return out


def export_to(user, path: Path, *, attachments: bool) -> Timed:
    out = Timed(path)
    export_subject_to(user=user, fileobj=out, include_attachments=attachments)
    out.close()
    return out


def measure(fn, *args, **kwargs):
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        out = fn(*args, **kwargs)
    end = time.perf_counter()
    return end - start, out.first_byte_at - start, len(queries.captured_queries)


def peak_memory(fn, *args, **kwargs) -> float:
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    fn(*args, **kwargs)
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return peak / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    workdir = Path(tempfile.mkdtemp(prefix="lw-bench-zip-"))
    print(f"database: {connection.vendor}; rounds: {args.rounds} (best of)")
    peaks = {}
    for events in args.events:
        user = build(events)
        results = {"full": [], "tables": [], "baseline": []}
        for _ in range(args.rounds):
            results["tables"].append(measure(export_to, user, workdir / "t.zip", attachments=False))
            results["baseline"].append(measure(baseline_to, user, workdir / "b.zip"))
            results["full"].append(measure(export_to, user, workdir / "f.zip", attachments=True))
        best = {k: min(v) for k, v in results.items()}
        memory = {
            "full": peak_memory(export_to, user, workdir / "f.zip", attachments=True),
            "baseline": peak_memory(baseline_to, user, workdir / "b.zip"),
        }
        peaks[events] = memory["full"]
        size = (workdir / "f.zip").stat().st_size / 1e6
        print(
            f"\n{events:,} activity events, 200 attempts, 20 certificates (archive {size:.1f} MB)"
        )
        print(f"  {'':26}{'total s':>9}{'first byte s':>14}{'queries':>9}{'peak MB':>9}")
        for label, key in (
            ("export (with PDFs)", "full"),
            ("export (tables only)", "tables"),
            ("baseline raw SQL", "baseline"),
        ):
            total, first, queries = best[key]
            mem = f"{memory[key]:9.1f}" if key in memory else f"{'':>9}"
            print(f"  {label:26}{total:9.3f}{first:14.4f}{queries:9d}{mem}")
        ratio = best["tables"][0] / best["baseline"][0]
        print(f"  ratio tables/baseline: {ratio:.2f}x (target <= 1.5x)")
    if len(peaks) > 1:
        low, high = min(peaks), max(peaks)
        growth = peaks[high] - peaks[low]
        print(
            f"\npeak memory {low:,} -> {high:,} events: {peaks[low]:.1f} MB -> {peaks[high]:.1f} MB "
            f"(+{growth:.1f} MB; target within 25 MB)"
        )


if __name__ == "__main__":
    main()
