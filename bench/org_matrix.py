"""Benchmark: the compliance matrix (issue 17) for 5,000 members by 10 required courses, against a
raw SQL baseline that computes the same cells, on SQLite and PostgreSQL.

Builds, in a throwaway database, one organisation with 5,000 current members in 4 departments
(one of them the manager), 10 required courses of 10 lessons (2 required of one department only,
3 with a renewal interval), about 30,000 certificates with expiry dates spread over two years
either side of today (some revoked, some members holding two), about 15,000 enrolments with
lessons completed at random (about 75,000 activity events) and a few completions. Then, in the
same run, interleaved so both see the same noise:

- matrix: ``compliance_matrix(actor=manager, organisation=org)``, the function the page, the CSV
  and the digest use (ORM, a fixed handful of queries, rows and cells as dataclasses);
- baseline: one hand-written SQL query fetching members crossed with required courses, with the
  counted certificate, the enrolment and its progress per cell as correlated subqueries, and the
  same status rules applied in a tight loop to plain tuples.

Both results are compared cell by cell before timing (the run stops if they differ). Prints the
query counts, median and p90 times and the ratio matrix/baseline. Target: ratio at most 2.

    .venv/bin/python bench/org_matrix.py                    # SQLite (a temporary file), and
                                                            # PostgreSQL when a URL is set
    .venv/bin/python bench/org_matrix.py --db sqlite --members 1000 --repeat 5
    LEARNWARD_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres  (or DATABASE_URL;
    a bench_lw_org test database is created and dropped)
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("LEARNWARD_BENCH_POSTGRES_URL") or os.environ.get("DATABASE_URL", "")
PG_DB = "bench_lw_org"
DEPARTMENTS = ("Care", "Kitchen", "Night shift", "Office")


# --- Data ---------------------------------------------------------------------------------------


def build(*, members: int, courses: int = 10, seed: int = 17) -> dict:
    from decimal import Decimal

    from django.utils import timezone

    from learnward.accounts.models import User
    from learnward.catalog.models import Course, Lesson, Module
    from learnward.certificates.models import Certificate
    from learnward.learning.models import ActivityEvent, Completion, Enrolment
    from learnward.organisations.models import Membership, Organisation, RequiredCourse

    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    org = Organisation.objects.create(name="Bench Care Group", slug="bench-care")
    course_list, lessons = [], {}
    for n in range(courses):
        course = Course.objects.create(
            title=f"Required course {n + 1:02d}",
            slug=f"required-{n}",
            summary="x",
            cpd_hours=Decimal("2"),
            published=True,
        )
        module = Module.objects.create(course=course, title="Module", position=0)
        lessons[course.pk] = Lesson.objects.bulk_create(
            Lesson(module=module, title=f"Lesson {i}", position=i, body_markdown="x")
            for i in range(10)
        )
        course_list.append(course)
        RequiredCourse.objects.create(
            organisation=org,
            course=course,
            department="Kitchen" if n in (3, 7) else "",
            renewal_months=12 if n % 3 == 0 else None,
        )
    users = User.objects.bulk_create(
        User(
            email=f"member{i}@example.test",
            display_name=f"Member {i:05d}",
            password="!",
            email_verified_at=now,
        )
        for i in range(members)
    )
    Membership.objects.bulk_create(
        Membership(
            organisation=org,
            user=u,
            role="manager" if i == 0 else "member",
            department=DEPARTMENTS[i % len(DEPARTMENTS)],
            joined_at=now - timedelta(days=rng.randint(0, 400)),
        )
        for i, u in enumerate(users)
    )
    certificates, enrolments, events = [], [], []
    index = 0
    for user in users:
        for course in course_list:
            roll = rng.random()
            if roll < 0.6:
                copies = 2 if rng.random() < 0.1 else 1
                for _ in range(copies):
                    awarded = today - timedelta(days=rng.randint(1, 900))
                    index += 1
                    certificates.append(
                        Certificate(
                            code=f"B{index:012d}",
                            user=user,
                            course=course,
                            holder_name=user.display_name,
                            course_title=course.title,
                            cpd_hours=Decimal("2"),
                            awarded_on=awarded,
                            expires_on=None
                            if rng.random() < 0.1
                            else awarded + timedelta(days=rng.randint(200, 1100)),
                            revoked_on=today if rng.random() < 0.03 else None,
                            status_list_index=index,
                        )
                    )
            elif roll < 0.9:
                enrolments.append(
                    Enrolment(
                        user=user,
                        course=course,
                        enrolled_at=now,
                        left_at=now if rng.random() < 0.05 else None,
                    )
                )
                for lesson in rng.sample(lessons[course.pk], rng.randint(0, 10)):
                    events.append(
                        ActivityEvent(
                            user=user,
                            course=course,
                            lesson=lesson,
                            kind="completed",
                            occurred_at=now,
                        )
                    )
    Certificate.objects.bulk_create(certificates, batch_size=2000)
    enrolments = Enrolment.objects.bulk_create(enrolments, batch_size=2000)
    ActivityEvent.objects.bulk_create(events, batch_size=5000)
    Completion.objects.bulk_create(
        [Completion(enrolment=e, completed_at=now) for e in enrolments if rng.random() < 0.05],
        batch_size=2000,
    )
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    manager = User.objects.get(pk=users[0].pk)
    return {
        "org": org,
        "manager": manager,
        "certificates": len(certificates),
        "enrolments": len(enrolments),
        "events": len(events),
    }


# --- The baseline --------------------------------------------------------------------------------


def baseline_sql() -> str:
    from learnward.accounts.models import User
    from learnward.catalog.models import Course, Lesson, Module
    from learnward.certificates.models import Certificate
    from learnward.learning.models import ActivityEvent, Completion, Enrolment
    from learnward.organisations.models import Membership, RequiredCourse

    t = {
        name: model._meta.db_table
        for name, model in (
            ("user", User),
            ("course", Course),
            ("lesson", Lesson),
            ("module", Module),
            ("cert", Certificate),
            ("event", ActivityEvent),
            ("completion", Completion),
            ("enrolment", Enrolment),
            ("membership", Membership),
            ("required", RequiredCourse),
        )
    }
    latest = (
        f"FROM {t['cert']} c WHERE c.user_id = m.user_id AND c.course_id = r.course_id "
        "AND c.revoked_on IS NULL ORDER BY c.awarded_on DESC, c.id DESC LIMIT 1"
    )
    return f"""
