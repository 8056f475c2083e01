"""A small OpenAI-compatible chat-completions server on 127.0.0.1, for tests.

It stands in for a real model, which cannot run on these machines. It speaks enough of the
protocol for the real `openai` client (POST /v1/chat/completions, JSON in and out, usage counts)
and records every request it receives, headers and body, so tests can assert exactly what left
the platform.

Modes: "answer" (default; replies with ``reply``, which may use {n_passages}), "slow" (holds the
request until released or ``slow_seconds`` pass, so the client times out), "error" (HTTP 500),
"rate_limit" (HTTP 429 with Retry-After), "garbage" (200 with a body that is not JSON).
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODES = ("answer", "slow", "error", "rate_limit", "garbage")


@dataclass
class RecordedRequest:
    path: str
    headers: dict[str, str]
    body: dict
    raw: str

    @property
    def messages(self) -> list[dict]:
        return self.body.get("messages", [])

    @property
    def text(self) -> str:
        """Everything that left the platform in this request: raw body plus header values."""
        return self.raw + "\n" + "\n".join(f"{k}: {v}" for k, v in self.headers.items())


@dataclass
class FakeLLM:
    mode: str = "answer"
    reply: str = "Keep the data you collect to what you need [1]. Review it regularly [2]."
    slow_seconds: float = 5.0
    requests: list[RecordedRequest] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._release = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        assert self._server is not None
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def set_mode(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        self.mode = mode

    def start(self) -> FakeLLM:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format, *args):  # noqa: A002  (keep test output quiet)
                return

            def _send(self, status: int, payload: bytes, *, extra: dict | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for key, value in (extra or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                try:
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (the "slow" mode's whole point)

            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = {}
                fake.requests.append(
                    RecordedRequest(self.path, dict(self.headers.items()), body, raw)
                )
                if self.path.rstrip("/") != "/v1/chat/completions":
                    self._send(404, json.dumps({"error": {"message": "not found"}}).encode())
                    return
                if fake.mode == "slow":
                    fake._release.wait(fake.slow_seconds)
                    self._send(200, fake._completion(body))
                elif fake.mode == "error":
                    error = {"error": {"message": "internal error", "type": "server_error"}}
                    self._send(500, json.dumps(error).encode())
                elif fake.mode == "rate_limit":
                    error = {"error": {"message": "rate limited", "type": "rate_limit_error"}}
                    self._send(429, json.dumps(error).encode(), extra={"Retry-After": "1"})
                elif fake.mode == "garbage":
                    self._send(200, b"<html>not json</html>")
                else:
                    self._send(200, fake._completion(body))

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def _completion(self, body: dict) -> bytes:
        prompt = " ".join(str(m.get("content", "")) for m in body.get("messages", []))
        n_passages = len(set(re.findall(r"^\[(\d+)\]", prompt, flags=re.MULTILINE)))
        content = self.reply.format(n_passages=n_passages)
        prompt_tokens = len(prompt.split())
        completion_tokens = len(content.split())
        return json.dumps(
            {
                "id": f"chatcmpl-fake-{len(self.requests)}",
                "object": "chat.completion",
                "created": 1_700_000_000,
                "model": body.get("model", "fake-model"),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {
                    "prompt_tokens": prompt_tokens,
                    "completion_tokens": completion_tokens,
                    "total_tokens": prompt_tokens + completion_tokens,
                },
            }
        ).encode()

    def sent_text(self) -> str:
        """All text every recorded request carried, for 'no personal data left' assertions."""
        return "\n".join(r.text for r in self.requests)
