"""The Stripe fake, driven by the real `stripe` library: no database, no network beyond loopback."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import stripe

from tests.fakes.stripe import FakeStripe, decode_form, format_amount


class Receiver:
    """A tiny webhook endpoint on 127.0.0.1:0 that keeps what it is sent and answers 200."""

    def __init__(self) -> None:
        self.received: list[tuple[str, str]] = []  # (Stripe-Signature, body)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args):  # noqa: A002
                return

            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                receiver.received.append((self.headers.get("Stripe-Signature", ""), body))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhook"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture(autouse=True)
def _no_telemetry(monkeypatch):
    # the library otherwise writes a telemetry id under ~/.config/stripe
    monkeypatch.setattr(stripe, "enable_telemetry", False)


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.close()


@pytest.fixture
def fake(receiver):
    fake = FakeStripe(webhook_url=receiver.url).start()
    yield fake
    fake.stop()


@pytest.fixture
def client(fake):
    return stripe.StripeClient(
        "sk_test_fake", base_addresses={"api": fake.base_url}, max_network_retries=0
    )


def session_params(**overrides):
    params = {
        "mode": "payment",
        "line_items": [
            {
                "price_data": {
                    "currency": "gbp",
                    "unit_amount": 1250,
                    "product_data": {"name": "GDPR essentials"},
                },
                "quantity": 2,
            }
        ],
        "success_url": "https://learnward.test/paid?session_id={CHECKOUT_SESSION_ID}",
        "cancel_url": "https://learnward.test/basket",
        "client_reference_id": "order-17",
        "customer_email": "ada@example.com",
        "metadata": {"order": "17"},
    }
    params.update(overrides)
    return params


def http(method: str, url: str) -> tuple[int, str, str | None]:
    """(status, body, Location) without following redirects or using proxies."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect)
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.read().decode(), response.headers.get("Location")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), error.headers.get("Location")


def test_decode_form_nests_brackets_and_lists():
    pairs = [
        ("line_items[0][price_data][unit_amount]", "1250"),
        ("line_items[1][quantity]", "3"),
        ("metadata[0]", "zero"),
        ("expand[]", "a"),
        ("expand[]", "b"),
        ("mode", "payment"),
    ]
    assert decode_form(pairs) == {
        "line_items": [{"price_data": {"unit_amount": "1250"}}, {"quantity": "3"}],
        "metadata": {"0": "zero"},
        "expand": ["a", "b"],
        "mode": "payment",
    }
    assert format_amount(1250, "gbp") == "£12.50"
    assert format_amount(123456, "usd") == "$1,234.56"
    assert format_amount(500, "jpy") == "500 JPY"


def test_create_and_retrieve_session_over_the_wire(fake, client):
    session = client.v1.checkout.sessions.create(
        params=session_params(), options={"idempotency_key": "order-17-attempt-1"}
    )
    assert session.id.startswith("cs_test_")
    assert session.object == "checkout.session"
    assert session.url == f"{fake.base_url}/pay/{session.id}"
    assert (session.status, session.payment_status) == ("open", "unpaid")
    assert (session.amount_total, session.amount_subtotal, session.currency) == (2500, 2500, "gbp")
    assert session.client_reference_id == "order-17"
    assert session.customer_email == "ada@example.com"
    assert session.metadata.to_dict() == {"order": "17"}
    assert session.payment_intent is None
    assert session.livemode is False

    sent = fake.requests[-1]
    assert (sent.method, sent.path) == ("POST", "/v1/checkout/sessions")
    assert sent.header("authorization") == "Bearer sk_test_fake"
    assert "line_items[0][price_data][unit_amount]=1250" in sent.raw
    assert sent.params["line_items"][0]["price_data"]["product_data"]["name"] == "GDPR essentials"
    assert sent.params["metadata"] == {"order": "17"}

    again = client.v1.checkout.sessions.create(
        params=session_params(), options={"idempotency_key": "order-17-attempt-1"}
    )
    assert again.id == session.id
    with pytest.raises(stripe.IdempotencyError):
        client.v1.checkout.sessions.create(
            params=session_params(client_reference_id="order-18"),
            options={"idempotency_key": "order-17-attempt-1"},
        )

    fetched = client.v1.checkout.sessions.retrieve(session.id)
    assert fetched.id == session.id and fetched.status == "open"
    with pytest.raises(stripe.InvalidRequestError) as missing:
        client.v1.checkout.sessions.retrieve("cs_test_nope")
    assert missing.value.http_status == 404
    assert missing.value.code == "resource_missing"


