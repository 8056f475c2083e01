"""Where a public request's time goes: queries counted and cProfile, in production mode.

    .venv/bin/python bench/profile_public.py                  # SQLite, every public endpoint
    .venv/bin/python bench/profile_public.py --db pg --requests 500 --top 40
    .venv/bin/python bench/profile_public.py --only page --sort tottime

Sets up as bench/serve.py does (a temporary data directory, PostgreSQL's throw-away database
bench_lw_profile, ``LEARNWARD_ENV=production``, ``deploy``, ``demo``), then calls the production
WSGI handler in this process, as a gunicorn worker would, with ``X-Forwarded-Proto: https``. For
each endpoint: the SQL of one request (connection.queries), the mean time per request, and
cProfile's top functions over ``--requests`` requests.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = "bench_lw_profile"


def configure(db: str) -> None:
    for key in [k for k in os.environ if k.startswith("LEARNWARD_")]:
        del os.environ[key]
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(
        {
            "LEARNWARD_ENV": "production",
            "LEARNWARD_SECRET_KEY": secrets.token_urlsafe(64),
            "LEARNWARD_ALLOWED_HOSTS": "127.0.0.1",
            "LEARNWARD_BASE_URL": "https://learnward.example",
            "LEARNWARD_DATA_DIR": tempfile.mkdtemp(prefix="lw-bench-profile-"),
            "LEARNWARD_VERIFY_RATE_LIMIT": "1000000000/second",
            "LEARNWARD_LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "INFO"),
            "DJANGO_SETTINGS_MODULE": "learnward.settings",
        }
    )
    if db == "pg":
        import psycopg

        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
            conn.execute(f"CREATE DATABASE {PG_DB}")
        os.environ["DATABASE_URL"] = f"{PG_URL.rpartition('/')[0]}/{PG_DB}"
    import django

    django.setup()


def environ(path: str) -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_X_FORWARDED_PROTO": "https",
        "wsgi.url_scheme": "https",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "pg"], default="sqlite")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--only", choices=["api", "page", "catalog", "healthz"])
    parser.add_argument("--sql", action="store_true", help="print each request's SQL")
    parser.add_argument("--save", metavar="DIR", help="also write <endpoint>.prof files here")
    parser.add_argument(
        "--ablate",
        action="store_true",
        help="instead of profiling: each middleware's cost, measured by leaving it out",
    )
    args = parser.parse_args()
    configure(args.db)
    import logging

    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    from learnward.core.demo import load_demo

    logging.disable(logging.CRITICAL)  # deploy's and demo's chatter
    call_command("deploy", verbosity=0, stdout=io.StringIO())
    demo = load_demo()
    logging.disable(logging.NOTSET)
    code = next(c["code"] for c in demo["certificates"] if c["status"] == "valid")
    connection.close()
    app = get_wsgi_application()
    # The per-request log line goes somewhere cheap, as gunicorn's stderr would.
    for handler in logging.getLogger().handlers:
        handler.stream = open(os.devnull, "w")  # noqa: SIM115

    endpoints = {
        "api": f"/api/v1/certificates/{code}",
        "page": f"/verify/{code}/",
        "catalog": "/courses/",
        "healthz": "/healthz",
    }
    if args.ablate:
        ablate(endpoints, args)
        return
    for name, path in endpoints.items():
        if args.only and name != args.only:
            continue

        def call(path=path):
            status = []
            body = b"".join(app(environ(path), lambda s, h, status=status: status.append(s)))
            if not status[0].startswith("200"):
                raise SystemExit(f"{path}: {status[0]}\n{body[:400]!r}")
            return body

        for _ in range(20):
            call()
        # The handler empties connection.queries when a request starts: read it after one.
        connection.force_debug_cursor = True
        body = call()
        queries = list(connection.queries)
        connection.force_debug_cursor = False
        started = time.perf_counter()
        for _ in range(args.requests):
            call()
        mean = (time.perf_counter() - started) / args.requests * 1000
        print(
            f"\n=== {name} {path}: {len(queries)} queries, {len(body)} bytes, "
            f"{mean:.2f} ms a request (no profiler)"
        )
        if args.sql:
            for query in queries:
                print("   ", query["sql"][:300])
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.requests):
            call()
        profiler.disable()
        if args.save:
            profiler.dump_stats(os.path.join(args.save, f"{name}.prof"))
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())
    if args.db == "pg":
        connection.close()
        import psycopg

        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")


def ablate(endpoints: dict, args) -> None:
    """Microseconds a request saves without each middleware (the best of 7 alternating runs)."""
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.test.utils import override_settings

    full = list(settings.MIDDLEWARE)
    variants = {"all middleware": full}
    for name in full[3:]:
        variants[f"without {name.rsplit('.', 1)[-1]}"] = [m for m in full if m != name]
    variants["only the first three"] = full[:3]
    handlers = {}
    for label, middleware in variants.items():
        with override_settings(MIDDLEWARE=middleware):
            handlers[label] = WSGIHandler()
    for name, path in endpoints.items():
        if args.only and name != args.only:
            continue
        best = dict.fromkeys(handlers, float("inf"))
        for _ in range(7):
            for label, handler in handlers.items():
                started = time.perf_counter()
                for _ in range(args.requests):
                    b"".join(handler(environ(path), lambda s, h: None))
                took = (time.perf_counter() - started) / args.requests * 1e6
                best[label] = min(best[label], took)
        print(f"\n=== {name} {path}: {best['all middleware']:.0f} us a request with all middleware")
        for label, took in best.items():
            if label != "all middleware":
                print(f"  {label:40} saves {best['all middleware'] - took:6.0f} us")


if __name__ == "__main__":
    main()
