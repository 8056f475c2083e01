"""Benchmark: "Ask the course" search against the raw full-text query, on SQLite and PostgreSQL.

A course of 500 lessons of about 1,000 words each (Markdown with section headings) is loaded into a
fresh database, which builds the lesson passages and their full-text index exactly as the app does.
Then a set of natural questions is timed two ways, interleaved so both see the same noise:

- raw: the bare full-text query (FTS5 MATCH + bm25 / tsvector @@ tsquery + ts_rank_cd) returning
  passage ids, with the query string prepared in advance;
- ask: ``learnward.ai.selectors.search_passages``, what a learner's question goes through: word
  extraction, the same query returning the passage text, and building the passages with links.

Prints p50 and p99 per database and the ratio ask/raw. Targets: ratio <= 1.5, p99 < 50 ms on
PostgreSQL.

    .venv/bin/python bench/ask_search.py                 # both databases
    .venv/bin/python bench/ask_search.py --db sqlite     # one
    BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres  (default; a bench_lw_g database is
    created and dropped)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = "bench_lw_g"


# --- Content ------------------------------------------------------------------------------------


def vocabulary() -> list[str]:
    """English words harvested from the standard library's docstrings and comments (fixed)."""
    import email
    import http
    import logging
    import unittest

    words: dict[str, int] = {}
    for package in (email, http, logging, unittest):
        for path in sorted(Path(package.__file__).parent.rglob("*.py")):
            for word in re.findall(r"\b[a-z]{3,12}\b", path.read_text(errors="ignore")):
                words[word] = words.get(word, 0) + 1
    # Most frequent first, so a Zipf draw over the list looks like prose.
    return [w for w, _ in sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))][:6000]


def zipf_weights(n: int) -> list[float]:
    return [1.0 / (rank + 1) for rank in range(n)]


def lesson_markdown(rng: random.Random, vocab: list[str], weights, words: int) -> str:
    parts: list[str] = []
    count = 0
    section = 0
    while count < words:
        if count == 0 or rng.random() < 0.25:
            section += 1
            heading = " ".join(rng.choices(vocab[200:2000], k=rng.randint(2, 4))).capitalize()
            parts.append(f"## {heading}")
        length = rng.randint(50, 140)
        sentences = []
        remaining = length
        while remaining > 0:
            n = min(remaining, rng.randint(8, 22))
            sentence = " ".join(rng.choices(vocab, weights=weights, k=n))
            sentences.append(sentence.capitalize() + ".")
            remaining -= n
        parts.append(" ".join(sentences))
        count += length
    return "\n\n".join(parts)


def questions(rng: random.Random, vocab: list[str], weights, n: int) -> list[str]:
    starts = ["What is", "How do I", "Why does", "When should we", "Explain", "What happens if"]
    out = []
    for _ in range(n):
        # Mostly mid-frequency words (what a learner asks about), some common, some rare.
        topic = rng.choices(vocab[50:3000], k=rng.randint(2, 5))
        common = rng.choices(vocab[:50], weights=weights[:50], k=rng.randint(0, 2))
        out.append(f"{rng.choice(starts)} {' '.join(topic + common)}?")
    return out


