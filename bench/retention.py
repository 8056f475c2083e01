"""Benchmark: the retention sweep of due activity events, against a raw DELETE (and, on
PostgreSQL, against dropping the partition by hand), with the verification API's p99 measured
while the sweep runs.

    .venv/bin/python bench/retention.py                          # SQLite 200,000; PG 1M and 4M
    .venv/bin/python bench/retention.py --only sqlite --sqlite-rows 200000
    .venv/bin/python bench/retention.py --only pg --pg-rows 1000000
    .venv/bin/python bench/retention.py --only sqlite --crash-check   # kill -9 mid-run, rerun
    BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres  (default; a bench_lw_f database is
    created and dropped)

Each database runs in its own child process (settings are read once per process) on a fresh,
fully migrated database with one learner, one course and one certificate. Rows are inserted in
one statement, all within one calendar month three years ago, so every row is due.

- sweep: ``learnward retention`` in a separate process, as cron or the worker runs it (batch size
  LEARNWARD_RETENTION_BATCH_SIZE, default 1000). Its own record gives the time from start to
  finish (process start-up excluded), the number of batches and the longest batch. On PostgreSQL
  the table is partitioned by month, so the sweep detaches and drops the month's partition.
- raw: the same rows inserted again and removed by one ``DELETE ... WHERE occurred_at < cutoff``.
- drop (PostgreSQL): the same rows inserted again and the partition detached and dropped by hand.
- verification p99: ``GET /api/v1/certificates/<code>`` over HTTP against a separate server
  process (Django's threaded WSGI server), sequential keep-alive requests: idle, then for as long
  as the sweep runs; ``--rounds`` times (3 on SQLite), samples pooled, so the p99 rests on
  about a thousand requests rather than a few hundred.
- PostgreSQL also: deleting a file as big as the partition on the filesystem PostgreSQL keeps
  its data on (what freeing a dropped table's files costs there, whoever asks), so the sweep's
  own time can be told apart from the filesystem's.

Targets (issue 6): sweep <= 2x raw on SQLite; on PostgreSQL the partition path >= 10x faster than
the raw DELETE at 1,000,000 rows and not growing with the partition's size (1M against 4M); no
batch over 100 ms; verification p99 during the sweep <= 1.5x idle.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = "bench_lw_f"
LEARNWARD = str(ROOT / ".venv" / "bin" / "learnward")


# --- Child: one database ------------------------------------------------------------------------


def configure(db: str) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix="lw-bench-retention-"))
    env = {
        "LEARNWARD_DATA_DIR": str(data_dir),
        "LEARNWARD_VERIFY_RATE_LIMIT": "1000000000/second",
        "LEARNWARD_LOG_LEVEL": "ERROR",
        "LEARNWARD_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LEARNWARD_TASK_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "DJANGO_SETTINGS_MODULE": "learnward.settings",
    }
    if db == "pg":
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
            conn.execute(f"CREATE DATABASE {PG_DB}")
        base, _, _ = PG_ADMIN_URL.rpartition("/")
        env["DATABASE_URL"] = f"{base}/{PG_DB}"
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return dict(os.environ)


def seed() -> tuple[int, int, int, str]:
    from decimal import Decimal

    from django.utils import timezone

    from learnward.accounts.models import User
    from learnward.catalog.models import Course, Lesson, Module
    from learnward.certificates.services import certificate_issue_for_completion
    from learnward.learning.models import Completion, Enrolment

    user = User.objects.create_user(
        "bench@example.test", "bench password 123", display_name="Bench Learner"
    )
    course = Course.objects.create(
        title="Bench course", slug="bench", summary="x", cpd_hours=Decimal("1"), published=True
    )
    module = Module.objects.create(course=course, title="M", position=0)
    lesson = Lesson.objects.create(module=module, title="L", position=0, body_markdown="x")
    enrolment = Enrolment.objects.create(user=user, course=course, enrolled_at=timezone.now())
    completion = Completion.objects.create(enrolment=enrolment, completed_at=timezone.now())
    certificate = certificate_issue_for_completion(completion=completion)
    return user.pk, course.pk, lesson.pk, certificate.code


def month_three_years_ago() -> datetime:
    now = datetime.now(UTC)
    return datetime(now.year - 3, now.month, 1, tzinfo=UTC)


def insert_rows(n: int, ids: tuple[int, int, int], start: datetime) -> float:
    from django.db import connection, transaction

    user_id, course_id, lesson_id = ids
    began = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "INSERT INTO learning_activityevent (user_id, course_id, lesson_id, kind, "
                "occurred_at) SELECT %s, %s, %s, 'viewed', %s + (x %% 2500000) * interval "
                "'1 second' FROM generate_series(1, %s) AS x",
                [user_id, course_id, lesson_id, start, n],
            )
        else:
            base = start.strftime("%Y-%m-%d %H:%M:%S")
            cursor.execute(
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < %s) "
                "INSERT INTO learning_activityevent (user_id, course_id, lesson_id, kind, "
                "occurred_at) SELECT %s, %s, %s, 'viewed', "
                "strftime('%%Y-%%m-%%d %%H:%%M:%%S', %s, '+' || (x %% 2500000) || ' seconds') "
                "FROM c",
                [n, user_id, course_id, lesson_id, base],
            )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE learning_activityevent")
    return time.perf_counter() - began


def count_rows() -> int:
    from learnward.learning.models import ActivityEvent

    return ActivityEvent.objects.count()


def serve_forever(port: int) -> None:
    """The verification server: Django's threaded WSGI server (the one runserver uses), with
    TCP_NODELAY so small responses are not held back by Nagle's algorithm."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "learnward.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class Handler(WSGIRequestHandler):
        def setup(self):
            super().setup()
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, *args):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", port), Handler, allow_reuse_address=True)
    server.set_app(get_wsgi_application())
    server.serve_forever()