SELECT m.id, m.user_id, u.display_name, u.email, m.department, m.joined_at,
       r.course_id, co.title, r.department, r.renewal_months,
       (SELECT c.awarded_on {latest}),
       (SELECT c.expires_on {latest}),
       e.id, e.left_at,
       (SELECT COUNT(*) FROM {t["lesson"]} l JOIN {t["module"]} mo ON l.module_id = mo.id
         WHERE mo.course_id = r.course_id),
       (SELECT COUNT(DISTINCT ev.lesson_id) FROM {t["event"]} ev
         JOIN {t["lesson"]} l ON l.id = ev.lesson_id
         JOIN {t["module"]} mo ON mo.id = l.module_id AND mo.course_id = ev.course_id
         WHERE ev.user_id = e.user_id AND ev.course_id = e.course_id AND ev.kind = 'completed'
           AND (e.cycle_started_at IS NULL OR ev.occurred_at >= e.cycle_started_at)),
       (SELECT k.completed_at FROM {t["completion"]} k
         WHERE k.enrolment_id = e.id AND k.cycle = e.cycle)
FROM {t["membership"]} m
JOIN {t["user"]} u ON u.id = m.user_id
JOIN {t["required"]} r ON r.organisation_id = m.organisation_id
JOIN {t["course"]} co ON co.id = r.course_id
LEFT JOIN {t["enrolment"]} e ON e.user_id = m.user_id AND e.course_id = r.course_id
WHERE m.organisation_id = %s AND m.left_at IS NULL
ORDER BY u.display_name, m.id, co.title, r.course_id
"""  # noqa: S608 - model table names only


def baseline(org_id: int, sql: str) -> list[tuple]:
    """(membership id, course id, status, awarded, valid until, progress, completed) per cell,
    by the rules in learnward/organisations/matrix.py, on plain tuples."""
    from django.db import connection
    from django.utils import timezone

    from learnward.core.dates import add_months
    from learnward.organisations.matrix import OVERDUE_AFTER_DAYS

    today = timezone.localdate()
    zone = timezone.get_current_timezone()

    def localdate(value):
        # SQLite gives naive UTC datetimes (and text from subqueries), PostgreSQL aware ones.
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(zone).date()

    with connection.cursor() as cursor:
        cursor.execute(sql, [org_id])
        rows = cursor.fetchall()
    # A course required twice (everyone and a department) is one column: merge its rows.
    cells: dict[tuple[int, int], tuple] = {}
    for (
        membership_id,
        _user_id,
        _name,
        _email,
        department,
        joined_at,
        course_id,
        _title,
        required_of,
        months,
        awarded,
        expires,
        enrolment_id,
        left_at,
        total,
        done,
        completed,
    ) in rows:
        key = (membership_id, course_id)
        applies = not required_of or required_of == department
        if not applies:
            cells.setdefault(key, (membership_id, course_id, "not_required") + (None,) * 4)
            continue
        if isinstance(awarded, str):  # SQLite returns subquery dates as text
            awarded = date.fromisoformat(awarded)
            expires = date.fromisoformat(expires) if expires else None
        if enrolment_id is None:
            progress, completed_on = None, None
        elif completed is not None:
            progress, completed_on = 100, localdate(completed)
        else:
            progress = round(100 * min(done, total) / total) if total else 0
            completed_on = None
        if awarded is not None:
            ends = [expires] if expires else []
            if months:
                ends.append(add_months(awarded, months))
            valid_until = min(ends) if ends else None
            if valid_until is None:
                status = "certified"
            else:
                left = (valid_until - today).days
                status = (
                    "expired"
                    if left <= 0
                    else "expires_30"
                    if left <= 30
                    else "expires_60"
                    if left <= 60
                    else "expires_90"
                    if left <= 90
                    else "certified"
                )
        else:
            valid_until = None
            if (today - localdate(joined_at)).days >= OVERDUE_AFTER_DAYS:
                status = "overdue"
            elif enrolment_id is not None and left_at is None:
                status = "in_progress"
            else:
                status = "not_started"
        cells[key] = (
            membership_id,
            course_id,
            status,
            awarded,
            valid_until,
            progress,
            completed_on,
        )
    return list(cells.values())


def matrix_cells(matrix) -> list[tuple]:
    return [
        (
            row.membership_id,
            cell.course_id,
            str(cell.status),
            cell.awarded_on,
            cell.valid_until,
            cell.progress,
            cell.completed_on,
        )
        if cell.required
        else (row.membership_id, cell.course_id, "not_required") + (None,) * 4
        for row in matrix.rows
        for cell in row.cells
    ]


# --- Measuring ----------------------------------------------------------------------------------


def run(*, members: int, repeat: int) -> None:
    sys.path.insert(0, str(ROOT))  # this checkout's learnward, whichever the venv installed
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases

    from learnward.organisations.matrix import compliance_matrix

    old = setup_databases(verbosity=0, interactive=False)
    try:
        started = time.perf_counter()
        data = build(members=members)
        built = time.perf_counter() - started
        org, manager = data["org"], data["manager"]
        sql = baseline_sql()

        def view():
            return compliance_matrix(actor=manager, organisation=org)

        def base():
            return baseline(org.pk, sql)

        got, expected = matrix_cells(view()), base()
        if sorted(got) != sorted(expected):
            diff = set(got) ^ set(expected)
            raise SystemExit(f"the matrix and the baseline differ in {len(diff)} cells")
        with CaptureQueriesContext(connection) as view_queries:
            view()
        with CaptureQueriesContext(connection) as base_queries:
            base()
        view_times, base_times = [], []
        for _ in range(repeat):
            for fn, times in ((view, view_times), (base, base_times)):
                start = time.perf_counter()
                fn()
                times.append((time.perf_counter() - start) * 1000)
        view_ms, base_ms = statistics.median(view_times), statistics.median(base_times)
        p90 = (lambda xs: statistics.quantiles(xs, n=10)[-1]) if repeat >= 2 else max
        print(
            f"\n== {connection.vendor}: {members:,} members x 10 required courses "
            f"({len(got):,} cells), {data['certificates']:,} certificates, "
            f"{data['enrolments']:,} enrolments, {data['events']:,} activity events "
            f"(built in {built:.1f}s), median of {repeat} runs"
        )
        print(f"{'':10} {'queries':>8} {'median ms':>10} {'p90 ms':>9}")
        print(
            f"{'matrix':10} {len(view_queries.captured_queries):>8} {view_ms:>10.1f} "
            f"{p90(view_times):>9.1f}"
        )
        print(
            f"{'baseline':10} {len(base_queries.captured_queries):>8} {base_ms:>10.1f} "
            f"{p90(base_times):>9.1f}"
        )
        ratio = view_ms / base_ms
        print(
            f"ratio matrix/baseline: {ratio:.2f} (target <= 2: {'met' if ratio <= 2 else 'NOT met'})"
        )
    finally:
        teardown_databases(old, verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run(members=args.members, repeat=args.repeat)
        return
    targets = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    if "postgres" in targets and not PG_URL:
        if args.db == "postgres":
            raise SystemExit("Set LEARNWARD_BENCH_POSTGRES_URL (or DATABASE_URL) for PostgreSQL.")
        print("PostgreSQL skipped: set LEARNWARD_BENCH_POSTGRES_URL or DATABASE_URL to include it.")
        targets.remove("postgres")
    sys.path.insert(0, str(ROOT))
    from bench.per_database import run_per_database

    run_per_database(
        __file__,
        targets,
        [f"--members={args.members}", f"--repeat={args.repeat}"],
        pg_url=PG_URL,
        pg_db=PG_DB,
        prefix="lw-bench-org-",
    )


if __name__ == "__main__":
    main()
