"""The AI provider: any OpenAI-compatible chat-completions endpoint, reached with the `openai` client.

Configured by LEARNWARD_AI_BASE_URL, LEARNWARD_AI_API_KEY, LEARNWARD_AI_MODEL and
LEARNWARD_AI_TIMEOUT. Nothing here knows who the learner is: callers pass text that has already
been minimised (see redaction.py), and the request carries no ``user``, ``metadata`` or
``safety_identifier``. Every failure becomes :class:`ProviderUnavailable` with a reason the pages
can explain; callers degrade to what works without a provider.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import httpx2
import openai
from django.conf import settings
from django.utils.translation import gettext as _

from learnward.core.errors import ApplicationError


class Outcome(StrEnum):
    OK = "ok"
    TIMEOUT = "timeout"
    RATE_LIMITED = "rate_limited"
    ERROR = "error"

    @property
    def note(self) -> str:
        return {
            "ok": "",
            "timeout": _("The AI service took too long to reply."),
            "rate_limited": _("The AI service is busy right now (too many requests)."),
            "error": _("The AI service could not be reached or returned an error."),
        }[self.value]


@dataclass(frozen=True)
class Completion:
    text: str
    model: str
    prompt_tokens: int
    completion_tokens: int


class ProviderUnavailable(ApplicationError):
    def __init__(self, outcome: Outcome, detail: str = "") -> None:
        super().__init__(detail or outcome.value)
        self.outcome = outcome
        self.detail = detail


def provider_configured() -> bool:
    return bool(settings.AI_BASE_URL and settings.AI_MODEL)


def provider_host() -> str:
    """The provider's host name, for the opt-in text and the call log (never the key)."""
    from urllib.parse import urlsplit

    return urlsplit(settings.AI_BASE_URL).hostname or ""


def _client() -> openai.OpenAI:
    return openai.OpenAI(
        base_url=settings.AI_BASE_URL,
        # Local servers (Ollama, llama.cpp) accept any key; the client insists on one.
        api_key=settings.AI_API_KEY or "not-needed",
        timeout=settings.AI_TIMEOUT,
        # A retry would double what leaves the platform and the learner's wait; we degrade instead.
        max_retries=0,
    )


def complete(*, system: str, prompt: str, max_tokens: int = 400) -> Completion:
    """One chat completion. Raises ProviderUnavailable for every kind of failure."""
    if not provider_configured():
        raise ProviderUnavailable(Outcome.ERROR, "no provider configured")
    try:
        response = _client().chat.completions.create(
            model=settings.AI_MODEL,
            messages=[
                {"role": "system", "content": system},
                {"role": "user", "content": prompt},
            ],
            max_tokens=max_tokens,
            temperature=0.2,
        )
    except openai.APITimeoutError as exc:
        raise ProviderUnavailable(Outcome.TIMEOUT, type(exc).__name__) from exc
    except openai.RateLimitError as exc:
        raise ProviderUnavailable(Outcome.RATE_LIMITED, type(exc).__name__) from exc
    except (openai.OpenAIError, httpx2.HTTPError, ValueError) as exc:
        # ValueError: a body that is not JSON (a proxy's error page, a misconfigured URL).
        raise ProviderUnavailable(Outcome.ERROR, type(exc).__name__) from exc
    try:
        text = (response.choices[0].message.content or "").strip()
    except (AttributeError, IndexError, TypeError) as exc:
        raise ProviderUnavailable(Outcome.ERROR, "malformed response") from exc
    if not text:
        raise ProviderUnavailable(Outcome.ERROR, "empty response")
    usage = getattr(response, "usage", None)
    return Completion(
        text=text,
        model=getattr(response, "model", "") or settings.AI_MODEL,
        prompt_tokens=getattr(usage, "prompt_tokens", 0) or 0,
        completion_tokens=getattr(usage, "completion_tokens", 0) or 0,
    )
