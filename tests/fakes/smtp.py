"""A real SMTP server on loopback (aiosmtpd) for tests that must see what was actually sent."""

from __future__ import annotations

import email
import email.policy
import re
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller


@dataclass
class Received:
    envelope_from: str
    envelope_to: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""

    @property
    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part is not None else ""

    def links(self) -> list[str]:
        return re.findall(r"https?://[^\s\"'<>]+", self.text)


@dataclass
class _Handler:
    messages: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Addresses refused at RCPT TO with this reply (a mailbox that does not exist).
    refused: dict[str, str] = field(default_factory=dict)
    # While set, DATA waits before answering (a slow server); a client gone by then delivers nothing.
    holding: threading.Event = field(default_factory=threading.Event)
    waiting: threading.Event = field(default_factory=threading.Event)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        reply = self.refused.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.holding.is_set():
            import asyncio

            self.waiting.set()
            while self.holding.is_set():
                await asyncio.sleep(0.02)
            if server.transport is None or server.transport.is_closing():
                return "421 Connection lost before the message was accepted"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


class _EphemeralPortController(Controller):
    """aiosmtpd's start-up self-check connects to ``self.port``; with port 0 (any free port) it
    must first learn the port the OS picked, or the check is refused."""

    def _trigger_server(self):
        if not self.port and self.server is not None:
            self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class LoopbackSMTP:
    def __init__(self) -> None:
        self.handler = _Handler()
        self.controller = _EphemeralPortController(self.handler, hostname="127.0.0.1", port=0)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    @property
    def port(self) -> int:
        return self.controller.server.sockets[0].getsockname()[1]

    @property
    def messages(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.messages)

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address.lower() in [a.lower() for a in m.envelope_to]]

    def refuse(self, address: str, reply: str = "550 5.1.1 No such user here") -> None:
        """Refuse ``address`` at RCPT TO from now on (a 4xx reply is a temporary refusal)."""
        self.handler.refused[address.lower()] = reply

    def hold(self) -> threading.Event:
        """Make DATA wait until :meth:`release`; returns an event set once a message waits."""
        self.handler.waiting.clear()
        self.handler.holding.set()
        return self.handler.waiting

    def release(self) -> None:
        self.handler.holding.clear()

    def clear(self) -> None:
        with self.handler.lock:
            self.handler.messages.clear()
