"""A learning record store on 127.0.0.1, for tests. It stands in for a real LRS (none installs
from a package registry and runs on loopback quickly): it speaks the part of the xAPI 1.0.3
statements resource Learnward uses, ``PUT /statements?statementId=<uuid>``, and checks what a
real LRS checks there:

- the ``X-Experience-API-Version`` header (1.0.x), else 400;
- HTTP Basic authentication with the configured key and secret, else 401;
- a JSON statement whose ``id``, when present, equals ``statementId``, else 400;
- a second PUT of the same id: 204 when the statement is the same, 409 when it differs
  (xAPI 1.0.3, part three, 2.1.1).

It stores statements by id and records every request; ``statuses`` answers the next requests
with those statuses first (e.g. 503), before storing anything.
"""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class FakeLRS:
    key: str = "lrs-key"
    secret: str = "lrs-secret"
    statuses: list[int] = field(default_factory=list)
    statements: dict[str, dict] = field(default_factory=dict)
    requests: list[tuple[str, dict, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._server: ThreadingHTTPServer | None = None
        self._lock = threading.Lock()

    @property
    def endpoint(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/xapi"

    def start(self) -> FakeLRS:
        lrs = self
        expected = "Basic " + base64.b64encode(f"{self.key}:{self.secret}".encode()).decode()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format, *args):  # noqa: A002
                return

            def _answer(self, status: int) -> None:
                lrs.requests.append((self.path, dict(self.headers.items()), status))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.send_header("X-Experience-API-Version", "1.0.3")
                self.end_headers()

            def do_PUT(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                parts = urlsplit(self.path)
                with lrs._lock:
                    if lrs.statuses:
                        return self._answer(lrs.statuses.pop(0))
                    if parts.path != "/xapi/statements":
                        return self._answer(404)
                    if not (self.headers.get("X-Experience-API-Version") or "").startswith("1.0"):
                        return self._answer(400)
                    if self.headers.get("Authorization") != expected:
                        return self._answer(401)
                    statement_id = (parse_qs(parts.query).get("statementId") or [""])[0]
                    try:
                        statement = json.loads(raw)
                    except ValueError:
                        return self._answer(400)
                    if not statement_id or statement.get("id", statement_id) != statement_id:
                        return self._answer(400)
                    known = lrs.statements.get(statement_id)
                    if known is not None:
                        return self._answer(204 if known == statement else 409)
                    lrs.statements[statement_id] = statement
                    return self._answer(204)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