@pytest.mark.parametrize(
    ("overrides", "param"),
    [
        ({"mode": None}, "mode"),
        ({"line_items": None}, "line_items"),
        ({"success_url": None}, "success_url"),
        (
            {
                "line_items": [
                    {
                        "price_data": {"unit_amount": 100, "product_data": {"name": "x"}},
                        "quantity": 1,
                    }
                ]
            },
            "line_items[0][price_data][currency]",
        ),
        (
            {
                "line_items": [
                    {
                        "price_data": {
                            "currency": "gbp",
                            "unit_amount": -5,
                            "product_data": {"name": "x"},
                        },
                        "quantity": 1,
                    }
                ]
            },
            "line_items[0][price_data][unit_amount]",
        ),
        ({"surprise": "yes"}, "surprise"),
    ],
)
def test_create_session_validates(client, overrides, param):
    with pytest.raises(stripe.InvalidRequestError) as error:
        client.v1.checkout.sessions.create(params=session_params(**overrides))
    assert error.value.http_status == 400
    assert error.value.param == param


def test_hosted_page_pays_once_and_delivers_a_verifiable_event(fake, client, receiver):
    session = client.v1.checkout.sessions.create(params=session_params())

    status, page, _ = http("GET", session.url)
    assert status == 200
    assert '<html lang="en">' in page and "<main>" in page and "<h1>" in page
    assert "£25.00" in page
    assert f'<form method="post" action="/pay/{session.id}">' in page
    assert 'href="https://learnward.test/basket">Cancel</a>' in page

    status, _, location = http("POST", session.url)
    assert status == 303
    assert location == f"https://learnward.test/paid?session_id={session.id}"

    paid = client.v1.checkout.sessions.retrieve(
        session.id, params={"expand": ["payment_intent.latest_charge"]}
    )
    assert (paid.status, paid.payment_status) == ("complete", "paid")
    assert paid.url is None
    intent = paid.payment_intent
    assert intent.id.startswith("pi_") and intent.status == "succeeded"
    assert (intent.amount, intent.amount_received) == (2500, 2500)
    card = intent.latest_charge.payment_method_details.card
    assert (card.brand, card.last4) == ("visa", "4242")
    assert intent.latest_charge.amount_refunded == 0

    # the webhook arrived before the redirect, signed so the library accepts it
    assert len(receiver.received) == 1
    signature, payload = receiver.received[0]
    event = stripe.Webhook.construct_event(payload, signature, "whsec_fake")
    assert event.type == "checkout.session.completed"
    assert event.data.object.id == session.id
    assert event.data.object.payment_status == "paid"
    assert fake.deliveries[0].status == 200
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(payload.replace("paid", "unpaid"), signature, "whsec_fake")
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(payload, signature, "whsec_other")

    # paying again neither charges again nor re-delivers
    assert fake.pay(session.id) == (303, location)
    assert client.v1.checkout.sessions.retrieve(session.id).payment_intent == intent.id
    assert len(receiver.received) == 1


