"""Benchmark: the course page and the dashboard against a raw-SQL baseline, on SQLite and PostgreSQL.

Builds, in a throwaway database, a course of 10 modules and 200 lessons with 1,000 enrolled
learners who have completed lessons at random (about 100,000 activity events), a second course of
50 lessons, and one measured learner with progress and two assessment attempts. Then, for each
page, in the same run and interleaved so both see the same noise:

- view: the real view function (selectors, ORM, template), called with a prepared request;
- baseline: one raw SQL query fetching everything the page shows, turned into a plain dict and
  rendered through the same template with the same request.

Prints query counts (both include the site-wide context processors' queries, which are the same
for both), median and p90 times, and the ratio view/baseline. Targets: the query count does not
grow with lessons (50 vs 200) or courses, and the ratio stays at most 2.

    .venv/bin/python bench/course_page.py                # SQLite (a temporary file) and PostgreSQL
    .venv/bin/python bench/course_page.py --db sqlite    # one of them
    BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres  (default; database bench_lw_b is
    created and dropped)
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = "bench_lw_b"

LESSON_BODY = "\n\n".join(
    "A paragraph of lesson text about safe practice, records and responsibilities. " * 6
    for _ in range(4)
)


# --- Data ---------------------------------------------------------------------------------------


def build(*, learners: int, seed: int = 7) -> dict:
    from django.utils import timezone

    from learnward.accounts.models import User
    from learnward.assessments.models import (
        Assessment,
        Attempt,
        Choice,
        DrawRule,
        Question,
        QuestionCategory,
    )
    from learnward.catalog.models import Course, Lesson, Module
    from learnward.learning.models import ActivityEvent, Enrolment

    rng = random.Random(seed)
    now = timezone.now()

    def course(slug: str, modules: int, per_module: int) -> tuple[Course, list[Lesson]]:
        c = Course.objects.create(
            title=f"Bench course {slug}",
            slug=slug,
            summary="A course for the benchmark.",
            description="## About\n\nA course with *many* lessons.",
            cpd_hours=Decimal("10"),
            published=True,
        )
        mods = Module.objects.bulk_create(
            Module(course=c, title=f"Module {i + 1}", position=i) for i in range(modules)
        )
        Lesson.objects.bulk_create(
            Lesson(
                module=m,
                title=f"Lesson {m.position + 1}.{j + 1}",
                position=j,
                body_markdown=LESSON_BODY,
                estimated_minutes=10,
            )
            for m in mods
            for j in range(per_module)
        )
        lessons = list(
            Lesson.objects.filter(module__course=c).order_by("module__position", "position")
        )
        assessment = Assessment.objects.create(course=c)
        category = QuestionCategory.objects.create(course=c, name="Questions")
        DrawRule.objects.create(assessment=assessment, category=category, count=10)
        for q in range(10):
            question = Question.objects.create(
                course=c, category=category, text=f"Q{q}?", position=q
            )
            Choice.objects.bulk_create(
                [
                    Choice(question=question, text="Right", is_correct=True, position=0),
                    Choice(question=question, text="Wrong", is_correct=False, position=1),
                ]
            )
        return c, lessons

    big, big_lessons = course("big", 10, 20)
    small, small_lessons = course("small", 5, 10)

    users = User.objects.bulk_create(
        User(
            email=f"bench{i}@example.test",
            display_name=f"Bench Learner {i}",
            password="!",  # unusable
            email_verified_at=now,
        )
        for i in range(learners + 2)
    )
    measured, small_only = users[-2], users[-1]
    Enrolment.objects.bulk_create(
        [Enrolment(user=u, course=big, enrolled_at=now) for u in users[:-1]]
        + [Enrolment(user=u, course=small, enrolled_at=now) for u in (measured, small_only)]
    )
    events = []
    for user in users[:-2]:
        for lesson in rng.sample(big_lessons, rng.randint(0, len(big_lessons))):
            events.append(
                ActivityEvent(
                    user=user, course=big, lesson=lesson, kind="completed", occurred_at=now
                )
            )
    for user, course_, lessons, done in (
        (measured, big, big_lessons, 120),
        (measured, small, small_lessons, 20),
        (small_only, small, small_lessons, 20),
    ):
        for lesson in lessons[:done]:
            for kind in ("viewed", "completed"):
                events.append(
                    ActivityEvent(
                        user=user, course=course_, lesson=lesson, kind=kind, occurred_at=now
                    )
                )
    ActivityEvent.objects.bulk_create(events, batch_size=5000)
    for number in (1, 2):
        Attempt.objects.create(
            assessment=big.assessment,
            user=measured,
            number=number,
            started_at=now,
            submitted_at=now,
            score=Decimal(40 * number),
            passed=False,
            points_awarded=Decimal(4 * number),
            points_possible=10,
        )
    return {
        "big": big,
        "small": small,
        "measured": measured,
        "small_only": small_only,
        "events": len(events),
    }


# --- Requests, views and baselines ----------------------------------------------------------------


def prepared_request(path: str, user):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.cache import SessionStore
    from django.test import RequestFactory

    request = RequestFactory().get(path)
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


COURSE_SQL = """
SELECT c.id, c.title, c.slug, c.summary, c.description, c.entry_requirements, c.cpd_hours,
       c.course_type, c.pass_mark, c.max_attempts, c.certificate_validity_months,
       m.id, m.title, l.id, l.title, l.estimated_minutes,
       EXISTS (SELECT 1 FROM learning_activityevent e
               WHERE e.user_id = %s AND e.lesson_id = l.id AND e.kind = 'completed') AS done,
       a.id, a.title, a.time_limit_minutes,
       (SELECT COUNT(*) FROM assessments_attempt t WHERE t.assessment_id = a.id AND t.user_id = %s),
       (SELECT COUNT(*) FROM assessments_attempt t
         WHERE t.assessment_id = a.id AND t.user_id = %s AND t.passed)
