"""Benchmark: Learnward's public endpoints as production serves them, against a bare Django view.

    .venv/bin/python bench/serve.py                          # SQLite and PostgreSQL, 3 rounds of 5 s
    .venv/bin/python bench/serve.py --db sqlite --rounds 5 --duration 10
    .venv/bin/python bench/serve.py --db pg --conn-max-age 600,0   # persistent vs per-request
    BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres   (default; the database
    bench_lw_serve is created and dropped)

For each database: a private data directory (a temporary folder) and, for PostgreSQL, a throw-away
database; ``learnward deploy`` and ``learnward demo`` with ``LEARNWARD_ENV=production`` (a fresh
secret key, ``LEARNWARD_ALLOWED_HOSTS=127.0.0.1``, an https base URL); then ``learnward serve``
(gunicorn, ``--workers`` sync workers, on a free port) and, beside it, gunicorn serving
``bench.bare_app`` (one JSON view, no middleware, no apps) with the same workers and options.

wrk (``apt install wrk``) drives each endpoint with ``--connections`` connections for
``--duration`` seconds, in rounds that alternate with the bare view: bare, API, bare, page,
bare, catalog, bare, /healthz, bare, ... Each endpoint's share is its requests per second over
the mean of the two bare rounds either side of it, so both saw the same machine load; the table
shows the median over the rounds (and the range), the median p99 (and the worst), and the goal.
Requests carry ``X-Forwarded-Proto: https``, as the proxy in front would send, so HTTPS redirects
and secure cookies behave as in production. The verification rate limit is raised out of the
way (``LEARNWARD_VERIFY_RATE_LIMIT``), but the limiter still counts every request.

Endpoints: the verification API (``/api/v1/certificates/<code>``) and page (``/verify/<code>/``)
for a valid demo certificate, the catalog (``/courses/``) and ``/healthz``. With several
``--conn-max-age`` values (PostgreSQL; SQLite too, where it keeps the file open), one server per
value runs and the database endpoints are measured on each.

It prints; it asserts nothing (the goals are in docs/operator-guide.md, "Performance").
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = "bench_lw_serve"
HOST = "127.0.0.1"
HEADERS = {"X-Forwarded-Proto": "https"}
P99_GOAL_MS = 50.0
GOALS = {"API": 0.8, "page": 0.5, "catalog": 0.5, "healthz": 0.9}


# --- Processes ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def learnward(env: dict, *args: str, **kwargs) -> subprocess.CompletedProcess:
    """``learnward <args>`` from this checkout (not whichever console script is on PATH)."""
    return subprocess.run(
        [sys.executable, "-c", "from learnward.cli import main; main()", *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        **kwargs,
    )


def start(cmd: list[str], env: dict, log: Path) -> subprocess.Popen:
    # Each server in its own process group, so stopping it stops its workers and nothing else.
    with log.open("ab") as out:
        return subprocess.Popen(
            cmd, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        conn.request("GET", path, headers=HEADERS)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wait_for(port: int, path: str, process: subprocess.Popen, log: Path) -> None:
    for _ in range(600):
        if process.poll() is not None:
            raise SystemExit(f"server exited ({process.returncode}); see {log}:\n{log.read_text()}")
        try:
            if get(port, path)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"server on port {port} did not answer {path}; see {log}")


# --- wrk -------------------------------------------------------------------------------------------

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


@dataclass
class Run:
    rps: float
    p99_ms: float
    errors: int
    worst_p99: float = 0.0


def parse_wrk(output: str) -> Run:
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.M)
    if not rps or not p99:
        raise SystemExit(f"could not read wrk's output:\n{output}")
    errors = 0
    for pattern in (r"Non-2xx or 3xx responses: (\d+)", r"Socket errors: (.*)"):
        found = re.search(pattern, output)
        if found and pattern.startswith("Non"):
            errors += int(found.group(1))
        elif found:
            # "connect 0, read 0, write 0, timeout 3": timeouts are failed requests.
            errors += int(re.search(r"timeout (\d+)", found.group(1)).group(1))
    return Run(float(rps.group(1)), float(p99.group(1)) * _UNITS[p99.group(2)], errors)


def wrk(url: str, *, duration: int, connections: int, threads: int) -> Run:
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{int(duration)}s",
        "--latency",
        "--timeout=5s",
    ]
    for name, value in HEADERS.items():
        cmd += ["-H", f"{name}: {value}"]
    result = subprocess.run([*cmd, url], capture_output=True, text=True, check=True)
    return parse_wrk(result.stdout)


# --- One database -------------------------------------------------------------------------------


@dataclass
class Endpoint:
    label: str
    goal_key: str
    port: int
    path: str
    runs: list[Run] = field(default_factory=list)
    shares: list[float] = field(default_factory=list)


def base_env(data_dir: Path, database_url: str | None) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("LEARNWARD_")
        and key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "LEARNWARD_ENV": "production",
            "LEARNWARD_SECRET_KEY": secrets.token_urlsafe(64),
            "LEARNWARD_ALLOWED_HOSTS": HOST,
            "LEARNWARD_BASE_URL": "https://learnward.example",
            "LEARNWARD_DATA_DIR": str(data_dir),
            "LEARNWARD_VERIFY_RATE_LIMIT": "1000000000/second",
        }
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def valid_code(env: dict) -> str:
    demo = json.loads(learnward(env, "demo", "--json").stdout)
    for certificate in demo["certificates"]:
        if certificate["status"] == "valid":
            return certificate["code"]
    raise SystemExit("the demo data has no valid certificate")


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(sql)


def bench_database(db: str, args) -> tuple[Run, list[Endpoint]]:
    data_dir = Path(tempfile.mkdtemp(prefix=f"lw-bench-serve-{db}-"))
    database_url = None
    if db == "pg":
        pg_admin(f"DROP DATABASE IF EXISTS {PG_DB}")
        pg_admin(f"CREATE DATABASE {PG_DB}")
        database_url = f"{PG_URL.rpartition('/')[0]}/{PG_DB}"
    env = base_env(data_dir, database_url)
    servers: list[subprocess.Popen] = []
    try:
        started = time.perf_counter()
        learnward(env, "deploy")
        code = valid_code(env)
        print(f"[{db}] deploy and demo in {time.perf_counter() - started:.0f} s; code {code}")

        workers = str(args.workers)
        bare_port = free_port()
        bare_log = data_dir / "bare.log"
        bare_cmd = [sys.executable, "-m", "gunicorn", "--workers", workers, "--bind"]
        bare_cmd += [f"{HOST}:{bare_port}", "--preload", "--keep-alive", "5"]
        bare_cmd += ["--worker-tmp-dir", "/dev/shm", "bench.bare_app:application"]  # noqa: S108
        servers.append(start(bare_cmd, env, bare_log))
        wait_for(bare_port, "/bare", servers[-1], bare_log)

        endpoints = []
        several = len(args.conn_max_age) > 1
        for cma in args.conn_max_age:
            port = free_port()
            log = data_dir / f"learnward-{cma}.log"
            server_env = env | {
                "LEARNWARD_BIND": f"{HOST}:{port}",
                "LEARNWARD_WEB_WORKERS": workers,
                "LEARNWARD_WEB_THREADS": "1",
                "LEARNWARD_DB_CONN_MAX_AGE": str(cma),
            }
            cmd = [sys.executable, "-c", "from learnward.cli import main; main()", "serve"]
            servers.append(start(cmd, server_env, log))
            wait_for(port, "/healthz", servers[-1], log)
            tag = f" [CONN_MAX_AGE={cma}]" if several else ""
            endpoints += [
                Endpoint(f"verification API{tag}", "API", port, f"/api/v1/certificates/{code}"),
                Endpoint(f"verification page{tag}", "page", port, f"/verify/{code}/"),
                Endpoint(f"catalog page{tag}", "catalog", port, "/courses/"),
            ]
            if cma == args.conn_max_age[0]:
                healthz = Endpoint("/healthz", "healthz", port, "/healthz")
        endpoints.append(healthz)

        for endpoint in endpoints:
            status, body = get(endpoint.port, endpoint.path)
            if status != 200:
                raise SystemExit(f"{endpoint.path}: HTTP {status}\n{body[:500]!r}")

        def measure(port: int, path: str, seconds: int) -> Run:
            return wrk(
                f"http://{HOST}:{port}{path}",
                duration=seconds,
                connections=args.connections,
                threads=args.wrk_threads,
            )

        for endpoint in endpoints:  # warm every worker's caches and connections
            measure(endpoint.port, endpoint.path, 1)
        measure(bare_port, "/bare", 1)

        bare_runs = [measure(bare_port, "/bare", args.duration)]
        for round_number in range(args.rounds):
            for endpoint in endpoints:
                run = measure(endpoint.port, endpoint.path, args.duration)
                after = measure(bare_port, "/bare", args.duration)
                endpoint.runs.append(run)
                endpoint.shares.append(run.rps / statistics.mean([bare_runs[-1].rps, after.rps]))
                bare_runs.append(after)
            print(f"[{db}] round {round_number + 1} of {args.rounds} done")
        bare = Run(
            statistics.median(r.rps for r in bare_runs),
            statistics.median(r.p99_ms for r in bare_runs),
            sum(r.errors for r in bare_runs),
        )
        bare.worst_p99 = max(r.p99_ms for r in bare_runs)
        return bare, endpoints
    finally:
        for server in reversed(servers):
            stop(server)
        if db == "pg":
            pg_admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        if args.keep:
            print(f"[{db}] data and server logs kept in {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def print_table(db: str, bare: Run, endpoints: list[Endpoint], args) -> None:
    name = {"sqlite": "SQLite", "pg": "PostgreSQL"}[db]
    print()
    print(
        f"{name}: {args.workers} sync workers, wrk {args.connections} connections, "
        f"{args.rounds} rounds of {args.duration:g} s"
    )
    head = (
        f"| {'endpoint':40} | {'req/s':>6} | {'p99 ms (worst)':>14} | {'share of bare (range)':>21} "
        f"| goal   | met? |"
    )
    print(head)
    print("|" + "|".join("-" * (len(cell)) for cell in head.split("|")[1:-1]) + "|")
    worst = f"{bare.p99_ms:.1f} ({bare.worst_p99:.1f})"
    print(
        f"| {'bare Django JSON view':40} | {bare.rps:6.0f} | {worst:>14} | {'1':>21} | {'':6} |      |"
    )
    for e in endpoints:
        rps = statistics.median(r.rps for r in e.runs)
        p99 = statistics.median(r.p99_ms for r in e.runs)
        worst = f"{p99:.1f} ({max(r.p99_ms for r in e.runs):.1f})"
        share = statistics.median(e.shares)
        spread = f"{share:.2f} ({min(e.shares):.2f}-{max(e.shares):.2f})"
        goal = GOALS[e.goal_key]
        met = share >= goal and p99 < P99_GOAL_MS
        errors = sum(r.errors for r in e.runs)
        note = f" {errors} failed" if errors else ""
        print(
            f"| {e.label:40} | {rps:6.0f} | {worst:>14} | {spread:>21} | >={goal:<4} | "
            f"{'yes' if met else 'no':4} |{note}"
        )
    print(f"(met: median share at least the goal and median p99 under {P99_GOAL_MS:g} ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "pg", "both"], default="both")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (both servers)")
    parser.add_argument(
        "--conn-max-age",
        default="600",
        help="LEARNWARD_DB_CONN_MAX_AGE values, comma-separated: one server per value",
    )
    parser.add_argument("--keep", action="store_true", help="keep the data directory and logs")
    args = parser.parse_args()
    args.conn_max_age = [int(v) for v in args.conn_max_age.split(",")]
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt install wrk)")
    databases = ["sqlite", "pg"] if args.db == "both" else [args.db]
    results = {db: bench_database(db, args) for db in databases}
    for db, (bare, endpoints) in results.items():
        print_table(db, bare, endpoints, args)


if __name__ == "__main__":
    main()
