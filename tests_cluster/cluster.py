"""The production topology on loopback, started for real (`make cluster-test`).

    HAProxy (TLS termination, health checks on /healthz)
      ├── node1: `learnward serve` (gunicorn, its own data directory)
      └── node2: `learnward serve` (gunicorn, its own data directory)
    two `learnward worker` processes
    PostgreSQL (a fresh database on the server at 127.0.0.1:5432, dropped afterwards)
    Redis (its own redis-server on a free port): cache, rate limits and sessions
    moto's S3 server, standing in for the object store (uploads, exports, erasure journal)
    an SMTP server (aiosmtpd) that receives every email

Every process binds to 127.0.0.1 on a free port and is stopped at the end. Nothing is shared
between the nodes but what production shares: the database, Redis, the bucket and the issuer key
(from the environment).
"""

from __future__ import annotations

import base64
import datetime
import ipaddress
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.processes import LEARNWARD, clean_environment, run_checked

POSTGRES = os.environ.get(
    "LEARNWARD_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check, *, timeout: float, what: str, every: float = 0.1):
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
        except Exception as exc:  # noqa: BLE001 - keep waiting, report the last error
            last_error = exc
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what} (last error: {last_error!r})")


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key as one PEM (for HAProxy) and the certificate alone
    (for the client to trust)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_pem = certificate.public_bytes(serialization.Encoding.PEM)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    bundle = directory / "haproxy.pem"
    bundle.write_bytes(cert_pem + key_pem)
    bundle.chmod(0o600)
    trusted = directory / "ca.pem"
    trusted.write_bytes(cert_pem)
    return bundle, trusted


HAPROXY_CONFIG = """\
global
    maxconn 512
    stats socket {socket} mode 600 level admin

defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    # A connection refused by a dead node is tried once more on the other one.
    retries 1
    option redispatch

frontend web
    bind 127.0.0.1:{port} ssl crt {pem}
    # TLS ends here: the nodes are told the request was HTTPS, and who the client was.
    http-request set-header X-Forwarded-Proto https
    option forwardfor
    default_backend nodes

backend nodes
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
    default-server inter 250ms fall 2 rise 2
    http-response set-header X-Node %[srv_name]
    server node1 127.0.0.1:{node1} check
    server node2 127.0.0.1:{node2} check
"""


