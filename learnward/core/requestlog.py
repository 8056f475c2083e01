"""One JSON line per request, with no personal data; and the JSON formatter for every log line.

Each request gets an id: the one a trusted proxy sent in ``X-Request-ID`` when it looks like an id
(letters, digits, ``-``, ``_``, ``.``, at most 64), otherwise a new random one. The id goes back in
the response's ``X-Request-ID`` header, so a person reporting a problem can quote it, and onto every
log line written while the request runs.

The line names the URL *pattern* the request matched (``verify/<str:code>/``), never the path or
the query string, which can hold a certificate code, a token or an email address typed into a
search box. It carries the method, the status, the duration in milliseconds and the request id:
nothing about who made the request (no address, no user id, no user agent).
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import secrets
import time
from datetime import UTC, datetime

logger = logging.getLogger("learnward.request")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "current_request_id", default=""
)


def request_id_for(header: str | None) -> str:
    if header and _REQUEST_ID.match(header):
        return header
    return secrets.token_hex(8)


def route_of(request) -> str | None:
    match = getattr(request, "resolver_match", None)
    return match.route if match is not None else None


class RequestLogMiddleware:
    """Times the request and writes its line; put it just after the health-check middleware."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request_id = request_id_for(request.headers.get("X-Request-ID"))
        request.request_id = request_id
        token = current_request_id.set(request_id)
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response["X-Request-ID"] = request_id
            return response
        finally:
            logger.info(
                "request",
                extra={  # the request id is stamped on by stamp_request_ids
                    "method": request.method,
                    "route": route_of(request),
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            current_request_id.reset(token)


def stamp_request_ids() -> None:
    """Every log record created while a request runs carries that request's id (once per process)."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "stamps_request_ids", False):
        return

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        request_id = current_request_id.get()
        if request_id:
            record.request_id = request_id
        return record

    factory.stamps_request_ids = True
    logging.setLogRecordFactory(factory)


# Attributes every LogRecord has; anything else on a record was passed in ``extra``.
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class JSONFormatter(logging.Formatter):
    """A log record as one line of JSON: time, level, logger, message, request id and extras."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            line["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in line:
                line[key] = (
                    value if isinstance(value, str | int | float | bool | None) else str(value)
                )
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)