FROM catalog_course c
JOIN catalog_module m ON m.course_id = c.id
JOIN catalog_lesson l ON l.module_id = m.id
LEFT JOIN assessments_assessment a ON a.course_id = c.id
WHERE c.slug = %s
ORDER BY m.position, m.id, l.position, l.id
"""


def course_baseline(request, slug: str):
    from django.db import connection
    from django.template.loader import render_to_string

    from learnward.core.markdown import render_markdown

    user = request.user
    with connection.cursor() as cursor:
        cursor.execute(COURSE_SQL, [user.pk, user.pk, user.pk, slug])
        rows = cursor.fetchall()
    first = rows[0]
    modules: dict[int, dict] = {}
    done: set[int] = set()
    lessons = []
    for row in rows:
        module = modules.setdefault(row[11], {"title": row[12], "lesson_list": []})
        lesson = {"pk": row[13], "title": row[14], "estimated_minutes": row[15]}
        module["lesson_list"].append(lesson)
        lessons.append(lesson)
        if row[16]:
            done.add(row[13])
    total = len(lessons)
    course = {
        "title": first[1],
        "slug": first[2],
        "summary": first[3],
        "cpd_hours": first[6],
        "get_course_type_display": "Vocational training",
        "pass_mark": first[8],
        "max_attempts": first[9],
        "certificate_validity_months": first[10],
        "awarding_body": None,
        "needs_registration": False,
    }
    attempts = [{}] * first[20]
    context = {
        "course": course,
        "description_html": render_markdown(first[4], heading_offset=2),
        "entry_requirements_html": render_markdown(first[5], heading_offset=2),
        "outline": {"modules": list(modules.values()), "lesson_count": total},
        "enrolment": {"left_at": None},
        "enrolled": True,
        "completion": None,
        "progress": {
            "completed": len(done),
            "total": total,
            "percent": round(100 * len(done) / total),
            "completed_ids": done,
        },
        "next_lesson": next((x for x in lessons if x["pk"] not in done), None),
        "is_preview": False,
        "needs_verification": False,
        "sections": [
            {
                "template": "assessments/_course_page.html",
                "context": {
                    "assessment": {"title": first[18], "time_limit_minutes": first[19]},
                    "attempts": attempts,
                    "passed": bool(first[21]),
                },
            }
        ]
        if first[17]
        else [],
    }
    return render_to_string("learning/course_detail.html", context, request=request)


DASHBOARD_SQL = """
SELECT e.id, e.enrolled_at, e.left_at, c.id, c.title, c.slug, c.cpd_hours, k.completed_at,
       (SELECT COUNT(*) FROM catalog_lesson l JOIN catalog_module m ON l.module_id = m.id
         WHERE m.course_id = c.id),
       (SELECT COUNT(DISTINCT ev.lesson_id) FROM learning_activityevent ev
         WHERE ev.user_id = e.user_id AND ev.course_id = c.id AND ev.kind = 'completed')