@dataclass
class Cluster:
    root: Path
    smtp_port: int
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)
    database: str = ""

    # --- the environment every Learnward process shares ------------------------------------------

    def base_env(self) -> dict:
        return clean_environment(**self.shared)

    def node_env(self, name: str) -> dict:
        data = self.root / name
        data.mkdir(exist_ok=True)
        return {
            **self.base_env(),
            "LEARNWARD_DATA_DIR": str(data),
            "LEARNWARD_BIND": f"127.0.0.1:{self.ports.get(name, 0)}",
        }

    def learnward(self, *args: str, node: str = "admin", timeout: int = 300) -> str:
        env = self.node_env(node)
        done = run_checked([*LEARNWARD, *args], cwd=self.root, env=env, timeout=timeout)
        return done.stdout

    def shell(self, code: str) -> str:
        return self.learnward("shell", "-c", code)

    # --- starting and stopping ----------------------------------------------------------------

    def _spawn(self, name: str, command: list[str], env: dict | None = None) -> subprocess.Popen:
        log = (self.root / f"{name}.log").open("ab")
        process = subprocess.Popen(
            command,
            env=env or self.base_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: a kill reaches gunicorn's workers too
        )
        self.processes[name] = process
        return process

    def log(self, name: str) -> str:
        path = self.root / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def start(self) -> None:
        import boto3
        import psycopg

        for name in ("lb", "node1", "node2", "redis", "s3"):
            self.ports[name] = free_port()
        self.database = f"lw_cluster_{secrets.token_hex(4)}"
        with psycopg.connect(POSTGRES, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{self.database}"')
        pem, self.trusted_ca = self_signed_certificate(self.root)
        server_url = POSTGRES.rsplit("/", 1)[0]
        seed = base64.b64encode(secrets.token_bytes(32)).decode()
        self.base_url = f"https://127.0.0.1:{self.ports['lb']}"
        self.shared = {
            "LEARNWARD_ENV": "production",
            "LEARNWARD_SECRET_KEY": secrets.token_urlsafe(64),
            "LEARNWARD_ALLOWED_HOSTS": "127.0.0.1",
            "LEARNWARD_BASE_URL": self.base_url,
            "DATABASE_URL": f"{server_url}/{self.database}",
            "LEARNWARD_CACHE_URL": f"redis://127.0.0.1:{self.ports['redis']}/0",
            "LEARNWARD_SESSION_STORE": "cached_db",
            "LEARNWARD_S3_BUCKET": "learnward-cluster",
            "LEARNWARD_S3_ENDPOINT_URL": f"http://127.0.0.1:{self.ports['s3']}",
            "LEARNWARD_S3_REGION": "eu-west-2",
            "AWS_ACCESS_KEY_ID": "cluster-test",
            "AWS_SECRET_ACCESS_KEY": "cluster-test-secret",
            "LEARNWARD_ISSUER_KEY": seed,
            "LEARNWARD_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "LEARNWARD_EMAIL_HOST": "127.0.0.1",
            "LEARNWARD_EMAIL_PORT": str(self.smtp_port),
            "LEARNWARD_WEB_WORKERS": "2",
            "LEARNWARD_VERIFY_RATE_LIMIT": "20/day",
            "LEARNWARD_LOG_LEVEL": "WARNING",
        }

        self._spawn(
            "redis",
            [
                shutil.which("redis-server") or "redis-server",
                "--bind", "127.0.0.1", "--port", str(self.ports["redis"]),
                "--save", "", "--appendonly", "no",
            ],
        )  # fmt: skip
        self._spawn(
            "s3",
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.ports["s3"])],
        )
        s3 = boto3.client(
            "s3",
            endpoint_url=self.shared["LEARNWARD_S3_ENDPOINT_URL"],
            region_name="eu-west-2",
            aws_access_key_id="cluster-test",
            aws_secret_access_key="cluster-test-secret",
        )
        wait_for(
            lambda: s3.create_bucket(
                Bucket="learnward-cluster",
                CreateBucketConfiguration={"LocationConstraint": "eu-west-2"},
            ),
            timeout=60,
            what="moto's S3 server",
        )
        self.s3 = s3

        # One release: migrate once, collect static files on each node, the demo once.
        self.learnward("deploy", node="node1")
        self.learnward("collectstatic", "--noinput", node="node2")
        self.learnward("demo", node="node1")

        for node in ("node1", "node2"):
            self.start_node(node)
        for number in (1, 2):
            self._spawn(
                f"worker{number}",
                [
                    *LEARNWARD, "worker",
                    "--interval", "0.2", "--no-startup-delay",
                ],
                env=self.node_env(f"worker{number}"),
            )  # fmt: skip
        config = self.root / "haproxy.cfg"
        config.write_text(
            HAPROXY_CONFIG.format(
                socket=self.root / "haproxy.sock",
                port=self.ports["lb"],
                pem=pem,
                node1=self.ports["node1"],
                node2=self.ports["node2"],
            )
        )
        self._spawn(
            "lb", [shutil.which("haproxy") or "/usr/sbin/haproxy", "-f", str(config), "-db"]
        )
        wait_for(
            lambda: self.server_states() == {"node1": "UP", "node2": "UP"},
            timeout=60,
            what="HAProxy to see both nodes up",
        )

    def start_node(self, node: str) -> None:
        self._spawn(
            node,
            [*LEARNWARD, "serve"],
            env=self.node_env(node),
        )
        port = self.ports[node]
        wait_for(
            lambda: _http_status(port, "/healthz") == 200,
            timeout=60,
            what=f"{node} to answer /healthz:\n{self.log(node)[-2000:]}",
        )

    def kill(self, name: str) -> None:
        process = self.processes[name]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for process in self.processes.values():
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)
        if self.database:
            import psycopg

            with psycopg.connect(POSTGRES, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    # --- looking inside ---------------------------------------------------------------------------

    def server_states(self) -> dict[str, str]:
        """HAProxy's view of the nodes: {"node1": "UP" | "DOWN" | ...}."""
        with socket.socket(socket.AF_UNIX) as stats:
            stats.connect(str(self.root / "haproxy.sock"))
            stats.sendall(b"show stat\n")
            data = b""
            while chunk := stats.recv(65536):
                data += chunk
        states = {}
        for line in data.decode().splitlines():
            parts = line.split(",")
            if len(parts) > 17 and parts[0] == "nodes" and parts[1].startswith("node"):
                states[parts[1]] = parts[17].split()[0]
        return states

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.shared["DATABASE_URL"]) as connection:
            return connection.execute(sql, params).fetchall()

    def bucket_keys(self) -> list[str]:
        listing = self.s3.list_objects_v2(Bucket="learnward-cluster")
        return [item["Key"] for item in listing.get("Contents", [])]


def _http_status(port: int, path: str) -> int:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    finally:
        connection.close()


def json_of(text: str):
    return json.loads(text)
