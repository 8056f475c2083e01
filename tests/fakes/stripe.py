"""A loopback stand-in for Stripe's API on 127.0.0.1, for tests.

Stripe cannot be reached from these machines, so this server speaks enough of Stripe's v1 wire
protocol for the official ``stripe`` library (v16) to talk to it unchanged::

    fake = FakeStripe(webhook_url=live_server.url + "/payments/stripe/webhook/").start()
    client = stripe.StripeClient(
        "sk_test_fake", base_addresses={"api": fake.base_url}, max_network_retries=0
    )
    # or simply: client = fake.client()

What it implements (bodies are form-encoded with bracketed keys, as the library sends them;
answers are JSON; errors are ``{"error": {"type", "message", "code", "param"}}`` with the HTTP
status the library maps to its exception classes: 400/404 -> ``InvalidRequestError``,
401 -> ``AuthenticationError``):

- every ``/v1`` request needs ``Authorization: Bearer <secret_key>``, else 401;
- ``POST /v1/checkout/sessions`` (mode=payment with ``line_items[i][price_data]``), validated;
- ``GET /v1/checkout/sessions/{id}`` with ``expand[]`` of ``payment_intent``,
  ``payment_intent.latest_charge`` and ``line_items``;
  ``POST /v1/checkout/sessions/{id}/expire``;
- ``GET /v1/payment_intents/{id}`` (``expand[]=latest_charge``), ``GET /v1/charges/{id}``;
- ``POST /v1/refunds`` (``payment_intent`` or ``charge``, optional ``amount``),
  ``GET /v1/refunds/{id}``;
- ``Idempotency-Key`` on every POST: the same key with the same request replays the first
  answer (header ``Idempotent-Replayed: true``); the same key with different parameters is a
  400 ``idempotency_error``. The library sends a fresh key on every POST unless given one.

Deviations from Stripe worth knowing: sessions never expire by themselves (use ``expire()``);
refunds succeed at once and send no ``charge.refunded`` event (build one with ``make_event``);
an over-refund is a 400 with ``param="amount"`` and no ``code`` (a fully refunded charge gets
code ``charge_already_refunded``); a bad or missing API key is a 401 whose error ``type`` is
``invalid_request_error``, as Stripe itself answers (the library raises ``AuthenticationError``
from the status).

The hosted payment page (stand-in for checkout.stripe.com) lives at ``session.url``,
``{base_url}/pay/{id}``: GET shows an accessible page with a "Pay" button and a "Cancel" link;
POST pays the session (card visa 4242), delivers ``checkout.session.completed`` to
``webhook_url`` according to ``deliver_mode`` ("sync": once, before answering; "twice": the
same event twice; "none": not at all, though the event is still kept in ``events``), then
answers 303 to ``success_url`` with ``{CHECKOUT_SESSION_ID}`` filled in. Paying a paid session
again redirects without charging or delivering again; an expired one answers 409. As on Stripe,
``url`` is null once a session is no longer open. ``expire()`` and
``POST /v1/checkout/sessions/{id}/expire`` deliver ``checkout.session.expired`` the same way.

The library writes a telemetry id under ~/.config/stripe unless ``stripe.enable_telemetry`` is
False; tests may want to monkeypatch that off.

Webhook signatures come from the library itself: ``sign()`` calls
``stripe.WebhookSignature.generate_signature_header`` (``t=<ts>,v1=<HMAC-SHA256 of
"<ts>.<payload>">``), so whatever ``stripe.Webhook.construct_event`` accepts, this produces.
Webhook deliveries and ``pay()`` use urllib with proxies disabled.
"""

from __future__ import annotations

import copy
import html
import json
import re
import secrets
import socket
import string
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import stripe

DELIVER_MODES = ("sync", "none", "twice")
API_VERSION = stripe.api_version

