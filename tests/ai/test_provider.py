"""The real `openai` client against the loopback OpenAI-compatible server (tests/fakes/llm.py).

The fake server stands in for a real model, which cannot run on these machines.
"""

import json

import pytest

from learnward.ai import provider
from learnward.ai.provider import Outcome, ProviderUnavailable


def test_completion_through_the_real_client(fake_llm):
    result = provider.complete(system="Be brief.", prompt="[1] Passage one\nQuestion: why?")
    assert result.text == fake_llm.reply
    assert result.model == "fake-model"
    assert result.prompt_tokens > 0 and result.completion_tokens > 0
    (request,) = fake_llm.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer test-key"
    assert request.body["model"] == "fake-model"
    assert [m["role"] for m in request.messages] == ["system", "user"]


def test_request_carries_no_user_identifier(fake_llm):
    provider.complete(system="s", prompt="p")
    body = fake_llm.requests[0].body
    for key in ("user", "metadata", "safety_identifier", "prompt_cache_key", "store"):
        assert key not in body
    assert set(body) == {"model", "messages", "max_tokens", "temperature"}


@pytest.mark.parametrize(
    "mode, outcome",
    [
        ("slow", Outcome.TIMEOUT),
        ("error", Outcome.ERROR),
        ("rate_limit", Outcome.RATE_LIMITED),
        ("garbage", Outcome.ERROR),
    ],
)
def test_failures_become_provider_unavailable_without_retrying(fake_llm, mode, outcome):
    fake_llm.set_mode(mode)
    with pytest.raises(ProviderUnavailable) as caught:
        provider.complete(system="s", prompt="p")
    assert caught.value.outcome == outcome
    assert len(fake_llm.requests) == 1  # no retries: nothing is sent twice


def test_unreachable_provider_is_an_error_not_a_crash(settings):
    settings.AI_BASE_URL = "http://127.0.0.1:9/v1"  # discard port: connection refused
    settings.AI_MODEL = "m"
    with pytest.raises(ProviderUnavailable) as caught:
        provider.complete(system="s", prompt="p")
    assert caught.value.outcome == Outcome.ERROR


def test_no_provider_configured(settings):
    settings.AI_BASE_URL = ""
    assert not provider.provider_configured()
    with pytest.raises(ProviderUnavailable):
        provider.complete(system="s", prompt="p")


def test_fake_server_records_exact_bytes(fake_llm):
    provider.complete(system="sys", prompt="hello")
    assert json.loads(fake_llm.requests[0].raw)["messages"][1]["content"] == "hello"