def test_payment_intent_and_refunds(fake, client):
    session = client.v1.checkout.sessions.create(params=session_params())
    fake.pay(session.id)
    pi_id = client.v1.checkout.sessions.retrieve(session.id).payment_intent

    intent = client.v1.payment_intents.retrieve(pi_id)
    assert intent.latest_charge.startswith("ch_")
    expanded = client.v1.payment_intents.retrieve(pi_id, params={"expand": ["latest_charge"]})
    assert expanded.latest_charge.payment_method_details.type == "card"

    refund = client.v1.refunds.create(params={"payment_intent": pi_id, "amount": 1000})
    assert refund.id.startswith("re_")
    assert (refund.status, refund.amount, refund.currency) == ("succeeded", 1000, "gbp")
    assert refund.payment_intent == pi_id

    with pytest.raises(stripe.InvalidRequestError) as too_much:
        client.v1.refunds.create(params={"payment_intent": pi_id, "amount": 2000})
    assert too_much.value.http_status == 400
    assert "£20.00" in str(too_much.value) and "£15.00" in str(too_much.value)

    rest = client.v1.refunds.create(params={"payment_intent": pi_id})
    assert rest.amount == 1500
    charge = client.v1.charges.retrieve(intent.latest_charge)
    assert (charge.amount_refunded, charge.refunded) == (2500, True)
    with pytest.raises(stripe.InvalidRequestError) as done:
        client.v1.refunds.create(params={"payment_intent": pi_id, "amount": 1})
    assert done.value.code == "charge_already_refunded"


def test_refund_idempotency_key_replays(fake, client):
    session = client.v1.checkout.sessions.create(params=session_params())
    fake.pay(session.id)
    pi_id = fake.session(session.id)["payment_intent"]
    options = {"idempotency_key": "refund-order-17"}
    first = client.v1.refunds.create(
        params={"payment_intent": pi_id, "amount": 500}, options=options
    )
    second = client.v1.refunds.create(
        params={"payment_intent": pi_id, "amount": 500}, options=options
    )
    assert first.id == second.id
    assert fake.charge(fake.payment_intent(pi_id)["latest_charge"])["amount_refunded"] == 500


def test_wrong_or_missing_key_is_an_authentication_error(fake):
    with pytest.raises(stripe.AuthenticationError) as wrong:
        fake.client("sk_test_wrong").v1.checkout.sessions.create(params=session_params())
    assert wrong.value.http_status == 401
    status, body, _ = http("GET", f"{fake.base_url}/v1/checkout/sessions/cs_test_x")
    assert status == 401
    assert json.loads(body)["error"]["type"] == "invalid_request_error"


def test_deliver_modes_expire_and_manual_events(fake, client, receiver):
    fake.deliver_mode = "twice"
    session = client.v1.checkout.sessions.create(params=session_params())
    fake.pay(session.id)
    assert len(receiver.received) == 2
    assert receiver.received[0][1] == receiver.received[1][1]  # the very same event

    fake.deliver_mode = "none"
    other = client.v1.checkout.sessions.create(params=session_params())
    fake.pay(other.id)
    assert len(receiver.received) == 2
    assert fake.events[-1]["data"]["object"]["id"] == other.id  # kept, ready to deliver by hand

    fake.deliver_mode = "sync"
    third = client.v1.checkout.sessions.create(params=session_params())
    event = fake.expire(third.id)
    assert event["type"] == "checkout.session.expired"
    assert client.v1.checkout.sessions.retrieve(third.id).status == "expired"
    assert fake.pay(third.id)[0] == 409
    signature, payload = receiver.received[-1]
    assert stripe.Webhook.construct_event(payload, signature, "whsec_fake").id == event["id"]

    custom = fake.make_event("charge.refunded", {"id": "ch_123", "object": "charge"})
    status, body = fake.deliver(custom, secret="whsec_elsewhere", timestamp=1_700_000_000)
    assert (status, body) == (200, "ok")
    signature, payload = receiver.received[-1]
    assert signature.startswith("t=1700000000,v1=")
    with pytest.raises(stripe.SignatureVerificationError):  # too old for the default tolerance
        stripe.Webhook.construct_event(payload, signature, "whsec_elsewhere")
    assert stripe.Webhook.construct_event(payload, signature, "whsec_elsewhere", tolerance=0)
    assert fake.sign(payload, "whsec_elsewhere", 1_700_000_000) == signature