# Parameters POST /v1/checkout/sessions accepts. Those not in _SESSION_USED are stored nowhere
# and ignored, so a consumer may send them; anything else is "Received unknown parameter".
_SESSION_USED = {
    "mode",
    "line_items",
    "success_url",
    "cancel_url",
    "client_reference_id",
    "customer_email",
    "metadata",
    "expires_at",
    "expand",
}
_SESSION_IGNORED = {
    "payment_method_types",
    "locale",
    "submit_type",
    "payment_intent_data",
    "billing_address_collection",
    "allow_promotion_codes",
    "customer_creation",
    "invoice_creation",
    "phone_number_collection",
    "custom_text",
}
_REFUND_PARAMS = {"payment_intent", "charge", "amount", "reason", "metadata", "expand"}
_REFUND_REASONS = {"duplicate", "fraudulent", "requested_by_customer"}
_CURRENCY_SYMBOLS = {"gbp": "£", "usd": "$", "eur": "€", "aud": "A$", "cad": "CA$"}
_ZERO_DECIMAL = {"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx"}
_ID_CHARS = string.ascii_letters + string.digits


def _new_id(prefix: str) -> str:
    return prefix + "".join(secrets.choice(_ID_CHARS) for _ in range(24))


def format_amount(amount: int, currency: str) -> str:
    """Stripe's minor units as people read them: 1250, "gbp" -> "£12.50"."""
    currency = currency.lower()
    if currency in _ZERO_DECIMAL:
        number = f"{amount:,}"
    else:
        number = f"{amount // 100:,}.{amount % 100:02d}"
    symbol = _CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{number}" if symbol else f"{number} {currency.upper()}"


def decode_form(pairs: list[tuple[str, str]]) -> dict:
    """Turn Stripe's bracketed form keys into nested data.

    ``line_items[0][price_data][unit_amount]=1250`` -> ``{"line_items": [{"price_data":
    {"unit_amount": "1250"}}]}``; ``expand[]=a`` and ``expand[0]=a`` both give lists. Values
    stay strings, as on the wire. Keys under ``metadata`` are never read as list indexes.
    """
    root: dict = {}
    for key, value in pairs:
        match = re.fullmatch(r"([^\[\]]+)((?:\[[^\[\]]*\])*)", key)
        parts = [match.group(1), *re.findall(r"\[([^\[\]]*)\]", match.group(2))] if match else [key]
        node = root
        for depth, part in enumerate(parts):
            if part == "":
                part = str(len(node))
            if depth == len(parts) - 1:
                node[part] = value
            else:
                child = node.setdefault(part, {})
                if not isinstance(child, dict):
                    raise ValueError(f"Invalid array or hash for parameter {key!r}")
                node = child
    return _listify(root, "")


def _listify(node: Any, key: str) -> Any:
    if not isinstance(node, dict):
        return node
    items = {k: _listify(v, k) for k, v in node.items()}
    if items and key != "metadata" and all(k.isdigit() for k in items):
        return [items[k] for k in sorted(items, key=int)]
    return items


class StripeError(Exception):
    """An answer the API gives as a Stripe error object."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str = "invalid_request_error",  # noqa: A002  (Stripe's field name)
        code: str | None = None,
        param: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.body: dict[str, Any] = {"type": type, "message": message}
        if code is not None:
            self.body["code"] = code
        if param is not None:
            self.body["param"] = param


def _missing(param: str) -> StripeError:
    return StripeError(
        400, f"Missing required param: {param}.", code="parameter_missing", param=param
    )


def _positive_int(value: Any, param: str, *, allow_zero: bool = False) -> int:
    text = str(value)
    if not re.fullmatch(r"-?\d+", text):
        raise StripeError(
            400,
            f"Invalid integer: {text}",
            code="parameter_invalid_integer",
            param=param,
        )
    number = int(text)
    if number < 0 or (number == 0 and not allow_zero):
        raise StripeError(
            400,
            f"This value must be greater than {'or equal to ' if allow_zero else ''}"
            f"{0 if allow_zero else 1}.",
            code="parameter_invalid_integer",
            param=param,
        )
    return number


@dataclass
class RecordedRequest:
    method: str
    path: str  # without the query string
    query: str
    headers: dict[str, str]
    params: dict  # decoded form body (POST) or query (GET), nested
    raw: str  # the raw body

    def header(self, name: str) -> str | None:
        """A header's value, whatever case it was sent in."""
        lowered = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == lowered), None)


@dataclass
class Delivery:
    url: str
    event: dict
    payload: str
    signature: str
    status: int  # 0 when the receiver could not be reached
    body: str  # the receiver's answer, or the connection error


