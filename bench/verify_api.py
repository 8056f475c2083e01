"""Benchmark: GET /api/v1/certificates/<code> against a bare view doing one raw SELECT.

    .venv/bin/python bench/verify_api.py                      # SQLite, 100,000 certificates
    .venv/bin/python bench/verify_api.py --postgres postgres://postgres@127.0.0.1:5432/postgres
                                                              # PostgreSQL, 1,000,000 certificates

A fresh database is filled (SQLite: one executemany transaction; PostgreSQL: COPY into a
throw-away database ``bench_lw_c`` that is dropped afterwards) and migrated with the whole project.
A real HTTP server (Django's threaded WSGI server, the one ``runserver`` uses) runs on 127.0.0.1
in a forked process; the parent drives it with concurrent client threads over keep-alive
connections. Rounds alternate between the API and the baseline so both see the same machine load.
The baseline is a plain Django view behind the same middleware that runs one raw SELECT on the
indexed code and returns the same JSON fields. The rate limit is raised out of the way, but the
limiter still runs on every API request. Queries per API request are counted in-process.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import signal
import socket
import statistics
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DB = "bench_lw_c"


def configure(args) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="lw-bench-verify-"))
    os.environ["LEARNWARD_DATA_DIR"] = str(data_dir)
    os.environ["LEARNWARD_VERIFY_RATE_LIMIT"] = "1000000000/second"
    os.environ.setdefault("LEARNWARD_LOG_LEVEL", "ERROR")
    if args.postgres:
        import psycopg

        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
            conn.execute(f"CREATE DATABASE {BENCH_DB}")
        base, _, _ = args.postgres.rpartition("/")
        os.environ["DATABASE_URL"] = f"{base}/{BENCH_DB}"
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "learnward.settings"
    import django
    from django.conf import settings

    django.setup()
    settings.ROOT_URLCONF = "bench.verify_api_urls"
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def populate(count: int, postgres: bool) -> list[str]:
    from django.db import connection, transaction

    from learnward.certificates.codes import new_code
    from learnward.certificates.services import STATUS_LIST_CAPACITY

    started = time.perf_counter()
    codes = {new_code() for _ in range(count)}
    while len(codes) < count:
        codes.add(new_code())
    codes = list(codes)
    today = date.today()
    columns = (
        "code, holder_name, course_title, cpd_hours, awarded_on, expires_on, revocation_reason, "
        "status_list, status_list_index, verification_count, created_at"
    )

    def rows():
        for i, code in enumerate(codes):
            awarded = today - timedelta(days=i % 1500)
            expires = awarded + timedelta(days=730) if i % 3 else None
            yield (
                code,
                f"Learner {i}",
                f"Course {i % 200}",
                "3.50",
                awarded,
                expires,
                "",
                i // STATUS_LIST_CAPACITY + 1,
                i % STATUS_LIST_CAPACITY,
                0,
                "2025-01-01T00:00:00+00:00",
            )

    with transaction.atomic(), connection.cursor() as cursor:
        if postgres:
            with cursor.cursor.copy(
                f"COPY certificates_certificate ({columns}) FROM STDIN"
            ) as copy:
                for row in rows():
                    copy.write_row(row)
        else:
            cursor.executemany(
                f"INSERT INTO certificates_certificate ({columns}) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                list(rows()),
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if postgres else "ANALYZE certificates_certificate")
    print(f"inserted {count:,} certificates in {time.perf_counter() - started:.1f} s")
    return random.sample(codes, min(20_000, count))


def count_queries(codes: list[str]) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from learnward.certificates.codes import format_code

    client = Client()
    seen = []
    for code in codes[:50]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/api/v1/certificates/{format_code(code)}")
        assert response.status_code == 200, response.content
        seen.append(len(ctx.captured_queries))
    return min(seen), max(seen)


def serve(port_holder: list[int]) -> int:
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application
    from django.db import connections

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    connections.close_all()
    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=True)
    server.set_app(get_wsgi_application())
    port = server.server_address[1]
    pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
        server.serve_forever()
        os._exit(0)
    server.server_close()
    port_holder.append(port)
    return pid


def drive(port: int, paths: list[str], seconds: float, threads: int) -> list[float]:
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(seed: int) -> None:
        rnd = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.perf_counter() < deadline:
            path = rnd.choice(paths)
            start = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            if response.status != 200:
                raise SystemExit(f"{path}: HTTP {response.status}")
            mine.append(time.perf_counter() - start)
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.close()
        with lock:
            latencies.extend(mine)

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return latencies


def wait_for(port: int) -> None:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", help="PostgreSQL URL of a server where we may create a DB")
    parser.add_argument("--count", type=int, help="certificates (default 100k SQLite, 1M PG)")
    parser.add_argument("--seconds", type=float, default=4.0, help="seconds per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4, help="concurrent client threads")
    args = parser.parse_args()
    count = args.count or (1_000_000 if args.postgres else 100_000)
    configure(args)
    from django.db import connection

    from learnward.certificates.codes import format_code

    print(f"database: {connection.vendor}, {count:,} certificates")
    codes = populate(count, bool(args.postgres))
    fewest, most = count_queries(codes)
    from learnward.certificates.counting import flush_verification_counts

    flush_verification_counts()  # before forking, so the server does not inherit them
    print(
        f"queries per API request: {fewest} to {most} (target <= 2; the second is the batched "
        "verification-count write, at most once a second per process)"
    )

    ports: list[int] = []
    pid = serve(ports)
    port = ports[0]
    wait_for(port)
    api_paths = [f"/api/v1/certificates/{format_code(c)}" for c in codes]
    raw_paths = [f"/bench/raw/{c}" for c in codes]
    try:
        drive(port, api_paths[:200], 1.0, args.threads)  # warm up both
        drive(port, raw_paths[:200], 1.0, args.threads)
        results: dict[str, list[float]] = {"api": [], "raw": []}
        elapsed = {"api": 0.0, "raw": 0.0}
        for _ in range(args.rounds):
            for name, paths in (("api", api_paths), ("raw", raw_paths)):
                start = time.perf_counter()
                results[name] += drive(port, paths, args.seconds, args.threads)
                elapsed[name] += time.perf_counter() - start
    finally:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)

    summary = {}
    for name in ("raw", "api"):
        lat = sorted(results[name])
        rps = len(lat) / elapsed[name]
        p99 = lat[int(len(lat) * 0.99) - 1] * 1000
        summary[name] = (rps, p99)
        label = "baseline (raw SELECT view)" if name == "raw" else "/api/v1/certificates/<code>"
        print(
            f"{label:32} {rps:8.0f} req/s   p50 {statistics.median(lat) * 1000:6.2f} ms   "
            f"p99 {p99:6.2f} ms   ({len(lat):,} requests, {args.threads} client threads)"
        )
    ratio = summary["raw"][0] / summary["api"][0]
    print(f"ratio (baseline req/s / API req/s): {ratio:.2f}x (target <= 1.3x)")
    print(f"p99 ratio: {summary['api'][1] / summary['raw'][1]:.2f}x")
    if args.postgres:
        connection.close()
        import psycopg

        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")


if __name__ == "__main__":
    main()