class Server:
    """The verification server in its own process, on a free port."""

    def __init__(self, env: dict) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(self.port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the verification server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


class Verifier:
    def __init__(self, port: int, code: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        self.conn.connect()
        self.conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.path = f"/api/v1/certificates/{code}"

    def once(self) -> float:
        began = time.perf_counter()
        self.conn.request("GET", self.path)
        response = self.conn.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"verification returned {response.status}")
        return (time.perf_counter() - began) * 1000


def p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]


def sweep(env: dict, verifier: Verifier | None, batch_size: int) -> dict:
    """Run ``learnward retention`` in its own process and sample verification while it runs
    (with no ``verifier``, the database has no other traffic)."""
    from learnward.privacy.retention.models import RetentionRun

    env = {**env, "LEARNWARD_RETENTION_BATCH_SIZE": str(batch_size)}
    proc = subprocess.Popen(
        [LEARNWARD, "retention", "--skip-checks"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    timed: list[tuple[float, float]] = []
    while proc.poll() is None:
        if verifier is None:
            time.sleep(0.01)
            continue
        latency = verifier.once()
        timed.append((time.time(), latency))
    output = proc.stdout.read()
    if proc.returncode != 0:
        raise RuntimeError(f"retention failed:\n{output}")
    run = RetentionRun.objects.order_by("-pk").first()
    stats = run.stats["learning.ActivityEvent"]
    # Only requests that ended while the run was running (not while its process started up).
    window = (run.started_at.timestamp(), run.finished_at.timestamp())
    samples = [latency for ended, latency in timed if window[0] <= ended <= window[1]]
    return {
        "seconds": (run.finished_at - run.started_at).total_seconds(),
        "batches": run.batches,
        "longest_batch_ms": run.longest_batch_ms,
        "processed": stats["processed"],
        "partitions_dropped": stats.get("partitions_dropped", []),
        "detached_drop_ms": stats.get("detached_drop_ms", []),
        "samples": samples,
    }


def while_sampling(verifier: Verifier, work) -> tuple[float, list[float]]:
    """Run ``work()`` in a thread (its own database connection) and sample verification until it
    ends; return its duration and the samples."""
    import threading

    from django.db import connection

    done: dict = {}

    def target():
        try:
            done["seconds"] = work()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller
            done["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=target)
    samples: list[float] = []
    thread.start()
    while thread.is_alive():
        samples.append(verifier.once())
    thread.join()
    if "error" in done:
        raise done["error"]
    return done["seconds"], samples


def raw_delete(cutoff: datetime) -> float:
    from django.db import connection, transaction

    began = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM learning_activityevent WHERE occurred_at < %s",
            [connection.ops.adapt_datetimefield_value(cutoff)],
        )
    return time.perf_counter() - began


def vacuum() -> float:
    from django.db import connection

    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM learning_activityevent")
    return time.perf_counter() - began


def drop_by_hand(start: datetime) -> tuple[float, float]:
    """Detach, then drop, the month's partition by hand: (detach seconds, drop seconds)."""
    from django.db import transaction

    from learnward.core import partitions

    partition = next(p for p in partitions.partitions("learning_activityevent") if p.start == start)
    began = time.perf_counter()
    with transaction.atomic():
        partitions.detach_partition("learning_activityevent", partition)
    detached = time.perf_counter()
    with transaction.atomic():
        partitions.drop_detached(partition.name)
    return detached - began, time.perf_counter() - detached


def ensure_month(start: datetime) -> None:
    from learnward.core import partitions

    partitions.ensure_partitions(
        "learning_activityevent", "occurred_at", since=start, through=start
    )


def partition_bytes(start: datetime) -> int:
    from django.db import connection

    from learnward.core import partitions

    partition = next(p for p in partitions.partitions("learning_activityevent") if p.start == start)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_total_relation_size(%s)", [partition.name])
        return cursor.fetchone()[0]


def unlink_same_size(size: int) -> float | None:
    """Seconds to delete a file of ``size`` bytes on the filesystem PostgreSQL keeps its data on
    (what freeing a dropped partition's files costs the kernel, whoever asks), or None when
    that filesystem cannot be written from here."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW data_directory")
        data_dir = cursor.fetchone()[0]
    try:
        device = os.stat(data_dir).st_dev
    except OSError:
        return None
    for candidate in (tempfile.gettempdir(), os.path.dirname(data_dir)):
        if os.stat(candidate).st_dev == device and os.access(candidate, os.W_OK):
            break
    else:
        return None
    path = os.path.join(candidate, f"lw-bench-unlink-{os.getpid()}")
    chunk = b"\0" * (1 << 20)
    with open(path, "wb") as handle:
        for _ in range(size // len(chunk) + 1):
            handle.write(chunk)
        handle.flush()
        os.fsync(handle.fileno())
    began = time.perf_counter()
    os.unlink(path)
    return time.perf_counter() - began


def run_one(db: str, rows: int, batch_size: int, idle_requests: int, rounds: int) -> dict:
    env = configure(db)
    user_id, course_id, lesson_id, code = seed()
    ids = (user_id, course_id, lesson_id)
    start = month_three_years_ago()
    cutoff = datetime.now(UTC) - timedelta(days=2 * 365)
    result: dict = {"db": db, "rows": rows, "batch_size": batch_size}
    server = Server(env)
    try:
        verifier = Verifier(server.port, code)
        for _ in range(50):
            verifier.once()  # warm up
        if db == "sqlite":
            # First with no other traffic: the cost of the sweep itself against the raw DELETE.
            insert_rows(rows, ids, start)
            result["quiet_sweep"] = sweep(env, None, batch_size)
            insert_rows(rows, ids, start)
            result["quiet_raw_delete_seconds"] = raw_delete(cutoff)
        # Under verification traffic, ``rounds`` times, idle samples taken before each round:
        # p99 over one sweep's few hundred requests is mostly noise on a small machine.
        idle: list[float] = []
        sweeps = []
        for _ in range(rounds):
            idle += [verifier.once() for _ in range(idle_requests)]
            if db == "pg":
                ensure_month(start)
            result["insert_seconds"] = insert_rows(rows, ids, start)
            assert count_rows() == rows
            if db == "pg":
                result["partition_bytes"] = partition_bytes(start)
            sweeps.append(sweep(env, verifier, batch_size))
            assert count_rows() == 0, "the sweep left rows behind"
        result["verify_idle_p99_ms"] = p99(idle)
        result["verify_idle_p50_ms"] = statistics.median(idle)
        result["verify_idle_samples"] = len(idle)
        during = [x for s in sweeps for x in s.pop("samples")]
        result["sweep"] = {
            **sweeps[0],
            "seconds": statistics.median(s["seconds"] for s in sweeps),
            "all_seconds": [s["seconds"] for s in sweeps],
            "longest_batch_ms": max(s["longest_batch_ms"] for s in sweeps),
            "verify_samples": len(during),
            "verify_p99_ms": p99(during) if during else None,
            "verify_p50_ms": statistics.median(during) if during else None,
        }

        if db == "pg":
            ensure_month(start)
        insert_rows(rows, ids, start)
        seconds, samples = while_sampling(verifier, lambda: raw_delete(cutoff))
        result["raw_delete_seconds"] = seconds
        result["raw_verify_p99_ms"] = p99(samples) if samples else None
        result["raw_verify_samples"] = len(samples)
        assert count_rows() == 0
        if db == "pg":
            # A DELETE frees no space: the dead rows stay until VACUUM, which the partition's
            # drop does not need. Timed for context; the targets compare with the DELETE alone.
            result["vacuum_after_raw_seconds"] = vacuum()

        if db == "pg":
            ensure_month(start)
            insert_rows(rows, ids, start)
            count_began = time.perf_counter()
            count_rows()
            result["count_partition_seconds"] = time.perf_counter() - count_began
            detach, drop = drop_by_hand(start)
            result["detach_by_hand_seconds"] = detach
            result["drop_by_hand_seconds"] = drop
            assert count_rows() == 0
            result["unlink_same_size_seconds"] = unlink_same_size(result["partition_bytes"])
    finally:
        server.stop()
    return result


def crash_check(rows: int, batch_size: int) -> dict:
    """Kill -9 a sweep mid-run; the rerun must resume it and finish, losing nothing."""
    env = configure("sqlite")
    user_id, course_id, lesson_id, _ = seed()
    from learnward.audit.actions import Action
    from learnward.audit.models import AuditEntry
    from learnward.privacy.retention.models import RetentionRun

    insert_rows(rows, (user_id, course_id, lesson_id), month_three_years_ago())
    env = {**env, "LEARNWARD_RETENTION_BATCH_SIZE": str(batch_size)}
    proc = subprocess.Popen(
        [LEARNWARD, "retention", "--skip-checks"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    while proc.poll() is None:
        run = RetentionRun.objects.first()
        if (
            run is not None
            and run.stats.get("learning.ActivityEvent", {}).get("processed", 0) >= rows // 3
        ):
            os.kill(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.02)
    proc.wait()
    run = RetentionRun.objects.get()
    recorded = run.stats["learning.ActivityEvent"]["processed"]
    remaining = count_rows()
    result = {
        "rows": rows,
        "killed_after_rows": recorded,
        "rows_left_after_kill": remaining,
        "recorded_matches_deleted": recorded + remaining == rows,
        "status_after_kill": run.status,
    }
    subprocess.run(
        [LEARNWARD, "retention", "--skip-checks"], env=env, check=True, capture_output=True
    )
    run.refresh_from_db()
    summary = AuditEntry.objects.get(action=Action.RETENTION_RUN).payload
    result.update(
        {
            "rows_left_after_rerun": count_rows(),
            "status_after_rerun": run.status,
            "attempts": run.attempts,
            "audited_processed": summary["rules"]["learning.ActivityEvent"]["processed"],
        }
    )
    return result


# --- Driver ---------------------------------------------------------------------------------------


def child(args: list[str]) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["sqlite", "pg"])
    parser.add_argument("--sqlite-rows", type=int, default=200_000)
    parser.add_argument("--pg-rows", default="1000000,4000000")
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--idle-requests", type=int, default=500)
    parser.add_argument(
        "--rounds",
        type=int,
        default=None,
        help="sweeps under verification traffic per database (default: 3 on SQLite, 1 on PG)",
    )
    parser.add_argument("--crash-check", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("DB", "ROWS"), help=argparse.SUPPRESS)
    parser.add_argument("--child-crash", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.serve:
        serve_forever(args.serve)
        return
    if args.child:
        db, rows = args.child
        rounds = args.rounds or (3 if db == "sqlite" else 1)
        print(json.dumps(run_one(db, int(rows), args.batch_size, args.idle_requests, rounds)))
        return
    if args.child_crash:
        print(json.dumps(crash_check(args.child_crash, 200)))
        return

    common = ["--batch-size", str(args.batch_size), "--idle-requests", str(args.idle_requests)]
    if args.rounds:
        common += ["--rounds", str(args.rounds)]
    if args.crash_check:
        result = child(["--child-crash", str(min(args.sqlite_rows, 100_000))])
        print("Crash check (SQLite, kill -9 mid-sweep, then rerun):")
        for key, value in result.items():
            print(f"  {key}: {value}")
        return
    results = []
    if args.only in (None, "sqlite"):
        results.append(child(["--child", "sqlite", str(args.sqlite_rows), *common]))
    if args.only in (None, "pg"):
        for rows in (int(r) for r in args.pg_rows.split(",") if r):
            results.append(child(["--child", "pg", str(rows), *common]))

    print(
        f"{'db':7} {'rows':>9} {'sweep s':>8} {'raw s':>7} {'sweep/raw':>9} {'batches':>7} "
        f"{'max batch ms':>12} {'p99 idle ms':>11} {'p99 sweep ms (n)':>17} {'ratio':>6} "
        f"{'p99 raw ms':>10}"
    )
    for r in results:
        s = r["sweep"]
        idle, during = r["verify_idle_p99_ms"], s["verify_p99_ms"]
        during_text = f"{during:.1f} ({s['verify_samples']})" if during else "-"
        ratio = during / idle if during else 0.0
        print(
            f"{r['db']:7} {r['rows']:>9,} {s['seconds']:>8.3f} {r['raw_delete_seconds']:>7.3f} "
            f"{s['seconds'] / r['raw_delete_seconds']:>9.3f} {s['batches']:>7} "
            f"{s['longest_batch_ms']:>12.1f} {idle:>11.1f} {during_text:>17} {ratio:>6.2f} "
            f"{(r['raw_verify_p99_ms'] or 0):>10.1f}"
        )
        if "quiet_sweep" in r:
            quiet, raw = r["quiet_sweep"]["seconds"], r["quiet_raw_delete_seconds"]
            print(
                f"        with no other traffic: sweep {quiet:.3f} s, raw DELETE {raw:.3f} s, "
                f"ratio {quiet / raw:.2f}, longest batch {r['quiet_sweep']['longest_batch_ms']:.1f} ms"
            )
        if r["db"] == "pg":
            detach, drop = r["detach_by_hand_seconds"], r["drop_by_hand_seconds"]
            print(
                f"        partition path: detach {detach * 1000:.1f} ms + drop of the detached "
                f"table {drop * 1000:.1f} ms by hand (raw DELETE / (detach + drop) = "
                f"{r['raw_delete_seconds'] / (detach + drop):.1f}x); in the sweep, dropping the "
                f"detached table took {s['detached_drop_ms']} ms; counting the partition's rows "
                f"{r['count_partition_seconds'] * 1000:.0f} ms; VACUUM after the raw DELETE "
                f"(to make its space reusable) {r['vacuum_after_raw_seconds']:.3f} s"
            )
    pg = [r for r in results if r["db"] == "pg"]
    for r in pg:
        s = r["sweep"]
        unlink = r.get("unlink_same_size_seconds")
        print(
            f"PostgreSQL {r['rows']:,} ({r['partition_bytes'] / 1e6:.0f} MB): raw DELETE / detach "
            f"in the sweep (its one batch) = "
            f"{r['raw_delete_seconds'] * 1000 / s['longest_batch_ms']:.0f}x; raw DELETE / whole "
            f"sweep (size, detach, drop) = {r['raw_delete_seconds'] / s['seconds']:.1f}x"
        )
        if unlink is not None:
            own = s["seconds"] - unlink
            print(
                f"        rm of a {r['partition_bytes'] / 1e6:.0f} MB file on PostgreSQL's "
                f"filesystem: {unlink * 1000:.0f} ms; whole sweep less that = {own * 1000:.0f} ms, "
                f"raw DELETE / that = {r['raw_delete_seconds'] / own:.1f}x"
            )
    if len(pg) >= 2:
        small, large = pg[0], pg[-1]
        print(
            f"PostgreSQL {small['rows']:,} -> {large['rows']:,} rows: detach "
            f"{small['sweep']['longest_batch_ms']:.1f} -> {large['sweep']['longest_batch_ms']:.1f} ms"
            f", whole sweep {small['sweep']['seconds']:.3f} -> {large['sweep']['seconds']:.3f} s, "
            f"raw DELETE {small['raw_delete_seconds']:.3f} -> {large['raw_delete_seconds']:.3f} s"
        )
        if small.get("unlink_same_size_seconds") and large.get("unlink_same_size_seconds"):
            own_small = small["sweep"]["seconds"] - small["unlink_same_size_seconds"]
            own_large = large["sweep"]["seconds"] - large["unlink_same_size_seconds"]
            print(
                f"        whole sweep less the filesystem's rm of the same bytes: "
                f"{own_small * 1000:.0f} -> {own_large * 1000:.0f} ms "
                f"({own_large / own_small:.2f}x for {large['rows'] / small['rows']:.0f}x the rows)"
            )
    print()
    print(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