@dataclass
class FakeStripe:
    secret_key: str = "sk_test_fake"
    webhook_secret: str = "whsec_fake"
    webhook_url: str | None = None
    deliver_mode: str = "sync"
    requests: list[RecordedRequest] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._sessions: dict[str, dict] = {}
        self._line_items: dict[str, list[dict]] = {}
        self._payment_intents: dict[str, dict] = {}
        self._charges: dict[str, dict] = {}
        self._refunds: dict[str, dict] = {}
        # Idempotency-Key -> (method, path, raw body, status, answer)
        self._idempotent: dict[str, tuple[str, str, str, int, bytes]] = {}
        self._connections: set[socket.socket] = set()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        assert self._server is not None, "start() the fake first"
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self, api_key: str | None = None, **options: Any) -> stripe.StripeClient:
        """A StripeClient pointed at this fake (no retries, unless ``max_network_retries``)."""
        options.setdefault("max_network_retries", 0)
        return stripe.StripeClient(
            api_key or self.secret_key, base_addresses={"api": self.base_url}, **options
        )

    def start(self) -> FakeStripe:
        if self.deliver_mode not in DELIVER_MODES:
            raise ValueError(f"unknown deliver_mode {self.deliver_mode!r}")
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format, *args):  # noqa: A002  (keep test output quiet)
                return

            def setup(self):
                super().setup()
                with fake._lock:
                    fake._connections.add(self.connection)

            def finish(self):
                with fake._lock:
                    fake._connections.discard(self.connection)
                super().finish()

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8") if length else ""
                status, headers, payload = fake._dispatch(
                    self.command, self.path, dict(self.headers.items()), raw
                )
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                try:
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = _handle  # noqa: N815

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-stripe",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:  # idle keep-alive connections would otherwise linger
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> FakeStripe:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- inspecting state -----------------------------------------------------------------------

    def session(self, session_id: str, *, expand: list[str] | tuple[str, ...] = ()) -> dict:
        """The checkout session as the API would show it now (a copy)."""
        with self._lock:
            if session_id not in self._sessions:
                raise KeyError(session_id)
            return self._render_session(session_id, list(expand))

    def payment_intent(self, payment_intent_id: str, *, expand: bool = False) -> dict:
        with self._lock:
            return self._render_payment_intent(payment_intent_id, expand)

    def charge(self, charge_id: str) -> dict:
        with self._lock:
            return copy.deepcopy(self._charges[charge_id])

    # -- events and webhooks --------------------------------------------------------------------

    def make_event(self, type: str, data_object: dict) -> dict:  # noqa: A002
        """A Stripe event wrapping a copy of ``data_object``; also kept in ``events``."""
        event = {
            "id": _new_id("evt_"),
            "object": "event",
            "api_version": API_VERSION,
            "created": int(time.time()),
            "data": {"object": copy.deepcopy(data_object)},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": type,
        }
        with self._lock:
            self.events.append(event)
        return event

    def sign(
        self, payload: str | bytes, secret: str | None = None, timestamp: int | None = None
    ) -> str:
        """A ``Stripe-Signature`` header value for ``payload``, by the library's own signer."""
        if isinstance(payload, bytes):
            payload = payload.decode("utf-8")
        return stripe.WebhookSignature.generate_signature_header(
            payload, secret if secret is not None else self.webhook_secret, timestamp
        )

    def deliver(
        self,
        event: dict,
        url: str | None = None,
        *,
        secret: str | None = None,
        timestamp: int | None = None,
    ) -> tuple[int, str]:
        """POST ``event`` as Stripe does, signed; return (status, body); record a Delivery.

        Status is 0 (and body the error) when the receiver cannot be reached.
        """
        target = url or self.webhook_url
        if not target:
            raise ValueError("no url given and no webhook_url set")
        payload = json.dumps(event, indent=2)
        signature = self.sign(payload, secret, timestamp)
        request = urllib.request.Request(
            target,
            data=payload.encode("utf-8"),
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Stripe-Signature": signature,
                "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
                "Cache-Control": "no-cache",
            },
        )
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(request, timeout=10) as response:
                status, body = response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read().decode("utf-8", "replace")
        except (urllib.error.URLError, OSError) as error:
            status, body = 0, str(error)
        with self._lock:
            self.deliveries.append(Delivery(target, event, payload, signature, status, body))
        return status, body

    def _auto_deliver(self, event: dict) -> None:
        if not self.webhook_url or self.deliver_mode == "none":
            return
        for _ in range(2 if self.deliver_mode == "twice" else 1):
            self.deliver(event)

    def expire(self, session_id: str) -> dict:
        """Expire an open session and deliver ``checkout.session.expired``; return the event."""
        with self._lock:
            session = self._sessions[session_id]
            if session["status"] != "open":
                raise ValueError(f"session {session_id} is {session['status']}, not open")
            self._expire_locked(session)
            rendered = self._render_session(session_id, [])
        event = self.make_event("checkout.session.expired", rendered)
        self._auto_deliver(event)
        return event

    def pay(self, session_id: str) -> tuple[int, str | None]:
        """Press "Pay" on the hosted page over HTTP; return (status, Location) unfollowed."""

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect)
        request = urllib.request.Request(f"{self.base_url}/pay/{session_id}", data=b"")
        try:
            with opener.open(request, timeout=10) as response:
                return response.status, response.headers.get("Location")
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location")

    # -- the HTTP side --------------------------------------------------------------------------

    def _dispatch(
        self, method: str, target: str, headers: dict[str, str], raw: str
    ) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(target)
        path = parts.path
        wire = raw if method == "POST" else parts.query
        try:
            params = decode_form(parse_qsl(wire, keep_blank_values=True))
        except ValueError as error:
            params = {}
            bad_form: str | None = str(error)
        else:
            bad_form = None
        with self._lock:
            self.requests.append(RecordedRequest(method, path, parts.query, headers, params, raw))
        if path.startswith("/pay/"):
            return self._hosted_page(method, path.removeprefix("/pay/"))
        if not path.startswith("/v1/"):
            return 404, {"Content-Type": "text/plain; charset=utf-8"}, b"Not found\n"

        lowered = {k.lower(): v for k, v in headers.items()}
        key = lowered.get("idempotency-key") if method == "POST" else None
        answer_headers = {
            "Content-Type": "application/json",
            "Request-Id": _new_id("req_"),
            "Stripe-Version": lowered.get("stripe-version", API_VERSION),
        }
        if key:
            answer_headers["Idempotency-Key"] = key
        try:
            self._authenticate(lowered.get("authorization"))
            if bad_form:
                raise StripeError(400, bad_form)
            with self._lock:
                if key and key in self._idempotent:
                    first_method, first_path, first_raw, status, body = self._idempotent[key]
                    if (first_method, first_path, first_raw) != (method, path, raw):
                        raise StripeError(
                            400,
                            "Keys for idempotent requests can only be used with the same "
                            "parameters they were first used with. Try using a key other than "
                            f"'{key}' if you meant to execute a different request.",
                            type="idempotency_error",
                        )
                    answer_headers["Idempotent-Replayed"] = "true"
                    return status, answer_headers, body
                try:
                    status, result, event = self._api(method, path, params)
                    body = json.dumps(result, indent=2).encode()
                except StripeError as error:
                    status, event = error.status, None
                    body = json.dumps({"error": error.body}, indent=2).encode()
                if key:
                    self._idempotent[key] = (method, path, raw, status, body)
        except StripeError as error:
            return error.status, answer_headers, json.dumps({"error": error.body}).encode()
        if event is not None:
            self._auto_deliver(self.make_event(*event))
        return status, answer_headers, body

    def _authenticate(self, authorization: str | None) -> None:
        if not authorization:
            raise StripeError(
                401,
                "You did not provide an API key. You need to provide your API key in the "
                "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer "
                "YOUR_SECRET_KEY').",
            )
        scheme, _, key = authorization.partition(" ")
        if scheme.lower() != "bearer" or not secrets.compare_digest(
            key.strip().encode(), self.secret_key.encode()
        ):
            shown = key.strip()
            masked = shown[:8] + "*" * max(len(shown) - 12, 0) + shown[-4:]
            raise StripeError(401, f"Invalid API Key provided: {masked}")

    def _api(self, method: str, path: str, params: dict) -> tuple[int, dict, tuple | None]:
        """Route one authenticated API call; runs under the lock. Returns (status, body, event
        to deliver after the lock is released, as (type, object), or None)."""
        expand = params.get("expand") or []
        if isinstance(expand, str):
            expand = [expand]
        if method == "POST" and path == "/v1/checkout/sessions":
            return 200, self._create_session(params), None
        if match := re.fullmatch(r"/v1/checkout/sessions/([^/]+)", path):
            if method == "GET":
                return 200, self._render_session(self._get_session(match[1]), expand), None
        if match := re.fullmatch(r"/v1/checkout/sessions/([^/]+)/expire", path):
            if method == "POST":
                session = self._sessions.get(self._get_session(match[1]))
                if session["status"] != "open":
                    raise StripeError(
                        400,
                        "Only Checkout Sessions with a status in ['open'] can be expired. "
                        f"This Checkout Session has a status of '{session['status']}'.",
                    )
                self._expire_locked(session)
                rendered = self._render_session(session["id"], expand)
                return 200, rendered, ("checkout.session.expired", rendered)
        if match := re.fullmatch(r"/v1/payment_intents/([^/]+)", path):
            if method == "GET":
                self._check_expand(expand, {"latest_charge"})
                if match[1] not in self._payment_intents:
                    raise self._no_such("payment_intent", match[1], status=404)
                return 200, self._render_payment_intent(match[1], "latest_charge" in expand), None
        if match := re.fullmatch(r"/v1/charges/([^/]+)", path):
            if method == "GET":
                if match[1] not in self._charges:
                    raise self._no_such("charge", match[1], status=404)
                return 200, copy.deepcopy(self._charges[match[1]]), None
        if method == "POST" and path == "/v1/refunds":
            return 200, self._create_refund(params), None
        if match := re.fullmatch(r"/v1/refunds/([^/]+)", path):
            if method == "GET":
                if match[1] not in self._refunds:
                    raise self._no_such("refund", match[1], status=404)
                return 200, copy.deepcopy(self._refunds[match[1]]), None
        raise StripeError(
            404,
            f"Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs "
            "or we can help at https://support.stripe.com/.",
        )

    @staticmethod
    def _no_such(kind: str, object_id: str, *, status: int, param: str | None = None):
        return StripeError(
            status, f"No such {kind}: '{object_id}'", code="resource_missing", param=param or "id"
        )

    @staticmethod
    def _check_expand(expand: list, allowed: set[str]) -> None:
        for index, item in enumerate(expand):
            if item not in allowed:
                raise StripeError(
                    400,
                    f"This property cannot be expanded ({item}).",
                    param=f"expand[{index}]",
                )

    def _get_session(self, session_id: str) -> str:
        if session_id not in self._sessions:
            raise self._no_such("checkout.session", session_id, status=404)
        return session_id

    # -- checkout sessions ----------------------------------------------------------------------

    def _create_session(self, params: dict) -> dict:
        for name in params:
            if name not in _SESSION_USED | _SESSION_IGNORED:
                raise StripeError(400, f"Received unknown parameter: {name}", param=name)
        mode = params.get("mode")
        if not mode:
            raise _missing("mode")
        if mode not in ("payment", "setup", "subscription"):
            raise StripeError(
                400,
                f"Invalid mode: must be one of payment, setup, or subscription (got {mode!r})",
                code="parameter_invalid_string",
                param="mode",
            )
        if mode != "payment":
            raise StripeError(400, "This fake supports only mode=payment.", param="mode")
        success_url = params.get("success_url")
        if not success_url:
            raise _missing("success_url")
        for name in ("success_url", "cancel_url"):
            url = params.get(name)
            if url is not None and not re.match(r"https?://[^/\s]+", url):
                raise StripeError(400, "Not a valid URL", code="url_invalid", param=name)
        line_items = params.get("line_items")
        if not line_items:
            raise StripeError(
                400,
                "`line_items` is required in `payment` mode.",
                code="parameter_missing",
                param="line_items",
            )
        if not isinstance(line_items, list):
            raise StripeError(400, "Invalid array", param="line_items")
        items = [self._line_item(i, item) for i, item in enumerate(line_items)]
        currencies = {item["currency"] for item in items}
        if len(currencies) > 1:
            raise StripeError(
                400,
                "All `line_items` must use the same currency.",
                param="line_items",
            )
        metadata = self._metadata(params.get("metadata"))
        created = int(time.time())
        expires_at = created + 24 * 3600
        if params.get("expires_at") not in (None, ""):
            expires_at = _positive_int(params["expires_at"], "expires_at")
            if expires_at < created + 30 * 60:
                raise StripeError(
                    400,
                    "The `expires_at` timestamp must be at least 30 minutes from Checkout "
                    "Session creation.",
                    param="expires_at",
                )
            if expires_at > created + 24 * 3600:
                raise StripeError(
                    400,
                    "The `expires_at` timestamp must be less than 24 hours from Checkout "
                    "Session creation.",
                    param="expires_at",
                )
        expand = params.get("expand") or []
        self._check_expand(expand, {"payment_intent", "payment_intent.latest_charge", "line_items"})
        total = sum(item["amount_total"] for item in items)
        session_id = _new_id("cs_test_")
        self._sessions[session_id] = {
            "id": session_id,
            "object": "checkout.session",
            "amount_subtotal": total,
            "amount_total": total,
            "cancel_url": params.get("cancel_url"),
            "client_reference_id": params.get("client_reference_id"),
            "created": created,
            "currency": items[0]["currency"],
            "customer": None,
            "customer_details": None,
            "customer_email": params.get("customer_email"),
            "expires_at": expires_at,
            "livemode": False,
            "metadata": metadata,
            "mode": "payment",
            "payment_intent": None,
            "payment_method_types": ["card"],
            "payment_status": "unpaid",
            "status": "open",
            "success_url": success_url,
            "url": None,  # filled in by _render_session while the session is open
        }
        for item in items:
            item["id"] = _new_id("li_")
        self._line_items[session_id] = items
        return self._render_session(session_id, expand)

    def _line_item(self, index: int, item: Any) -> dict:
        prefix = f"line_items[{index}]"
        if not isinstance(item, dict):
            raise StripeError(400, "Invalid hash", param=prefix)
        if "price" in item:
            raise self._no_such("price", str(item["price"]), status=400, param=f"{prefix}[price]")
        price_data = item.get("price_data")
        if not isinstance(price_data, dict):
            raise StripeError(
                400,
                "You must specify either `price` or `price_data` for each line item.",
                code="parameter_missing",
                param=f"{prefix}[price_data]",
            )
        currency = price_data.get("currency")
        if not currency:
            raise _missing(f"{prefix}[price_data][currency]")
        if not re.fullmatch(r"[A-Za-z]{3}", currency):
            raise StripeError(
                400,
                f"Invalid currency: {currency}.",
                code="parameter_invalid_string",
                param=f"{prefix}[price_data][currency]",
            )
        if price_data.get("unit_amount") in (None, ""):
            raise _missing(f"{prefix}[price_data][unit_amount]")
        unit_amount = _positive_int(price_data["unit_amount"], f"{prefix}[price_data][unit_amount]")
        product_data = price_data.get("product_data")
        if not isinstance(product_data, dict) or not product_data.get("name"):
            raise _missing(f"{prefix}[price_data][product_data][name]")
        if item.get("quantity") in (None, ""):
            raise _missing(f"{prefix}[quantity]")
        quantity = _positive_int(item["quantity"], f"{prefix}[quantity]")
        return {
            "object": "item",
            "amount_subtotal": unit_amount * quantity,
            "amount_total": unit_amount * quantity,
            "currency": currency.lower(),
            "description": product_data["name"],
            "price": {
                "id": _new_id("price_"),
                "object": "price",
                "currency": currency.lower(),
                "unit_amount": unit_amount,
                "product": _new_id("prod_"),
            },
            "quantity": quantity,
        }

    @staticmethod
    def _metadata(metadata: Any) -> dict:
        if metadata in (None, ""):
            return {}
        if not isinstance(metadata, dict):
            raise StripeError(400, "Invalid hash", param="metadata")
        if len(metadata) > 50:
            raise StripeError(400, "Metadata can have at most 50 keys.", param="metadata")
        for key, value in metadata.items():
            if len(key) > 40:
                raise StripeError(
                    400, "Metadata keys can be at most 40 characters.", param=f"metadata[{key}]"
                )
            if not isinstance(value, str) or len(value) > 500:
                raise StripeError(
                    400,
                    "Metadata values must be strings of at most 500 characters.",
                    param=f"metadata[{key}]",
                )
        return {k: v for k, v in metadata.items() if v != ""}

    def _render_session(self, session_id: str, expand: list[str]) -> dict:
        self._check_expand(expand, {"payment_intent", "payment_intent.latest_charge", "line_items"})
        session = copy.deepcopy(self._sessions[session_id])
        if session["status"] == "open":
            session["url"] = f"{self.base_url}/pay/{session_id}"
        pi_id = session["payment_intent"]
        if pi_id and ("payment_intent" in expand or "payment_intent.latest_charge" in expand):
            session["payment_intent"] = self._render_payment_intent(
                pi_id, "payment_intent.latest_charge" in expand
            )
        if "line_items" in expand:
            session["line_items"] = {
                "object": "list",
                "data": copy.deepcopy(self._line_items[session_id]),
                "has_more": False,
                "url": f"/v1/checkout/sessions/{session_id}/line_items",
            }
        return session

    def _expire_locked(self, session: dict) -> None:
        session["status"] = "expired"

    # -- payments and refunds -------------------------------------------------------------------

    def _render_payment_intent(self, pi_id: str, expand_charge: bool) -> dict:
        intent = copy.deepcopy(self._payment_intents[pi_id])
        if expand_charge and intent["latest_charge"]:
            intent["latest_charge"] = copy.deepcopy(self._charges[intent["latest_charge"]])
        return intent

    def _pay_locked(self, session: dict) -> None:
        now = int(time.time())
        pi_id, charge_id = _new_id("pi_"), _new_id("ch_")
        amount, currency = session["amount_total"], session["currency"]
        self._charges[charge_id] = {
            "id": charge_id,
            "object": "charge",
            "amount": amount,
            "amount_captured": amount,
            "amount_refunded": 0,
            "captured": True,
            "created": now,
            "currency": currency,
            "livemode": False,
            "metadata": {},
            "paid": True,
            "payment_intent": pi_id,
            "payment_method": _new_id("pm_"),
            "payment_method_details": {
                "type": "card",
                "card": {
                    "brand": "visa",
                    "country": "GB",
                    "exp_month": 12,
                    "exp_year": time.gmtime(now).tm_year + 3,
                    "funding": "credit",
                    "last4": "4242",
                },
            },
            "refunded": False,
            "status": "succeeded",
        }
        self._payment_intents[pi_id] = {
            "id": pi_id,
            "object": "payment_intent",
            "amount": amount,
            "amount_capturable": 0,
            "amount_received": amount,
            "created": now,
            "currency": currency,
            "latest_charge": charge_id,
            "livemode": False,
            "metadata": {},
            "payment_method_types": ["card"],
            "status": "succeeded",
        }
        session.update(
            status="complete",
            payment_status="paid",
            payment_intent=pi_id,
            customer_details={"email": session["customer_email"], "name": None},
        )

    def _create_refund(self, params: dict) -> dict:
        for name in params:
            if name not in _REFUND_PARAMS:
                raise StripeError(400, f"Received unknown parameter: {name}", param=name)
        pi_id, charge_id = params.get("payment_intent"), params.get("charge")
        if not pi_id and not charge_id:
            raise StripeError(
                400,
                "One of the following params should be provided for this request: "
                "payment_intent or charge.",
                code="parameter_missing",
            )
        if pi_id:
            if pi_id not in self._payment_intents:
                raise self._no_such("payment_intent", pi_id, status=400, param="payment_intent")
            charge_id = self._payment_intents[pi_id]["latest_charge"]
        elif charge_id not in self._charges:
            raise self._no_such("charge", charge_id, status=400, param="charge")
        charge = self._charges[charge_id]
        remaining = charge["amount"] - charge["amount_refunded"]
        if remaining <= 0:
            raise StripeError(
                400,
                f"Charge {charge_id} has already been refunded.",
                code="charge_already_refunded",
            )
        amount = remaining
        if params.get("amount") not in (None, ""):
            amount = _positive_int(params["amount"], "amount")
        if amount > remaining:
            currency = charge["currency"]
            what = (
                "charge amount" if charge["amount_refunded"] == 0 else "unrefunded amount on charge"
            )
            raise StripeError(
                400,
                f"Refund amount ({format_amount(amount, currency)}) is greater than "
                f"{what} ({format_amount(remaining, currency)})",
                param="amount",
            )
        reason = params.get("reason")
        if reason not in (None, "") and reason not in _REFUND_REASONS:
            raise StripeError(
                400,
                f"Invalid reason: must be one of {', '.join(sorted(_REFUND_REASONS))}",
                param="reason",
            )
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] >= charge["amount"]
        refund_id = _new_id("re_")
        self._refunds[refund_id] = {
            "id": refund_id,
            "object": "refund",
            "amount": amount,
            "charge": charge_id,
            "created": int(time.time()),
            "currency": charge["currency"],
            "metadata": self._metadata(params.get("metadata")),
            "payment_intent": charge["payment_intent"],
            "reason": reason or None,
            "status": "succeeded",
        }
        return copy.deepcopy(self._refunds[refund_id])

    # -- the hosted payment page ----------------------------------------------------------------

    def _hosted_page(self, method: str, session_id: str) -> tuple[int, dict[str, str], bytes]:
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                return self._page(
                    404, "Checkout session not found", "<p>This link is not valid.</p>"
                )
            if method == "POST":
                if session["status"] == "expired":
                    return self._page(
                        409, "Checkout session expired", "<p>This payment link has expired.</p>"
                    )
                newly_paid = session["status"] == "open"
                if newly_paid:
                    self._pay_locked(session)
                rendered = self._render_session(session_id, [])
                location = session["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id)
            elif method == "GET":
                items = copy.deepcopy(self._line_items[session_id])
                view = copy.deepcopy(session)
            else:
                return self._page(405, "Method not allowed", "<p>Use GET or POST.</p>")
        if method == "POST":
            if newly_paid:
                # Deliver before answering, and outside the lock: the receiver may call back.
                self._auto_deliver(self.make_event("checkout.session.completed", rendered))
            return 303, {"Location": location}, b""
        return self._checkout_page(view, items)

    def _checkout_page(self, session: dict, items: list[dict]) -> tuple[int, dict, bytes]:
        session_id = html.escape(session["id"])
        total = html.escape(format_amount(session["amount_total"], session["currency"]))
        if session["status"] == "complete":
            return self._page(200, "Payment complete", f"<p>Payment of {total} received.</p>")
        if session["status"] == "expired":
            return self._page(
                200, "Checkout session expired", "<p>This payment link has expired.</p>"
            )
        rows = "\n".join(
            f"<li>{html.escape(item['description'])} × {item['quantity']}: "
            f"{html.escape(format_amount(item['amount_total'], item['currency']))}</li>"
            for item in items
        )
        email = session.get("customer_email")
        cancel = session.get("cancel_url")
        body = (
            f"<h2>Your order</h2>\n<ul>\n{rows}\n</ul>\n"
            f'<p class="total">Total to pay: <strong>{total}</strong></p>\n'
            + (f"<p>Receipt to {html.escape(email)}</p>\n" if email else "")
            + "<p>Test card: Visa ending 4242</p>\n"
            f'<form method="post" action="/pay/{session_id}">\n'
            f'<button type="submit">Pay {total}</button>\n'
            "</form>\n"
            + (f'<p><a href="{html.escape(cancel, quote=True)}">Cancel</a></p>\n' if cancel else "")
        )
        return self._page(200, f"Pay {total}", body, heading="Checkout")

    @staticmethod
    def _page(
        status: int, title: str, body: str, *, heading: str | None = None
    ) -> tuple[int, dict, bytes]:
        document = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} – Test payments</title>
<style>
body {{ font-family: system-ui, sans-serif; color: #1a1a1a; background: #ffffff;
       max-width: 32rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }}
button {{ font: inherit; color: #ffffff; background: #0a2540; border: 2px solid #0a2540;
         border-radius: 4px; padding: 0.6rem 1.4rem; cursor: pointer; }}
button:focus-visible, a:focus-visible {{ outline: 3px solid #b35900; outline-offset: 2px; }}
a {{ color: #0a4a9e; text-decoration: underline; }}
</style>
</head>
<body>
<main>
<h1>{html.escape(heading or title)}</h1>
{body}
</main>
</body>
</html>
"""
        return status, {"Content-Type": "text/html; charset=utf-8"}, document.encode("utf-8")