FROM learning_enrolment e
JOIN catalog_course c ON c.id = e.course_id
LEFT JOIN learning_completion k ON k.enrolment_id = e.id
WHERE e.user_id = %s
ORDER BY e.enrolled_at DESC
"""


def dashboard_baseline(request):
    from django.db import connection
    from django.template.loader import render_to_string

    with connection.cursor() as cursor:
        cursor.execute(DASHBOARD_SQL, [request.user.pk])
        rows = cursor.fetchall()
    in_progress, completed = [], []
    for row in rows:
        total, done = row[8], min(row[9], row[8])
        entry = {
            "enrolment": {"enrolled_at": row[1]},
            "course": {
                "pk": row[3],
                "title": row[4],
                "cpd_hours": row[6],
                "get_absolute_url": f"/courses/{row[5]}/",
            },
            "progress": {
                "completed": done,
                "total": total,
                "percent": round(100 * done / total) if total else 0,
            },
            "completion": {"completed_at": row[7]} if row[7] else None,
        }
        if row[7]:
            completed.append(entry)
        elif row[2] is None:
            in_progress.append(entry)
    context = {"dashboard": {"in_progress": in_progress, "completed": completed}}
    return render_to_string("learning/dashboard.html", context, request=request)


def measure(label: str, view, baseline, *, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm up template and query caches alike
        view()
        baseline()
    with CaptureQueriesContext(connection) as view_queries:
        view()
    with CaptureQueriesContext(connection) as base_queries:
        baseline()
    view_times, base_times = [], []
    for _ in range(repeat):
        for fn, times in ((view, view_times), (baseline, base_times)):
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
    result = {
        "label": label,
        "view_queries": len(view_queries.captured_queries),
        "base_queries": len(base_queries.captured_queries),
        "view_ms": statistics.median(view_times),
        "base_ms": statistics.median(base_times),
        "view_p90": statistics.quantiles(view_times, n=10)[-1],
        "base_p90": statistics.quantiles(base_times, n=10)[-1],
    }
    result["ratio"] = result["view_ms"] / result["base_ms"]
    return result


def run(*, learners: int, repeat: int) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    from learnward.learning.views import course_detail, dashboard

    old = setup_databases(verbosity=0, interactive=False)
    try:
        started = time.perf_counter()
        data = build(learners=learners)
        built = time.perf_counter() - started
        vendor = connection.vendor
        print(
            f"\n== {vendor}: {learners:,} learners, {data['events']:,} activity events "
            f"(built in {built:.1f}s), median of {repeat} runs"
        )
        measured, small_only = data["measured"], data["small_only"]
        results = []
        for slug, lessons in (("big", 200), ("small", 50)):
            path = f"/courses/{slug}/"
            results.append(
                measure(
                    f"course page, {lessons} lessons",
                    lambda path=path, slug=slug: course_detail(
                        prepared_request(path, measured), slug=slug
                    ),
                    lambda path=path, slug=slug: course_baseline(
                        prepared_request(path, measured), slug
                    ),
                    repeat=repeat,
                )
            )
        for user, label in (
            (measured, "dashboard, 2 courses (250 lessons)"),
            (small_only, "dashboard, 1 course (50 lessons)"),
        ):
            results.append(
                measure(
                    label,
                    lambda user=user: dashboard(prepared_request("/dashboard/", user)),
                    lambda user=user: dashboard_baseline(prepared_request("/dashboard/", user)),
                    repeat=repeat,
                )
            )
        header = f"{'page':38} {'queries':>13} {'median ms':>19} {'p90 ms':>17} {'ratio':>6}"
        print(header)
        print(f"{'':38} {'view  base':>13} {'view     base':>19} {'view    base':>17}")
        for r in results:
            print(
                f"{r['label']:38} {r['view_queries']:>6} {r['base_queries']:>6} "
                f"{r['view_ms']:>9.2f} {r['base_ms']:>8.2f} {r['view_p90']:>8.2f} "
                f"{r['base_p90']:>8.2f} {r['ratio']:>6.2f}"
            )
        flat_course = results[0]["view_queries"] == results[1]["view_queries"]
        flat_dash = results[2]["view_queries"] == results[3]["view_queries"]
        print(
            f"query count flat: course page 50 vs 200 lessons {'yes' if flat_course else 'NO'}; "
            f"dashboard 1 vs 2 courses {'yes' if flat_dash else 'NO'}"
        )
    finally:
        teardown_databases(old, verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run(learners=args.learners, repeat=args.repeat)
        return
    targets = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    sys.path.insert(0, str(ROOT))
    from bench.per_database import run_per_database

    run_per_database(
        __file__,
        targets,
        [f"--learners={args.learners}", f"--repeat={args.repeat}"],
        pg_url=PG_URL,
        pg_db=PG_DB,
        prefix="lw-bench-",
    )


if __name__ == "__main__":
    main()