# --- One database, in a child process -------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def run_child(args) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnward.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from learnward.ai import search
    from learnward.ai.index import passages_rebuild_all
    from learnward.ai.models import LessonPassage
    from learnward.ai.selectors import search_passages
    from learnward.catalog.models import Course, Lesson, Module

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_s = time.perf_counter() - started

    rng = random.Random(20240917)
    vocab = vocabulary()
    weights = zipf_weights(len(vocab))
    course = Course.objects.create(
        title="Benchmark course", slug="bench", summary="Bench", cpd_hours=10, published=True
    )
    started = time.perf_counter()
    lessons = []
    per_module = 25
    for m in range(args.lessons // per_module):
        module = Module.objects.create(course=course, title=f"Module {m + 1}", position=m)
        for i in range(per_module):
            lessons.append(
                Lesson(
                    module=module,
                    title=" ".join(rng.choices(vocab[100:1500], k=3)).capitalize(),
                    position=i,
                    body_markdown=lesson_markdown(rng, vocab, weights, args.words),
                )
            )
    Lesson.objects.bulk_create(lessons)
    passages = passages_rebuild_all(course=course)
    index_s = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE ai_lessonpassage")
    total_words = sum(len(p.split()) for p in LessonPassage.objects.values_list("text", flat=True))

    qs = questions(rng, vocab, weights, args.queries)
    vendor = connection.vendor
    raw_sql = search.raw_search_sql(vendor)
    prepared = [search.raw_query_param(vendor, search.query_terms(q)) for q in qs]

    def raw(param: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(raw_sql, [param, course.pk, 5])
            return len(cursor.fetchall())

    def ask(question: str) -> int:
        return len(search_passages(course=course, question=question))

    for q, p in zip(qs[:20], prepared[:20], strict=True):  # warm caches
        raw(p)
        ask(q)
    raw_ms: list[float] = []
    ask_ms: list[float] = []
    hits = 0
    for _ in range(args.repeat):
        for q, p in zip(qs, prepared, strict=True):
            t0 = time.perf_counter()
            raw(p)
            t1 = time.perf_counter()
            hits += ask(q) > 0
            t2 = time.perf_counter()
            raw_ms.append((t1 - t0) * 1000)
            ask_ms.append((t2 - t1) * 1000)
    return {
        "vendor": vendor,
        "lessons": len(lessons),
        "passages": passages,
        "words": total_words,
        "migrate_s": round(migrate_s, 1),
        "index_s": round(index_s, 1),
        "queries": len(raw_ms),
        "answered": round(hits / len(ask_ms), 3),
        "raw_p50": statistics.median(raw_ms),
        "raw_p99": percentile(raw_ms, 0.99),
        "ask_p50": statistics.median(ask_ms),
        "ask_p99": percentile(ask_ms, 0.99),
    }


# --- The parent: one child per database -----------------------------------------------------------


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(
        PG_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True
    ) as c:
        c.execute(sql)


def run_for(db: str, args) -> dict:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    with tempfile.TemporaryDirectory(prefix="lw-bench-") as tmp:
        env["LEARNWARD_DATA_DIR"] = tmp
        env["LEARNWARD_AI_BASE_URL"] = ""
        env["LEARNWARD_DEBUG"] = "0"  # as in production: no query logging on either side
        if db == "postgres":
            pg_admin(f"DROP DATABASE IF EXISTS {PG_DB}")
            pg_admin(f"CREATE DATABASE {PG_DB}")
            env["DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{PG_DB}"
        try:
            cmd = [sys.executable, __file__, "--child", "--db", db]
            cmd += ["--lessons", str(args.lessons), "--words", str(args.words)]
            cmd += ["--queries", str(args.queries), "--repeat", str(args.repeat)]
            out = subprocess.run(
                cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False
            )
            if out.returncode != 0:
                raise SystemExit(f"{db} run failed:\n{out.stderr[-3000:]}")
            return json.loads(out.stdout.strip().splitlines()[-1])
        finally:
            if db == "postgres":
                pg_admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--lessons", type=int, default=500)
    parser.add_argument("--words", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(run_child(args)))
        return
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    print(
        f"Ask-the-course search: {args.lessons} lessons x ~{args.words} words, "
        f"{args.queries} questions x {args.repeat} rounds, top 5 passages"
    )
    header = f"{'database':<11}{'passages':>9}{'raw p50':>10}{'raw p99':>10}{'ask p50':>10}{'ask p99':>10}{'p50 x':>8}{'p99 x':>8}"
    print(header)
    ok = True
    for db in dbs:
        r = run_for(db, args)
        p50x = r["ask_p50"] / r["raw_p50"]
        p99x = r["ask_p99"] / r["raw_p99"]
        print(
            f"{r['vendor']:<11}{r['passages']:>9}{r['raw_p50']:>8.2f}ms{r['raw_p99']:>8.2f}ms"
            f"{r['ask_p50']:>8.2f}ms{r['ask_p99']:>8.2f}ms{p50x:>7.2f}x{p99x:>7.2f}x"
        )
        print(
            f"{'':<11}({r['words']} words indexed in {r['index_s']} s; "
            f"{r['answered']:.0%} of questions found passages; {r['queries']} timed queries)"
        )
        within = p50x <= 1.5 and p99x <= 1.5
        if r["vendor"] == "postgresql":
            within = within and r["ask_p99"] < 50
        ok = ok and within
    print("targets (<= 1.5x raw; < 50 ms p99 on PostgreSQL):", "met" if ok else "NOT met")


if __name__ == "__main__":
    main()
